package plan

import (
	"github.com/graphql-go/graphql/language/ast"

	"github.com/trellis-gql/trellis/engine/gqlerr"
	"github.com/trellis-gql/trellis/engine/schema"
)

func (p *planner) rootFields(set *ast.SelectionSet) (*Operation, error) {
	fields, err := p.collect([]*ast.SelectionSet{set}, schema.QueryRoot, gqlerr.Root, nil)
	if err != nil {
		return nil, err
	}
	op := &Operation{}
	for _, f := range fields {
		rf, err := p.rootField(f, p.schema.Query)
		if err != nil {
			return nil, err
		}
		op.Fields = append(op.Fields, rf)
	}
	return op, nil
}

func (p *planner) rootField(f *selected, root *schema.Object) (RootField, error) {
	name := f.field.Name.Value
	switch name {
	case "__typename":
		return RootField{Alias: f.alias, Kind: RootTypename, Text: root.Name}, nil
	case "__schema", "__type":
		return RootField{Alias: f.alias, Kind: RootIntrospection, Field: f.field}, nil
	}
	sf, ok := root.Fields[name]
	if !ok {
		return RootField{}, notFound(f.path, name, root.Name)
	}
	if err := p.checkArgs(f, sf, root.Name); err != nil {
		return RootField{}, err
	}
	if sf.Kind == schema.FieldNoQueries {
		return RootField{Alias: f.alias, Kind: RootConstant, Text: `"There are no queries available to the current role. Either there are no sources or remote schemas configured, or the current role doesn't have the required permissions."`}, nil
	}
	sel, err := p.tableField(f, sf)
	if err != nil {
		return RootField{}, err
	}
	return RootField{Alias: f.alias, Kind: RootSelect, Select: sel}, nil
}

func notFound(path gqlerr.Path, field, typeName string) error {
	return path.Errorf(gqlerr.ValidationFailed, "field '%s' not found in type: '%s'", field, typeName)
}

// checkArgs rejects arguments the schema field does not take and variables
// whose declared type does not fit where they are used.
func (p *planner) checkArgs(f *selected, sf *schema.Field, parentType string) error {
	for _, a := range f.field.Arguments {
		if !sf.Args[a.Name.Value] {
			return f.path.Errorf(gqlerr.ValidationFailed, "'%s' has no argument named '%s'", sf.Name, a.Name.Value)
		}
	}
	if len(f.field.Arguments) == 0 {
		return nil
	}
	return p.checkVariableUsages(f, parentType)
}

// tableField plans a field that reads a table: a root field or a
// relationship.
func (p *planner) tableField(f *selected, sf *schema.Field) (*Select, error) {
	t := sf.Table
	sel := &Select{Table: t.Meta.Info}
	if sf.Rel != nil {
		for _, m := range sf.Rel.Meta.Mapping {
			sel.From.Join = append(sel.From.Join, ColumnPair{Outer: m.From, Inner: m.To})
		}
	}
	switch sf.Kind {
	case schema.FieldSelect, schema.FieldArrayRel:
		sel.Shape = ShapeArray
	case schema.FieldSelectStream:
		sel.Shape = ShapeArray
		if err := p.streamArgs(f, t, sel); err != nil {
			return nil, err
		}
	case schema.FieldObjectRel:
		sel.Shape = ShapeObject
	case schema.FieldSelectByPk:
		sel.Shape = ShapeObject
		where, err := p.pkWhere(f, t)
		if err != nil {
			return nil, err
		}
		sel.From.Where = where
	case schema.FieldSelectAggregate, schema.FieldArrayRelAggregate:
		sel.Shape = ShapeAggregate
	case schema.FieldFunction, schema.FieldFunctionAggregate, schema.FieldComputedTable:
		if err := p.functionRows(f, sf, sel); err != nil {
			return nil, err
		}
	}
	if sf.Kind != schema.FieldSelectByPk && sf.Kind != schema.FieldObjectRel && sf.Kind != schema.FieldSelectStream {
		if err := p.listArgs(f, t, &sel.From); err != nil {
			return nil, err
		}
	}
	p.readable(t, &sel.From)
	sel.Cells = p.cells(t)
	if f.field.SelectionSet == nil {
		return nil, f.path.Errorf(gqlerr.ValidationFailed, "missing selection set for %q", sf.Name)
	}
	var err error
	if sel.Shape == ShapeAggregate {
		sel.Aggregate, err = p.aggregateFields(f, t)
	} else {
		sel.Fields, err = p.rowFields(f, t)
	}
	if err != nil {
		return nil, err
	}
	return sel, nil
}

