package plan

import (
	"strings"

	"github.com/graphql-go/graphql/language/ast"

	"github.com/trellis-gql/trellis/engine/gqlerr"
	"github.com/trellis-gql/trellis/engine/schema"
)

// Request is what the planner needs of a GraphQL request.
type Request struct {
	Document      *ast.Document
	OperationName string
	Variables     Variables
}

type planner struct {
	schema    *schema.Schema
	fragments map[string]*ast.FragmentDefinition
	varDefs   map[string]*ast.VariableDefinition
	vars      Variables
	// uses counts how often each variable's value was read, bound how
	// often such a read became a Value with a VarSource (see rebindable).
	uses, bound map[string]int
	// sessionVars are the session variables the permissions folded in
	// read, in order of first use.
	sessionVars []string
}

// Plan checks the selected operation of a request against a role's schema
// and builds its IR.
func Plan(s *schema.Schema, req Request) (*Operation, error) {
	op, err := SelectOperation(req.Document, req.OperationName)
	if err != nil {
		return nil, err
	}
	p := &planner{
		schema:    s,
		fragments: map[string]*ast.FragmentDefinition{},
		varDefs:   map[string]*ast.VariableDefinition{},
		vars:      req.Variables,
		uses:      map[string]int{},
		bound:     map[string]int{},
	}
	for _, d := range req.Document.Definitions {
		if f, ok := d.(*ast.FragmentDefinition); ok {
			p.fragments[f.Name.Value] = f
		}
	}
	if err := p.bindVariables(op); err != nil {
		return nil, err
	}
	switch op.Operation {
	case ast.OperationTypeMutation:
		plan, err := p.mutationRootFields(op.SelectionSet)
		if err != nil {
			return nil, err
		}
		plan.SessionVars = p.sessionVars
		return plan, nil
	case ast.OperationTypeSubscription:
		plan, err := p.subscription(op)
		if err != nil {
			return nil, err
		}
		plan.Rebindable = p.rebindable()
		plan.SessionVars = p.sessionVars
		return plan, nil
	}
	if len(op.Directives) > 0 {
		return nil, gqlerr.Root.Errorf(gqlerr.ValidationFailed, "directive %q is not allowed on a query", op.Directives[0].Name.Value)
	}
	plan, err := p.rootFields(op.SelectionSet)
	if err != nil {
		return nil, err
	}
	plan.Rebindable = p.rebindable()
	plan.SessionVars = p.sessionVars
	return plan, nil
}

// fromVariable records that a value is the whole value of variable name,
// computed by convert, and returns its source.
func (p *planner) fromVariable(name string, convert func(any) (Value, error)) *VarSource {
	p.bound[name]++
	return &VarSource{Name: name, Convert: convert}
}

// rebindable lists the variables every use of which became a Value with a
// source: a new value of theirs changes arguments, never the SQL text.
func (p *planner) rebindable() map[string]bool {
	out := map[string]bool{}
	for name, n := range p.uses {
		if p.bound[name] == n {
			out[name] = true
		}
	}
	return out
}

// word maps a generated argument, input field or enum value name, as the
// schema's naming convention spells it, to Hasura's default spelling.
func (p *planner) word(s string) string { return p.schema.Naming.Word(s) }

// variableName returns the name of the variable an AST value is, or "".
func variableName(v ast.Value) string {
	if vr, ok := v.(*ast.Variable); ok {
		return vr.Name.Value
	}
	return ""
}

// SelectOperation picks the operation a request runs.
func SelectOperation(doc *ast.Document, name string) (*ast.OperationDefinition, error) {
	var ops []*ast.OperationDefinition
	for _, d := range doc.Definitions {
		if op, ok := d.(*ast.OperationDefinition); ok {
			ops = append(ops, op)
		}
	}
	if name != "" {
		for _, op := range ops {
			if op.Name != nil && op.Name.Value == name {
				return op, nil
			}
		}
		return nil, gqlerr.Root.Errorf(gqlerr.ValidationFailed, "no such operation found in the document: %q", name)
	}
	if len(ops) != 1 {
		return nil, gqlerr.Root.Errorf(gqlerr.ValidationFailed, "exactly one operation has to be present in the document when operationName is not specified")
	}
	return ops[0], nil
}

// bindVariables checks that every non-null variable without a default has
// a value and applies defaults.
func (p *planner) bindVariables(op *ast.OperationDefinition) error {
	given := p.vars
	p.vars = make(Variables, len(op.VariableDefinitions))
	for _, def := range op.VariableDefinitions {
		name := def.Variable.Name.Value
		p.varDefs[name] = def
		if v, ok := given[name]; ok {
			if _, nonNull := def.Type.(*ast.NonNull); nonNull && v == nil {
				return gqlerr.Root.Key("variableValues").Key(name).Errorf(gqlerr.ValidationFailed, "null value found for non-nullable type: %q", typeString(def.Type))
			}
			p.vars[name] = v
			continue
		}
		if def.DefaultValue != nil {
			v, err := p.valueOf(def.DefaultValue, gqlerr.Root.Key("variableValues").Key(name))
			if err != nil {
				return err
			}
			p.vars[name] = v
			continue
		}
		if _, nonNull := def.Type.(*ast.NonNull); nonNull {
			return gqlerr.Root.Errorf(gqlerr.ValidationFailed, "expecting a value for non-nullable variable: %q", name)
		}
	}
	return nil
}

