package schema

import (
	"fmt"

	"github.com/graphql-go/graphql"

	"github.com/trellis-gql/trellis/engine/catalog"
	"github.com/trellis-gql/trellis/metadata"
	"github.com/trellis-gql/trellis/permissions"
)

// AdminRole is the role that sees every tracked table, column and
// relationship.
const AdminRole = permissions.AdminRole

// validName reports whether s is a GraphQL name: /[_A-Za-z][_0-9A-Za-z]*/.
func validName(s string) bool { return metadata.IsGraphQLName(s) }

// Build makes the schema of a role from a resolved model, with the naming
// convention of the model's source, else defaultNaming ("hasura-default"
// or "graphql-default"). Tables, columns and relationships whose names are
// not valid GraphQL names are left out, and so is whatever the role's
// permissions do not grant: a table without a select permission, the
// columns and computed fields it does not list, aggregates unless it
// allows them, root fields outside its query_root_fields.
func Build(m *metadata.Model, role *permissions.Role, defaultNaming string) (*Schema, error) {
	naming := NamingFor(orDefault(m.NamingConvention, defaultNaming))
	b := &builder{
		model:   m,
		role:    role,
		naming:  naming,
		s:       &Schema{Role: role.Name, Naming: naming, Catalog: m.Catalog},
		byName:  map[catalog.QualifiedName]*Table{},
		scalars: map[string]*graphql.Scalar{},
		comps:   map[string]*graphql.InputObject{},

		usedTypes: map[string]bool{},
		usedRoots: map[string]bool{},
	}
	b.collectTables()
	b.collectRelationships()
	b.collectComputedFields()
	b.collectFunctions()
	b.lookup()
	b.s.builder = b
	return b.s, nil
}

// GraphQL returns the graphql-go schema, built on first use: it is needed
// only to answer introspection and to type-check variables, and building
// it is the costly part of a schema.
func (s *Schema) GraphQL() (*graphql.Schema, error) {
	s.once.Do(func() {
		s.graphql, s.graphqlErr = s.builder.graphql()
		if s.graphqlErr != nil {
			s.graphqlErr = fmt.Errorf("building the GraphQL schema of role %q: %w", s.Role, s.graphqlErr)
		}
		s.builder = nil
	})
	return s.graphql, s.graphqlErr
}

type builder struct {
	model  *metadata.Model
	role   *permissions.Role
	naming Naming
	s      *Schema
	tables []*Table
	byName map[catalog.QualifiedName]*Table
	// functions are the tracked functions exposed in query_root.
	functions []*Function

	usedTypes, usedRoots map[string]bool

	scalars map[string]*graphql.Scalar
	comps   map[string]*graphql.InputObject
	orderBy *graphql.Enum
	objs    map[string]*graphql.Object
	inputs  map[string]*graphql.InputObject
	enums   map[string]*graphql.Enum
}

func (b *builder) collectTables() {
	for _, mt := range b.model.Tables {
		perm := b.role.Table(mt)
		if perm == nil {
			continue
		}
		writeOnly := perm.Select == nil
		if writeOnly {
			if perm = writeOnlyPermission(perm); perm == nil {
				continue
			}
		}
		t := &Table{
			Meta:          mt,
			Perm:          perm,
			WriteOnly:     writeOnly,
			Names:         NamesFor(mt, b.naming),
			ColumnByField: map[string]*Column{},
			RelByField:    map[string]*Relationship{},
		}
		if !validName(t.Names.Object) {
			b.s.Skipped = append(b.s.Skipped, fmt.Sprintf("table %s: %q is not a valid GraphQL name; set a custom_name", mt.Info.Name, t.Names.Object))
			continue
		}
		if clash := b.claimNames(t); clash != "" {
			b.s.Conflicts = append(b.s.Conflicts, fmt.Sprintf("table %s: the name %q is already used", mt.Info.Name, clash))
			continue
		}
		for _, c := range mt.Columns {
			col := &Column{Field: ColumnFieldName(mt, c.Name, b.naming), Info: c, Type: b.model.Catalog.Type(c.TypeOID), Description: c.Comment}
			if comment := mt.Config.ColumnConfig[c.Name].Comment; comment != nil {
				col.Description = *comment
			}
			if !validName(col.Field) {
				continue
			}
			col.Scalar = b.columnScalar(col.Type)
			if ref := mt.EnumRefs[c.Name]; ref != nil {
				col.Scalar = enumScalar(ref, b.naming)
			}
			t.allColumns = append(t.allColumns, col)
			if !perm.Select.Columns.Has(c.Name) {
				continue
			}
			t.Columns = append(t.Columns, col)
			t.ColumnByField[col.Field] = col
		}
		if pk := mt.Info.PrimaryKey; pk != nil {
			for _, name := range pk.Columns {
				for _, c := range t.Columns {
					if c.Info.Name == name {
						t.PrimaryKey = append(t.PrimaryKey, c)
					}
				}
			}
			if len(t.PrimaryKey) != len(pk.Columns) {
				t.PrimaryKey = nil // a key column is hidden: no _by_pk
			}
		}
		b.tables = append(b.tables, t)
		if !writeOnly {
			b.byName[mt.Info.Name] = t
		}
	}
}

