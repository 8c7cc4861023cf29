package schema

import (
	"fmt"

	"github.com/graphql-go/graphql"
	"github.com/graphql-go/graphql/language/ast"

	"github.com/trellis-gql/trellis/metadata"
)

// graphql builds the graphql-go schema that mirrors the lookup tables. It
// has no resolvers: it only answers introspection.
func (b *builder) graphql() (*graphql.Schema, error) {
	b.objs = map[string]*graphql.Object{}
	b.inputs = map[string]*graphql.InputObject{}
	b.enums = map[string]*graphql.Enum{}
	b.orderBy = b.orderByEnum()

	for _, t := range b.tables {
		b.tableTypes(t)
	}
	query := graphql.NewObject(graphql.ObjectConfig{Name: QueryRoot, Fields: b.rootGraphQLFields((*Table).HasRoot)})
	// A role that reads nothing has no subscription_root, as in Hasura.
	var sub *graphql.Object
	if b.readsSomeTable() {
		sub = graphql.NewObject(graphql.ObjectConfig{Name: SubscriptionRoot, Fields: b.rootGraphQLFields((*Table).HasSubscriptionRoot)})
	}
	s, err := graphql.NewSchema(graphql.SchemaConfig{Query: query, Mutation: b.mutationRoot(), Subscription: sub})
	if err != nil {
		return nil, err
	}
	return &s, nil
}

// rootGraphQLFields are the fields of query_root or subscription_root: the
// table root fields of the kinds has allows, and the functions' fields.
func (b *builder) rootGraphQLFields(has func(*Table, string) bool) graphql.Fields {
	root := graphql.Fields{}
	if !b.readsSomeTable() {
		root["no_queries_available"] = &graphql.Field{Type: graphql.NewNonNull(graphql.String)}
	}
	for _, t := range b.tables {
		if t.WriteOnly {
			continue
		}
		n, custom := t.Names, t.Meta.Config.CustomRootFields
		desc := "fetch data from the table: " + t.quotedName()
		if has(t, RootSelect) {
			root[n.Select] = &graphql.Field{
				Type:        nonNullList(b.objs[n.Object]),
				Args:        b.listArgs(t),
				Description: rootFieldDescription(custom.Select, desc),
			}
		}
		if has(t, RootSelectAggregate) {
			root[n.SelectAggregate] = &graphql.Field{
				Type:        graphql.NewNonNull(b.objs[n.Aggregate]),
				Args:        b.listArgs(t),
				Description: rootFieldDescription(custom.SelectAggregate, "fetch aggregated fields from the table: "+t.quotedName()),
			}
		}
		if has(t, RootSelectByPk) {
			args := graphql.FieldConfigArgument{}
			for _, c := range t.PrimaryKey {
				args[c.Field] = &graphql.ArgumentConfig{Type: graphql.NewNonNull(b.scalar(c.Scalar))}
			}
			root[n.SelectByPk] = &graphql.Field{
				Type:        b.objs[n.Object],
				Args:        args,
				Description: rootFieldDescription(custom.SelectByPk, desc+" using primary key columns"),
			}
		}
		if has(t, RootSelectStream) {
			root[n.SelectStream] = &graphql.Field{
				Type:        nonNullList(b.objs[n.Object]),
				Args:        b.streamArgs(t),
				Description: rootFieldDescription(custom.SelectStream, "fetch data from the table in a streaming manner: "+t.quotedName()),
			}
		}
	}
	b.functionGraphQLFields(root)
	return root
}

// streamArgs are the arguments of <t>_stream, with the cursor's input
// types (built once per table).
func (b *builder) streamArgs(t *Table) graphql.FieldConfigArgument {
	n := t.Names
	cursor, ok := b.inputs[n.StreamCursor]
	if !ok {
		values := graphql.InputObjectConfigFieldMap{}
		for _, c := range t.Columns {
			values[c.Field] = &graphql.InputObjectFieldConfig{Type: b.scalar(c.Scalar)}
		}
		value := graphql.NewInputObject(graphql.InputObjectConfig{
			Name:        n.StreamCursorValue,
			Description: "Initial value of the column from where the streaming should start",
			Fields:      values,
		})
		cursor = graphql.NewInputObject(graphql.InputObjectConfig{
			Name:        n.StreamCursor,
			Description: "Streaming cursor of the table " + quoted(t.Meta.Info.Name.Name),
			Fields: graphql.InputObjectConfigFieldMap{
				b.naming.Field("initial_value"): {Type: graphql.NewNonNull(value), Description: "Stream column input with initial value"},
				"ordering":                      {Type: b.cursorOrdering(), Description: "cursor ordering"},
			},
		})
		b.inputs[n.StreamCursor] = cursor
	}
	return graphql.FieldConfigArgument{
		b.naming.Field("batch_size"): {Type: graphql.NewNonNull(graphql.Int), Description: "maximum number of rows returned in a single batch"},
		"cursor":                     {Type: graphql.NewNonNull(graphql.NewList(cursor)), Description: "cursor to stream the results returned by the query"},
		"where":                      {Type: b.inputs[n.BoolExp], Description: "filter the rows which have to be fetched"},
	}
}

