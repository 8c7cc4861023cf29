package plan

import (
	"github.com/graphql-go/graphql/language/ast"

	"github.com/trellis-gql/trellis/engine/gqlerr"
	"github.com/trellis-gql/trellis/engine/schema"
)

// mutationRootFields plans the root fields of a mutation, in order.
func (p *planner) mutationRootFields(set *ast.SelectionSet) (*Operation, error) {
	if p.schema.Mutation == nil {
		return nil, gqlerr.Root.Errorf(gqlerr.ValidationFailed, "no mutations exist")
	}
	fields, err := p.collect([]*ast.SelectionSet{set}, schema.MutationRoot, gqlerr.Root, nil)
	if err != nil {
		return nil, err
	}
	op := &Operation{}
	for _, f := range fields {
		name := f.field.Name.Value
		if name == "__typename" {
			op.Fields = append(op.Fields, RootField{Alias: f.alias, Kind: RootTypename, Text: schema.MutationRoot})
			continue
		}
		sf, ok := p.schema.Mutation.Fields[name]
		if !ok {
			return nil, notFound(f.path, name, schema.MutationRoot)
		}
		if err := p.checkArgs(f, sf, schema.MutationRoot); err != nil {
			return nil, err
		}
		m, err := p.mutationField(f, sf)
		if err != nil {
			return nil, err
		}
		op.Fields = append(op.Fields, RootField{Alias: f.alias, Kind: RootMutation, Mutation: m})
	}
	return op, nil
}

// argument is a field argument's value with its path.
type argument struct {
	value any
	path  gqlerr.Path
}

// arguments reads a field's arguments, keyed by Hasura's default spelling.
func (p *planner) arguments(f *selected) (map[string]argument, error) {
	out := map[string]argument{}
	for _, a := range f.field.Arguments {
		path := f.path.Key("args").Key(a.Name.Value)
		v, err := p.valueOf(a.Value, path)
		if err != nil {
			return nil, err
		}
		out[p.word(a.Name.Value)] = argument{value: v, path: path}
	}
	return out, nil
}

// required returns a required argument, or Hasura's error when it is
// missing or null.
func required(f *selected, args map[string]argument, name, typeName string) (argument, error) {
	a, ok := args[name]
	if !ok {
		return a, f.path.Errorf(gqlerr.ValidationFailed, "missing required field '%s'", name)
	}
	if a.value == nil {
		return a, a.path.Errorf(gqlerr.ValidationFailed, "unexpected null value for type '%s'", typeName)
	}
	return a, nil
}

// mutationField plans one mutation root field.
func (p *planner) mutationField(f *selected, sf *schema.Field) (*Mutation, error) {
	t := sf.Table
	args, err := p.arguments(f)
	if err != nil {
		return nil, err
	}
	m := &Mutation{ErrorPath: "$"}
	w := Write{Table: t.Meta.Info}
	switch sf.Kind {
	case schema.FieldInsert, schema.FieldInsertOne:
		w.Insert, m.ErrorPath, err = p.insertArgs(f, t, args, sf.Kind == schema.FieldInsertOne)
	case schema.FieldDelete:
		w.Delete = &DMLDelete{Table: t.Meta.Info}
		w.Delete.Where, err = p.whereArg(f, t, args)
	case schema.FieldDeleteByPk:
		w.Delete = &DMLDelete{Table: t.Meta.Info}
		w.Delete.Where, err = p.pkWhere(f, t)
	case schema.FieldUpdate, schema.FieldUpdateByPk:
		w.Update, err = p.updateArgs(f, t, args, sf.Kind == schema.FieldUpdateByPk)
	case schema.FieldUpdateMany:
		return p.updateMany(f, t, args)
	}
	if err != nil {
		return nil, err
	}
	if w.Delete != nil {
		w.Delete.Where = conjoin(p.permission(t.Perm.Delete.Filter), w.Delete.Where)
	}
	one := sf.Kind == schema.FieldInsertOne || sf.Kind == schema.FieldUpdateByPk || sf.Kind == schema.FieldDeleteByPk
	if w.Output, err = p.mutationOutput(f, t, one); err != nil {
		return nil, err
	}
	m.Writes = []Write{w}
	return m, nil
}

// whereArg reads the required where of update_<t> and delete_<t>.
func (p *planner) whereArg(f *selected, t *schema.Table, args map[string]argument) (BoolExp, error) {
	a, err := required(f, args, "where", t.Names.BoolExp)
	if err != nil {
		return nil, err
	}
	return p.boolExp(a.value, t, a.path)
}

// mutationOutput plans the selection set of a mutation field: the row
// type for the _one and _by_pk fields, <t>_mutation_response otherwise.
func (p *planner) mutationOutput(f *selected, t *schema.Table, one bool) (MutationOutput, error) {
	out := MutationOutput{One: one}
	if f.field.SelectionSet == nil {
		return out, f.path.Errorf(gqlerr.ValidationFailed, "missing selection set for %q", f.field.Name.Value)
	}
	var err error
	if one {
		out.Row, err = p.rowFields(f, t)
		return out, err
	}
	out.Response, err = p.responseFields(f, t)
	return out, err
}

// responseFields plans the selection set of <t>_mutation_response.
func (p *planner) responseFields(f *selected, t *schema.Table) ([]ResponseField, error) {
	var out []ResponseField
	typeName := t.Mutable.Names.Response
	err := p.eachField(f, typeName, func(alias string) {
		out = append(out, ResponseField{Alias: alias, Kind: ResponseTypename, Text: typeName})
	}, func(s *selected, sf *schema.Field) error {
		if sf.Kind == schema.FieldAffectedRows {
			if s.field.SelectionSet != nil {
				return s.path.Errorf(gqlerr.ValidationFailed, "unexpected subselection set for non-object field")
			}
			out = append(out, ResponseField{Alias: s.alias, Kind: ResponseAffectedRows})
			return nil
		}
		if s.field.SelectionSet == nil {
			return s.path.Errorf(gqlerr.ValidationFailed, "missing selection set for %q", sf.Name)
		}
		rows, err := p.rowFields(s, t)
		out = append(out, ResponseField{Alias: s.alias, Kind: ResponseReturning, Returning: rows})
		return err
	})
	return out, err
}