// pkWhere builds the condition of a _by_pk field from its arguments.
func (p *planner) pkWhere(f *selected, t *schema.Table) (BoolExp, error) {
	args := map[string]ast.Value{}
	for _, a := range f.field.Arguments {
		args[a.Name.Value] = a.Value
	}
	var where And
	for _, c := range t.PrimaryKey {
		path := f.path.Key("args").Key(c.Field)
		av, ok := args[c.Field]
		if !ok {
			return nil, f.path.Errorf(gqlerr.ValidationFailed, "missing required field '%s'", c.Field)
		}
		v, err := p.valueOf(av, path)
		if err != nil {
			return nil, err
		}
		written := func(int) bool { return variableName(av) == "" }
		convert := func(x any) (Value, error) {
			return operandValue(x, schema.OperandScalar, columnSubject(c), path, written)
		}
		val, err := convert(v)
		if err != nil {
			return nil, err
		}
		if name := variableName(av); name != "" {
			val.From = p.fromVariable(name, convert)
		}
		where = append(where, Compare{Column: c.Info.Name, Type: c.Type, Op: "_eq", Value: val})
	}
	return where, nil
}

// eachField walks the selection set of f on the object type objName:
// __typename fields go to typename, every other field, once checked to
// exist and to take its arguments, to each.
func (p *planner) eachField(f *selected, objName string, typename func(alias string), each func(s *selected, sf *schema.Field) error) error {
	obj := p.schema.Object(objName)
	subs, err := p.collect(f.sets, obj.Name, f.path, f.frags)
	if err != nil {
		return err
	}
	for _, s := range subs {
		name := s.field.Name.Value
		if name == "__typename" {
			typename(s.alias)
			continue
		}
		sf, ok := obj.Fields[name]
		if !ok {
			return notFound(s.path, name, obj.Name)
		}
		if err := p.checkArgs(s, sf, obj.Name); err != nil {
			return err
		}
		if err := each(s, sf); err != nil {
			return err
		}
	}
	return nil
}

// rowFields plans the selection set of a table's row type.
func (p *planner) rowFields(f *selected, t *schema.Table) ([]Field, error) {
	var out []Field
	typeName := t.Names.Object
	err := p.eachField(f, typeName, func(alias string) {
		out = append(out, Field{Alias: alias, Kind: FieldTypename, Text: typeName})
	}, func(s *selected, sf *schema.Field) error {
		if sf.Kind == schema.FieldColumn {
			if s.field.SelectionSet != nil {
				return s.path.Errorf(gqlerr.ValidationFailed, "unexpected subselection set for non-object field")
			}
			jsonPath, err := p.columnJSONPath(s)
			if err != nil {
				return err
			}
			e := sf.Column.Scalar.Enum
			out = append(out, Field{Alias: s.alias, Kind: FieldColumn, Column: sf.Column.Info.Name, Type: sf.Column.Type, JSONPath: jsonPath,
				Upper: e != nil && e.Upper()})
			return nil
		}
		if sf.Kind == schema.FieldComputedScalar {
			cf, err := p.computedScalar(s, sf)
			out = append(out, cf)
			return err
		}
		nested, err := p.tableField(s, sf)
		if err != nil {
			return err
		}
		out = append(out, Field{Alias: s.alias, Kind: FieldSelect, Select: nested})
		return nil
	})
	return out, err
}