// cursorOrdering is the cursor_ordering enum of streaming cursors.
func (b *builder) cursorOrdering() *graphql.Enum {
	if e, ok := b.enums[CursorOrdering]; ok {
		return e
	}
	e := graphql.NewEnum(graphql.EnumConfig{
		Name:        CursorOrdering,
		Description: "ordering argument of a cursor",
		Values: graphql.EnumValueConfigMap{
			"ASC":  {Value: "ASC", Description: "ascending ordering of the cursor"},
			"DESC": {Value: "DESC", Description: "descending ordering of the cursor"},
		},
	})
	b.enums[CursorOrdering] = e
	return e
}

// rootFieldDescription is a table root field's description: the comment
// of its custom_root_fields entry ("" for none), else the generated one.
func rootFieldDescription(custom metadata.RootField, generated string) string {
	if custom.Comment != nil {
		return *custom.Comment
	}
	return generated
}

func nonNullList(t graphql.Type) graphql.Type {
	return graphql.NewNonNull(graphql.NewList(graphql.NewNonNull(t)))
}

func (b *builder) orderByEnum() *graphql.Enum {
	values := graphql.EnumValueConfigMap{}
	for _, v := range OrderByValues {
		values[b.naming.EnumValue(v.Name)] = &graphql.EnumValueConfig{Value: v.Name, Description: v.Desc}
	}
	return graphql.NewEnum(graphql.EnumConfig{Name: b.naming.Type(OrderByEnum), Values: values, Description: "column ordering options"})
}

// scalar returns the graphql-go type of a Scalar, creating custom ones
// once: a scalar, or the enum of an enum table.
func (b *builder) scalar(s Scalar) graphql.Leaf {
	if s.Enum != nil {
		return b.tableEnum(s.Enum)
	}
	switch s.Name {
	case "Int":
		return graphql.Int
	case "Float":
		return graphql.Float
	case "String":
		return graphql.String
	case "Boolean":
		return graphql.Boolean
	}
	if gs, ok := b.scalars[s.Name]; ok {
		return gs
	}
	identity := func(v any) any { return v }
	gs := graphql.NewScalar(graphql.ScalarConfig{
		// Hasura keeps Postgres scalars' names in every naming convention
		// (renaming them is behind a feature flag it leaves off).
		Name:         s.Name,
		Serialize:    identity,
		ParseValue:   identity,
		ParseLiteral: func(ast.Value) any { return nil },
	})
	b.scalars[s.Name] = gs
	return gs
}

func (b *builder) comparison(s Scalar) *graphql.InputObject {
	name := comparisonName(s, b.naming)
	if c, ok := b.comps[name]; ok {
		return c
	}
	gs := b.columnType(s)
	fields := graphql.InputObjectConfigFieldMap{}
	for _, op := range operatorsFor(s) {
		var t graphql.Input = gs
		switch op.Shape {
		case OperandList:
			t = graphql.NewList(graphql.NewNonNull(gs))
		case OperandBoolean:
			t = graphql.Boolean
		case OperandString:
			t = graphql.String
		default:
			t = b.extraOperandType(s, op, gs)
		}
		fields[b.naming.Op(op.Name)] = &graphql.InputObjectFieldConfig{Type: t, Description: operatorDescription(s, op.Name)}
	}
	c := graphql.NewInputObject(graphql.InputObjectConfig{
		Name:        name,
		Fields:      fields,
		Description: fmt.Sprintf("Boolean expression to compare columns of type %q. All fields are combined with logical 'AND'.", s.Name),
	})
	b.comps[name] = c
	return c
}

