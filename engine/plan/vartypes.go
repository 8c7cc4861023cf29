package plan

import (
	"github.com/graphql-go/graphql"
	"github.com/graphql-go/graphql/language/ast"

	"github.com/trellis-gql/trellis/engine/gqlerr"
)

// checkVariableUsages checks that every variable used in a field's
// arguments is declared with a type that fits where it is used.
func (p *planner) checkVariableUsages(f *selected, parentType string) error {
	gs, err := p.schema.GraphQL()
	if err != nil {
		return err
	}
	obj, ok := gs.Type(parentType).(*graphql.Object)
	if !ok {
		return nil
	}
	def, ok := obj.Fields()[f.field.Name.Value]
	if !ok {
		return nil
	}
	for _, a := range f.field.Arguments {
		for _, arg := range def.Args {
			if arg.Name() == a.Name.Value {
				if err := p.checkUsage(a.Value, arg.Type, f.path.Key("args").Key(a.Name.Value)); err != nil {
					return err
				}
			}
		}
	}
	return nil
}

func (p *planner) checkUsage(v ast.Value, expected graphql.Input, path gqlerr.Path) error {
	switch v := v.(type) {
	case *ast.Variable:
		def, ok := p.varDefs[v.Name.Value]
		if !ok {
			return path.Errorf(gqlerr.ValidationFailed, "unbound variable %q", v.Name.Value)
		}
		if !fits(def.Type, expected, def.DefaultValue != nil) {
			return path.Errorf(gqlerr.ValidationFailed, "variable '%s' is declared as '%s', but used where '%s' is expected",
				v.Name.Value, typeString(def.Type), expected.String())
		}
	case *ast.ListValue:
		elem := expected
		if nn, ok := elem.(*graphql.NonNull); ok {
			elem = nn.OfType
		}
		if l, ok := elem.(*graphql.List); ok {
			elem = l.OfType
		}
		for i, item := range v.Values {
			if err := p.checkUsage(item, elem, path.Index(i)); err != nil {
				return err
			}
		}
	case *ast.ObjectValue:
		in := expected
		if nn, ok := in.(*graphql.NonNull); ok {
			in = nn.OfType
		}
		if l, ok := in.(*graphql.List); ok { // a single object where a list is expected
			in = l.OfType
			if nn, ok := in.(*graphql.NonNull); ok {
				in = nn.OfType
			}
		}
		obj, ok := in.(*graphql.InputObject)
		if !ok {
			return nil
		}
		fields := obj.Fields()
		for _, f := range v.Fields {
			if fd, ok := fields[f.Name.Value]; ok {
				if err := p.checkUsage(f.Value, fd.Type, path.Key(f.Name.Value)); err != nil {
					return err
				}
			}
		}
	}
	return nil
}

// fits reports whether a variable declared as declared may be used where
// expected is expected (GraphQL's "all variable usages are allowed"): the
// same named types and list shapes; a nullable variable fits a non-null
// position only when it has a default.
func fits(declared ast.Type, expected graphql.Type, hasDefault bool) bool {
	if nn, ok := expected.(*graphql.NonNull); ok {
		d, ok := declared.(*ast.NonNull)
		if !ok {
			return hasDefault && fits(declared, nn.OfType, false)
		}
		return fits(d.Type, nn.OfType, false)
	}
	if d, ok := declared.(*ast.NonNull); ok {
		return fits(d.Type, expected, false)
	}
	if l, ok := expected.(*graphql.List); ok {
		d, ok := declared.(*ast.List)
		if !ok {
			// A single value may be given where a list is expected.
			return fits(declared, l.OfType, hasDefault) || fitsNullable(declared, l.OfType)
		}
		return fits(d.Type, l.OfType, false)
	}
	d, ok := declared.(*ast.Named)
	return ok && d.Name.Value == expected.Name()
}

func fitsNullable(declared ast.Type, expected graphql.Type) bool {
	if nn, ok := expected.(*graphql.NonNull); ok {
		expected = nn.OfType
	}
	d, ok := declared.(*ast.Named)
	return ok && d.Name.Value == expected.Name()
}