// claimNames reserves a table's type and root field names, or returns one
// that another table already has.
func (b *builder) claimNames(t *Table) string {
	n := t.Names
	types := []string{n.Object, n.BoolExp, n.OrderBy, n.SelectColumn, n.Aggregate, n.AggregateFields}
	roots := []string{n.Select, n.SelectByPk, n.SelectAggregate, n.SelectStream}
	for _, name := range types {
		if b.usedTypes[name] {
			return name
		}
	}
	for _, name := range roots {
		if b.usedRoots[name] {
			return name
		}
	}
	for _, name := range types {
		b.usedTypes[name] = true
	}
	for _, name := range roots {
		b.usedRoots[name] = true
	}
	return ""
}

func (b *builder) collectRelationships() {
	for _, t := range b.tables {
		if t.WriteOnly {
			continue
		}
		rels := append(append([]*metadata.Relationship{}, t.Meta.ObjectRelationships...), t.Meta.ArrayRelationships...)
		for _, r := range rels {
			target := b.byName[r.Target.Info.Name]
			if target == nil || !validName(r.Name) {
				continue
			}
			if _, clash := t.ColumnByField[r.Name]; clash {
				continue
			}
			rel := &Relationship{Field: r.Name, Meta: r, Target: target}
			t.Relationships = append(t.Relationships, rel)
			t.RelByField[rel.Field] = rel
		}
	}
}

// listArgs are the arguments of fields that return a list of rows.
func (n Naming) listArgs() map[string]bool {
	return map[string]bool{"where": true, n.Field("order_by"): true, "limit": true, "offset": true, n.Field("distinct_on"): true}
}

// lookup fills query_root and records which table owns each generated
// object type; a table's objects are built when a query first needs them
// (Table.objects), so that a change of metadata costs little per table.
func (b *builder) lookup() {
	b.s.owner = make(map[string]*Table, 13*len(b.tables))
	b.s.Query = b.rootObject(QueryRoot, (*Table).HasRoot)
	if b.readsSomeTable() {
		b.s.Subscription = b.rootObject(SubscriptionRoot, (*Table).HasSubscriptionRoot)
	}
	for _, t := range b.tables {
		if t.WriteOnly {
			continue
		}
		n := t.Names
		for _, name := range []string{n.Object, n.Aggregate, n.AggregateFields} {
			b.s.owner[name] = t
		}
		for _, name := range n.AggregateOp {
			b.s.owner[name] = t
		}
	}
	b.mutationLookup()
}

// rootObject makes query_root or subscription_root: the table root fields
// of the kinds has allows, and the tracked functions' fields.
func (b *builder) rootObject(name string, has func(*Table, string) bool) *Object {
	root := &Object{Name: name, Kind: ObjRoot, Fields: map[string]*Field{}}
	if !b.readsSomeTable() {
		root.Fields["no_queries_available"] = &Field{Name: "no_queries_available", Kind: FieldNoQueries, Type: "String"}
	}
	listArgs := b.naming.listArgs()
	for _, t := range b.tables {
		if t.WriteOnly {
			continue
		}
		n := t.Names
		if has(t, RootSelect) {
			root.Fields[n.Select] = &Field{Name: n.Select, Kind: FieldSelect, Table: t, Args: listArgs, Type: n.Object}
		}
		if has(t, RootSelectByPk) {
			args := map[string]bool{}
			for _, c := range t.PrimaryKey {
				args[c.Field] = true
			}
			root.Fields[n.SelectByPk] = &Field{Name: n.SelectByPk, Kind: FieldSelectByPk, Table: t, Args: args, Type: n.Object}
		}
		if has(t, RootSelectAggregate) {
			root.Fields[n.SelectAggregate] = &Field{Name: n.SelectAggregate, Kind: FieldSelectAggregate, Table: t, Args: listArgs, Type: n.Aggregate}
		}
		if has(t, RootSelectStream) {
			args := map[string]bool{b.naming.Field("batch_size"): true, "cursor": true, "where": true}
			root.Fields[n.SelectStream] = &Field{Name: n.SelectStream, Kind: FieldSelectStream, Table: t, Args: args, Type: n.Object}
		}
	}
	b.functionRootFields(root)
	return root
}