func (b *builder) listArgs(t *Table) graphql.FieldConfigArgument {
	n := t.Names
	args := graphql.FieldConfigArgument{
		"limit":  {Type: graphql.Int, Description: "limit the number of rows returned"},
		"offset": {Type: graphql.Int, Description: "skip the first n rows. Use only with order_by"},
		"where":  {Type: b.inputs[n.BoolExp], Description: "filter the rows returned"},
	}
	// A role that reads no column has no <t>_select_column, and no
	// <t>_order_by when nothing else orders it either.
	if e, ok := b.enums[n.SelectColumn]; ok {
		args[b.naming.Field("distinct_on")] = &graphql.ArgumentConfig{Type: graphql.NewList(graphql.NewNonNull(e)), Description: "distinct select on columns"}
	}
	if t.orderable() {
		args[b.naming.Field("order_by")] = &graphql.ArgumentConfig{Type: graphql.NewList(graphql.NewNonNull(b.inputs[n.OrderBy])), Description: "sort the rows by one or more columns"}
	}
	return args
}

// orderable reports whether <t>_order_by has a field for the role.
func (t *Table) orderable() bool {
	return len(t.Columns) > 0 || len(t.Relationships) > 0 || len(t.ComputedFields) > 0
}

// tableTypes declares a table's types; fields that refer to other tables are
// thunks, so declaration order does not matter.
func (b *builder) tableTypes(t *Table) {
	n := t.Names
	tableName := t.quotedName()

	cols := graphql.EnumValueConfigMap{}
	for _, c := range t.Columns {
		cols[b.naming.EnumValue(c.Field)] = &graphql.EnumValueConfig{Value: c.Field, Description: "column name"}
	}
	if len(cols) > 0 {
		b.enums[n.SelectColumn] = graphql.NewEnum(graphql.EnumConfig{
			Name: n.SelectColumn, Values: cols,
			Description: "select columns of table " + tableName,
		})
	}

	b.inputs[n.BoolExp] = graphql.NewInputObject(graphql.InputObjectConfig{
		Name:        n.BoolExp,
		Description: "Boolean expression to filter rows from the table " + tableName + ". All fields are combined with a logical 'AND'.",
		Fields: graphql.InputObjectConfigFieldMapThunk(func() graphql.InputObjectConfigFieldMap {
			self := b.inputs[n.BoolExp]
			f := graphql.InputObjectConfigFieldMap{
				"_and": {Type: graphql.NewList(graphql.NewNonNull(self))},
				"_not": {Type: self},
				"_or":  {Type: graphql.NewList(graphql.NewNonNull(self))},
			}
			for _, c := range t.Columns {
				f[c.Field] = &graphql.InputObjectFieldConfig{Type: b.comparison(c.Scalar)}
			}
			for _, r := range t.Relationships {
				f[r.Field] = &graphql.InputObjectFieldConfig{Type: b.inputs[r.Target.Names.BoolExp]}
			}
			b.aggregateBoolExpFields(t, f)
			b.computedBoolExpFields(t, f)
			return f
		}),
	})
	b.inputs[n.OrderBy] = graphql.NewInputObject(graphql.InputObjectConfig{
		Name:        n.OrderBy,
		Description: "Ordering options when selecting data from " + tableName + ".",
		Fields: graphql.InputObjectConfigFieldMapThunk(func() graphql.InputObjectConfigFieldMap {
			f := graphql.InputObjectConfigFieldMap{}
			for _, c := range t.Columns {
				f[c.Field] = &graphql.InputObjectFieldConfig{Type: b.orderBy}
			}
			for _, r := range t.Relationships {
				if r.Meta.Kind == metadata.ObjectRel {
					f[r.Field] = &graphql.InputObjectFieldConfig{Type: b.inputs[r.Target.Names.OrderBy]}
				}
			}
			b.orderByExtraFields(t, f)
			return f
		}),
	})

	b.objs[n.Object] = graphql.NewObject(graphql.ObjectConfig{
		Name:        n.Object,
		Description: t.description(),
		Fields: graphql.FieldsThunk(func() graphql.Fields {
			f := graphql.Fields{}
			for _, c := range t.Columns {
				var typ graphql.Output = b.columnType(c.Scalar)
				if !c.Info.Nullable && t.Perm.Select.CellFilters[c.Info.Name] == nil {
					// A cell an inherited role may not see in some rows
					// reads as null there (Hasura makes it nullable).
					typ = graphql.NewNonNull(typ)
				}
				f[c.Field] = &graphql.Field{Type: typ, Args: columnFieldArgs(c), Description: c.Description}
			}
			for _, r := range t.Relationships {
				target := b.objs[r.Target.Names.Object]
				if r.Meta.Kind == metadata.ObjectRel {
					var typ graphql.Output = target
					if r.nonNull(t) {
						typ = graphql.NewNonNull(target)
					}
					f[r.Field] = &graphql.Field{Type: typ, Description: orDefault(r.Meta.Comment, "An object relationship")}
					continue
				}
				f[r.Field] = &graphql.Field{Type: nonNullList(target), Args: b.listArgs(r.Target), Description: orDefault(r.Meta.Comment, "An array relationship")}
				agg := b.naming.RelAggregateFieldName(r.Field)
				if _, clash := f[agg]; !clash && r.Target.Aggregatable() {
					f[agg] = &graphql.Field{
						Type: graphql.NewNonNull(b.objs[r.Target.Names.Aggregate]), Args: b.listArgs(r.Target),
						Description: orDefault(r.Meta.Comment, "An aggregate relationship"),
					}
				}
			}
			b.computedGraphQLFields(t, f)
			return f
		}),
	})
	b.aggregateTypes(t)
}