func typeString(t ast.Type) string {
	switch t := t.(type) {
	case *ast.NonNull:
		return typeString(t.Type) + "!"
	case *ast.List:
		return "[" + typeString(t.Type) + "]"
	case *ast.Named:
		return t.Name.Value
	}
	return ""
}

// selected is a field of a selection set after fragments are inlined and
// @skip/@include applied; fields with the same response key are merged.
type selected struct {
	alias string
	field *ast.Field
	// sets are the sub-selection sets of every merged occurrence.
	sets []*ast.SelectionSet
	path gqlerr.Path
	// frags is the chain of fragment spreads the field was reached through,
	// for cycle detection further down.
	frags []string
}

// collect flattens a selection set of the object type typeName.
func (p *planner) collect(sets []*ast.SelectionSet, typeName string, path gqlerr.Path, frags []string) ([]*selected, error) {
	var out []*selected
	byAlias := map[string]*selected{}
	var walk func(set *ast.SelectionSet, path gqlerr.Path, frags []string) error
	walk = func(set *ast.SelectionSet, path gqlerr.Path, frags []string) error {
		if set == nil {
			return nil
		}
		setPath := path.Key("selectionSet")
		for _, sel := range set.Selections {
			include, err := p.directives(directivesOf(sel), setPath)
			if err != nil {
				return err
			}
			if !include {
				continue
			}
			switch sel := sel.(type) {
			case *ast.Field:
				alias := sel.Name.Value
				if sel.Alias != nil {
					alias = sel.Alias.Value
				}
				if have, ok := byAlias[alias]; ok {
					if have.field.Name.Value != sel.Name.Value {
						return setPath.Errorf(gqlerr.ValidationFailed, "non-mergeable selections for field %q: they have different names", alias)
					}
					have.sets = append(have.sets, sel.SelectionSet)
					continue
				}
				s := &selected{alias: alias, field: sel, sets: []*ast.SelectionSet{sel.SelectionSet}, path: setPath.Key(alias), frags: frags}
				byAlias[alias] = s
				out = append(out, s)
			case *ast.InlineFragment:
				if sel.TypeCondition != nil && sel.TypeCondition.Name.Value != typeName {
					return setPath.Errorf(gqlerr.ValidationFailed, "inline fragment is expected on type %q, but this fragment is on type %q", typeName, sel.TypeCondition.Name.Value)
				}
				if err := walk(sel.SelectionSet, path, frags); err != nil {
					return err
				}
			case *ast.FragmentSpread:
				name := sel.Name.Value
				for i, f := range frags {
					if f == name {
						return setPath.Errorf(gqlerr.ValidationFailed, "the fragment definition(s) %s form a cycle", joinNames(frags[i:]))
					}
				}
				def, ok := p.fragments[name]
				if !ok {
					return setPath.Errorf(gqlerr.ValidationFailed, "fragment %q is not defined", name)
				}
				if def.TypeCondition.Name.Value != typeName {
					return setPath.Errorf(gqlerr.ValidationFailed, "fragment %q is defined on type %q, but spread on type %q", name, def.TypeCondition.Name.Value, typeName)
				}
				next := append(append([]string{}, frags...), name)
				if err := walk(def.SelectionSet, setPath.Key(name), next); err != nil {
					return err
				}
			}
		}
		return nil
	}
	for _, set := range sets {
		if err := walk(set, path, frags); err != nil {
			return nil, err
		}
	}
	return out, nil
}

func joinNames(names []string) string {
	if len(names) == 1 {
		return names[0]
	}
	return strings.Join(names[:len(names)-1], ", ") + " and " + names[len(names)-1]
}

// directives applies @skip and @include; any other directive is an error.
func (p *planner) directives(dirs []*ast.Directive, path gqlerr.Path) (bool, error) {
	seen := map[string]bool{}
	var dups []string
	include := true
	for _, d := range dirs {
		name := d.Name.Value
		if seen[name] {
			dups = append(dups, name)
			continue
		}
		seen[name] = true
		if name != "skip" && name != "include" {
			return false, path.Errorf(gqlerr.ValidationFailed, "directive %q is not defined in the schema", name)
		}
		var cond any
		found := false
		for _, a := range d.Arguments {
			if a.Name.Value != "if" {
				return false, path.Errorf(gqlerr.ValidationFailed, "directive %q has no argument named %q", name, a.Name.Value)
			}
			v, err := p.valueOf(a.Value, path)
			if err != nil {
				return false, err
			}
			cond, found = v, true
		}
		b, ok := cond.(bool)
		if !found || !ok {
			return false, path.Errorf(gqlerr.ValidationFailed, "directive %q expects a Boolean argument \"if\"", name)
		}
		if (name == "skip" && b) || (name == "include" && !b) {
			include = false
		}
	}
	if len(dups) > 0 {
		return false, path.Errorf(gqlerr.ValidationFailed, "the following directives are used more than once: %s", strings.Join(dups, ", "))
	}
	return include, nil
}

func directivesOf(sel ast.Selection) []*ast.Directive {
	switch sel := sel.(type) {
	case *ast.Field:
		return sel.Directives
	case *ast.InlineFragment:
		return sel.Directives
	case *ast.FragmentSpread:
		return sel.Directives
	}
	return nil
}