// aggregateFields plans the selection set of <t>_aggregate.
func (p *planner) aggregateFields(f *selected, t *schema.Table) ([]AggField, error) {
	var out []AggField
	typeName := t.Names.Aggregate
	err := p.eachField(f, typeName, func(alias string) {
		out = append(out, AggField{Alias: alias, Kind: AggTypename, Text: typeName})
	}, func(s *selected, sf *schema.Field) error {
		switch sf.Kind {
		case schema.FieldNodes:
			nodes, err := p.rowFields(s, t)
			if err != nil {
				return err
			}
			out = append(out, AggField{Alias: s.alias, Kind: AggNodes, Nodes: nodes})
		case schema.FieldAggregate:
			children, err := p.aggregateOps(s, t)
			if err != nil {
				return err
			}
			out = append(out, AggField{Alias: s.alias, Kind: AggObject, Children: children})
		}
		return nil
	})
	return out, err
}

// aggregateOps plans the selection set of <t>_aggregate_fields: count and
// the per-operator objects (sum { … }, max { … }, …).
func (p *planner) aggregateOps(f *selected, t *schema.Table) ([]AggField, error) {
	var out []AggField
	typeName := t.Names.AggregateFields
	err := p.eachField(f, typeName, func(alias string) {
		out = append(out, AggField{Alias: alias, Kind: AggTypename, Text: typeName})
	}, func(s *selected, sf *schema.Field) error {
		if sf.Kind == schema.FieldCount {
			cf, err := p.countField(s, t)
			out = append(out, cf)
			return err
		}
		var children []AggField
		err := p.eachField(s, sf.Type, func(alias string) {
			children = append(children, AggField{Alias: alias, Kind: AggTypename, Text: sf.Type})
		}, func(c *selected, cf *schema.Field) error {
			children = append(children, AggField{Alias: c.alias, Kind: AggColumn, Op: sf.AggOp, Column: cf.Column.Info.Name, Type: cf.Column.Type})
			return nil
		})
		out = append(out, AggField{Alias: s.alias, Kind: AggObject, Children: children})
		return err
	})
	return out, err
}

func (p *planner) countField(s *selected, t *schema.Table) (AggField, error) {
	cf := AggField{Alias: s.alias, Kind: AggCount}
	for _, a := range s.field.Arguments {
		path := s.path.Key("args").Key(a.Name.Value)
		v, err := p.valueOf(a.Value, path)
		if err != nil {
			return cf, err
		}
		switch a.Name.Value {
		case "distinct":
			if v == nil {
				continue
			}
			b, ok := v.(bool)
			if !ok {
				return cf, typeMismatch(path, "Boolean", "a boolean", v)
			}
			cf.Distinct = b
		case "columns":
			cols, err := selectColumns(v, t, path)
			if err != nil {
				return cf, err
			}
			cf.Columns = cols
		}
	}
	return cf, nil
}

// selectColumns reads a list of <t>_select_column values (a single value is
// a list of one, as GraphQL input coercion allows).
func selectColumns(v any, t *schema.Table, path gqlerr.Path) ([]string, error) {
	if v == nil {
		return nil, nil
	}
	list, ok := v.([]any)
	if !ok {
		list = []any{v}
	}
	var cols []string
	for i, item := range list {
		name, ok := enumText(item)
		c := t.ColumnByEnumValue(name)
		if !ok || c == nil {
			return nil, path.Index(i).Errorf(gqlerr.ValidationFailed, "expected one of the values %s for type '%s', but found %s", columnList(t), t.Names.SelectColumn, describeEnum(item))
		}
		cols = append(cols, c.Info.Name)
	}
	return cols, nil
}

// enumText reads an enum value: a literal, or a string from a variable.
func enumText(v any) (string, bool) {
	switch v := v.(type) {
	case enumValue:
		return string(v), true
	case string:
		return v, true
	}
	return "", false
}

func describeEnum(v any) string {
	if s, ok := enumText(v); ok {
		return "'" + s + "'"
	}
	return describe(v)
}

func columnList(t *schema.Table) string {
	out := "["
	for i, c := range t.Columns {
		if i > 0 {
			out += ", "
		}
		out += "'" + t.EnumValueOf(c) + "'"
	}
	return out + "]"
}