// Object returns the output object type with the given name, or nil.
func (s *Schema) Object(name string) *Object {
	switch name {
	case QueryRoot:
		return s.Query
	case SubscriptionRoot:
		return s.Subscription
	}
	if o := s.mutationObject(name); o != nil {
		return o
	}
	t := s.owner[name]
	if t == nil {
		return nil
	}
	return t.objects()[name]
}

// objects builds, once, the object types of a table: its row type,
// <t>_aggregate, <t>_aggregate_fields and the per-operator field types.
func (t *Table) objects() map[string]*Object {
	t.objOnce.Do(func() {
		n := t.Names
		listArgs := n.naming.listArgs()
		objs := make(map[string]*Object, 13)
		obj := &Object{Name: n.Object, Kind: ObjTable, Table: t, Fields: make(map[string]*Field, len(t.Columns)+2*len(t.Relationships))}
		for _, c := range t.Columns {
			obj.Fields[c.Field] = &Field{Name: c.Field, Kind: FieldColumn, Table: t, Column: c, Args: columnArgs(c), Type: c.Scalar.Name}
		}
		for _, r := range t.Relationships {
			if r.Meta.Kind == metadata.ObjectRel {
				obj.Fields[r.Field] = &Field{Name: r.Field, Kind: FieldObjectRel, Table: r.Target, Rel: r, Type: r.Target.Names.Object}
				continue
			}
			obj.Fields[r.Field] = &Field{Name: r.Field, Kind: FieldArrayRel, Table: r.Target, Rel: r, Args: listArgs, Type: r.Target.Names.Object}
			agg := n.naming.RelAggregateFieldName(r.Field)
			if _, clash := obj.Fields[agg]; !clash && r.Target.Aggregatable() {
				obj.Fields[agg] = &Field{Name: agg, Kind: FieldArrayRelAggregate, Table: r.Target, Rel: r, Args: listArgs, Type: r.Target.Names.Aggregate}
			}
		}
		t.computedObjectFields(obj)
		objs[obj.Name] = obj

		objs[n.Aggregate] = &Object{Name: n.Aggregate, Kind: ObjAggregate, Table: t, Fields: map[string]*Field{
			"aggregate": {Name: "aggregate", Kind: FieldAggregate, Table: t, Type: n.AggregateFields},
			"nodes":     {Name: "nodes", Kind: FieldNodes, Table: t, Type: n.Object},
		}}

		fieldsObj := &Object{Name: n.AggregateFields, Kind: ObjAggregateFields, Table: t, Fields: map[string]*Field{
			"count": {Name: "count", Kind: FieldCount, Table: t, Args: map[string]bool{"columns": len(t.Columns) > 0, "distinct": true}, Type: "Int"},
		}}
		for _, op := range aggregateOps {
			cols := aggregateColumns(t, op.numericOnly)
			if len(cols) == 0 {
				continue
			}
			typeName := n.AggregateOp[op.name]
			field := n.naming.Field(op.name)
			fieldsObj.Fields[field] = &Field{Name: field, Kind: FieldAggOp, Table: t, AggOp: op.name, Type: typeName}
			opObj := &Object{Name: typeName, Kind: ObjAggregateOp, Table: t, AggOp: op.name, Fields: map[string]*Field{}}
			for _, c := range cols {
				opObj.Fields[c.Field] = &Field{Name: c.Field, Kind: FieldAggOpColumn, Table: t, Column: c, AggOp: op.name, Type: aggregateResultScalar(op.name, c)}
			}
			objs[typeName] = opObj
		}
		objs[fieldsObj.Name] = fieldsObj
		t.objs = objs
	})
	return t.objs
}

// Comparison returns the <scalar>_comparison_exp input of a scalar.
func (s *Schema) Comparison(sc Scalar) *Input {
	name := comparisonName(sc, s.Naming)
	if in, ok := s.comparisons.Load(name); ok {
		return in.(*Input)
	}
	in := &Input{Name: name, Kind: InputComparison, Scalar: &sc, Ops: map[string]Operator{}}
	for _, op := range operatorsFor(sc) {
		in.Ops[s.Naming.Op(op.Name)] = op
	}
	actual, _ := s.comparisons.LoadOrStore(name, in)
	return actual.(*Input)
}

// aggregateColumns are the columns an aggregate operator applies to.
func aggregateColumns(t *Table, numericOnly bool) []*Column {
	var cols []*Column
	for _, c := range t.Columns {
		if numericOnly && !c.Scalar.Numeric {
			continue
		}
		if !aggregateComparable(c.Scalar) || c.Type == nil || c.Type.IsArray() {
			continue
		}
		cols = append(cols, c)
	}
	return cols
}

// aggregateResultScalar is the GraphQL type of an aggregate of a column:
// avg, stddev and variance give Float; sum, max and min keep the column's.
func aggregateResultScalar(op string, c *Column) string {
	switch op {
	case "sum", "max", "min":
		return c.Scalar.Name
	}
	return "Float"
}
