package plan

import (
	"github.com/trellis-gql/trellis/engine/catalog"
	"github.com/trellis-gql/trellis/engine/gqlerr"
	"github.com/trellis-gql/trellis/engine/schema"
	"github.com/trellis-gql/trellis/metadata"
)

// FunctionCall is a call of a SQL function: the rows of a tracked function
// or table computed field, or the value of a scalar computed field.
type FunctionCall struct {
	Name catalog.QualifiedName
	// Field names the computed field the call computes, "" for other
	// calls.
	Field string
	// Args are in call order: positional ones (Name "") first, then named.
	Args []CallArg
}

// CallArgKind tells where an argument's value comes from.
type CallArgKind int

// Argument kinds.
const (
	CallValue   CallArgKind = iota // a client value
	CallSession                    // the session variables, as json
	CallRow                        // the row of the enclosing table
)

// CallArg is one argument of a FunctionCall.
type CallArg struct {
	// Name is the SQL argument name for named notation, "" for positional.
	Name  string
	Kind  CallArgKind
	Value Value // CallValue
}

// functionRows sets the shape of a select that reads a function's rows,
// and the call, from a tracked function or table computed field.
func (p *planner) functionRows(f *selected, sf *schema.Field, sel *Select) error {
	var in *schema.ArgsInput
	var all []metadata.FunctionArg
	var name catalog.QualifiedName
	switch sf.Kind {
	case schema.FieldComputedTable:
		in, all, name = sf.Computed.Args, sf.Computed.Meta.Args, sf.Computed.Meta.Function.Name
		sel.Shape = ShapeArray
	default:
		fn := sf.Function.Meta
		in, all, name = sf.Function.Args, fn.Args, fn.Info.Name
		switch {
		case sf.Kind == schema.FieldFunctionAggregate:
			sel.Shape = ShapeAggregate
		case fn.Info.ReturnsSet:
			sel.Shape = ShapeArray
		default:
			sel.Shape = ShapeObject
		}
	}
	call, err := p.functionCall(f, in, all)
	if err != nil {
		return err
	}
	call.Name = name
	sel.Function = call
	return nil
}

// computedScalar plans a scalar computed field of a row.
func (p *planner) computedScalar(s *selected, sf *schema.Field) (Field, error) {
	if s.field.SelectionSet != nil {
		return Field{}, s.path.Errorf(gqlerr.ValidationFailed, "unexpected subselection set for non-object field")
	}
	c := sf.Computed
	call, err := p.functionCall(s, c.Args, c.Meta.Args)
	if err != nil {
		return Field{}, err
	}
	call.Name, call.Field = c.Meta.Function.Name, c.Meta.Name
	return Field{Alias: s.alias, Kind: FieldComputed, Type: c.Meta.Scalar, Call: call}, nil
}

// functionCall reads a field's "args" object and lays out the call the way
// Hasura does: the leading arguments that have a value are passed by
// position; after the first omitted one, the rest are passed by name, an
// omitted argument must have a default, and an unnamed one cannot follow an
// omitted one.
func (p *planner) functionCall(f *selected, in *schema.ArgsInput, all []metadata.FunctionArg) (*FunctionCall, error) {
	given, err := p.argsObject(f, in)
	if err != nil {
		return nil, err
	}
	return layoutCall(given, all, f.path.Key("args").Key("args"))
}

// layoutCall lays out a call of a function with the given client
// arguments (see functionCall); path is where the arguments were read.
func layoutCall(given map[string]Value, all []metadata.FunctionArg, path gqlerr.Path) (*FunctionCall, error) {
	call := &FunctionCall{}
	positional := true
	for _, a := range all {
		arg := CallArg{Name: a.Name}
		switch a.Role {
		case metadata.ArgSession:
			arg.Kind = CallSession
		case metadata.ArgTableRow:
			arg.Kind = CallRow
		default:
			v, ok := given[a.GraphQLName]
			if !ok {
				if !a.HasDefault {
					return nil, path.Errorf(gqlerr.NotSupported, "Non default arguments cannot be omitted")
				}
				positional = false
				continue
			}
			arg.Value = v
		}
		if positional {
			arg.Name = ""
		} else if arg.Name == "" {
			return nil, path.Errorf(gqlerr.NotSupported, "Only last set of positional arguments can be omitted")
		}
		call.Args = append(call.Args, arg)
	}
	return call, nil
}

// argsObject reads the "args" argument of a field into values by field
// name.
func (p *planner) argsObject(f *selected, in *schema.ArgsInput) (map[string]Value, error) {
	out := map[string]Value{}
	var raw any
	found := false
	path := f.path.Key("args").Key("args")
	for _, a := range f.field.Arguments {
		if a.Name.Value != "args" {
			continue
		}
		v, err := p.valueOf(a.Value, path)
		if err != nil {
			return nil, err
		}
		raw, found = v, true
	}
	if in == nil {
		return out, nil
	}
	if raw == nil {
		switch {
		case found && in.Required:
			return nil, path.Errorf(gqlerr.ValidationFailed, "unexpected null value for type '%s'", in.Name)
		case in.Required:
			return nil, f.path.Errorf(gqlerr.ValidationFailed, "missing required field 'args'")
		}
		return out, nil
	}
	obj, ok := raw.(*object)
	if !ok {
		return nil, typeMismatch(path, in.Name, "an object", raw)
	}
	for i, key := range obj.keys {
		kp := path.Key(key)
		a, ok := in.ByField[key]
		if !ok {
			return nil, notFound(kp, key, in.Name)
		}
		convert := func(x any) (Value, error) { return scalarValue(x, a.Scalar, a.Meta.Type, kp) }
		v, err := convert(obj.vals[i])
		if err != nil {
			return nil, err
		}
		if name := obj.source(key); name != "" {
			v.From = p.fromVariable(name, convert)
		}
		out[key] = v
	}
	return out, nil
}