// description is the description of t's row type, as Hasura builds it:
// the configuration's comment ("" for none), else the database comment,
// else a generated one.
func (t *Table) description() string {
	switch {
	case t.Meta.Config.Comment != nil:
		return *t.Meta.Config.Comment
	case t.Meta.Info.Comment != "":
		return t.Meta.Info.Comment
	}
	return "columns and relationships of " + t.quotedName()
}

// nonNull reports whether the object relationship r of owner is a
// non-null field, by Hasura's rule: only a relationship that follows a
// foreign key of owner's own columns, all of them NOT NULL, always finds a
// row. Manual relationships and those following a key of the target
// table are nullable.
func (r *Relationship) nonNull(owner *Table) bool {
	if r.Meta.Manual || r.Meta.InsertOrder != metadata.InsertBeforeParent {
		return false
	}
	for _, p := range r.Meta.Mapping {
		if c := owner.Meta.Info.Column(p.From); c == nil || c.Nullable {
			return false
		}
	}
	return true
}

// quotedName is how Hasura writes t's name in descriptions.
func (t *Table) quotedName() string {
	return quotedName(t.Meta.Info.Name.Schema, t.Meta.Info.Name.Name)
}

func (b *builder) aggregateTypes(t *Table) {
	n := t.Names
	tableName := t.quotedName()
	fields := graphql.Fields{}
	countArgs := graphql.FieldConfigArgument{"distinct": {Type: graphql.Boolean}}
	if e, ok := b.enums[n.SelectColumn]; ok {
		countArgs["columns"] = &graphql.ArgumentConfig{Type: graphql.NewList(graphql.NewNonNull(e))}
	}
	fields["count"] = &graphql.Field{Type: graphql.NewNonNull(graphql.Int), Args: countArgs}
	for _, op := range aggregateOps {
		cols := aggregateColumns(t, op.numericOnly)
		if len(cols) == 0 {
			continue
		}
		opFields := graphql.Fields{}
		for _, c := range cols {
			typ := b.scalar(c.Scalar)
			if aggregateResultScalar(op.name, c) == "Float" {
				typ = graphql.Float
			}
			opFields[c.Field] = &graphql.Field{Type: typ}
		}
		opType := graphql.NewObject(graphql.ObjectConfig{
			Name: n.AggregateOp[op.name], Fields: opFields,
			Description: fmt.Sprintf("aggregate %s on columns", op.name),
		})
		fields[b.naming.Field(op.name)] = &graphql.Field{Type: opType}
	}
	aggFields := graphql.NewObject(graphql.ObjectConfig{
		Name: n.AggregateFields, Fields: fields,
		Description: "aggregate fields of " + tableName,
	})
	b.objs[n.Aggregate] = graphql.NewObject(graphql.ObjectConfig{
		Name:        n.Aggregate,
		Description: "aggregated selection of " + tableName,
		Fields: graphql.FieldsThunk(func() graphql.Fields {
			return graphql.Fields{
				"aggregate": {Type: aggFields},
				"nodes":     {Type: nonNullList(b.objs[n.Object])},
			}
		}),
	})
}
