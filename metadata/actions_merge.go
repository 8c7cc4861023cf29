package metadata

import (
	"encoding/json"
	"errors"
	"fmt"
	"regexp"
	"sort"
	"strings"

	"github.com/graphql-go/graphql/gqlerrors"
	"github.com/graphql-go/graphql/language/ast"
	"github.com/graphql-go/graphql/language/parser"
	"github.com/graphql-go/graphql/language/source"
)

// Reading actions.graphql back: the SDL is parsed and joined with
// actions.yaml into the actions and custom_types that replace_metadata
// takes, in the key order of Hasura's export_metadata.

const (
	actionsGraphQLFile = "actions.graphql"
	actionsYAMLFile    = "actions.yaml"
)

// MergeActionsSDL parses md.ActionsGraphQL and joins it with md.Actions
// and md.CustomTypes as read from actions.yaml, leaving in them the full
// definitions: each action's definition gets its arguments, output_type
// and type (query or mutation) from the SDL and everything else from
// actions.yaml (a mutation without a kind is synchronous); each custom type
// gets its fields or values from the SDL and its relationships from
// actions.yaml, and its description from actions.yaml when set there (as
// the Hasura CLI does), else from the SDL. An action or type of
// actions.yaml missing from the SDL is kept as it is when it is complete
// by itself (an action with an output_type, a type with fields or values,
// a scalar), else it is an error; an action of the SDL missing from
// actions.yaml is an error (its handler would be unknown). Errors name
// actions.graphql and the line, or actions.yaml. With an empty SDL, full
// definitions already in md are kept, so the call is idempotent.
func MergeActionsSDL(md *Metadata) error {
	doc, err := parseActionsSDL(md.ActionsGraphQL)
	if err != nil {
		return err
	}
	actions, err := rawValue(md.Actions)
	if err != nil {
		return &DecodeError{File: actionsYAMLFile, Msg: "actions: " + err.Error()}
	}
	types, err := rawValue(md.CustomTypes)
	if err != nil {
		return &DecodeError{File: actionsYAMLFile, Msg: "custom_types: " + err.Error()}
	}
	if md.Actions, err = mergeActions(doc, actions); err != nil {
		return err
	}
	md.CustomTypes, err = mergeCustomTypes(doc, types)
	return err
}

// sdlDoc is what actions.graphql defines, in its order.
type sdlDoc struct {
	actions []*sdlField
	types   []*sdlTypeDef
}

// sdlField is an action (a field of Query or Mutation), an object or
// input field, or an argument (args nil).
type sdlField struct {
	name, typ string
	desc      *string
	args      []*sdlField
	// root is "query" or "mutation" for an action.
	root string
	line int
}

// sdlTypeDef is a custom type; kind is its custom_types list.
type sdlTypeDef struct {
	kind, name string
	desc       *string
	fields     []*sdlField
	values     []sdlEnumValue
	line       int
}

type sdlEnumValue struct {
	value      string
	desc       *string
	deprecated bool
}

// sdlParser turns the AST of actions.graphql into an sdlDoc.
type sdlParser struct {
	src *source.Source
	// lineStarts are the offsets at which the lines of src start.
	lineStarts []int
	doc        sdlDoc
}

// parseActionsSDL reads the text of actions.graphql.
func parseActionsSDL(text string) (*sdlDoc, error) {
	if strings.TrimSpace(text) == "" {
		return &sdlDoc{}, nil
	}
	p := &sdlParser{src: source.NewSource(&source.Source{Body: []byte(text), Name: actionsGraphQLFile}), lineStarts: []int{0}}
	for i := 0; i < len(text); i++ {
		// A line ends at \n, \r\n or a lone \r, as GraphQL counts them.
		if text[i] == '\n' || (text[i] == '\r' && (i+1 == len(text) || text[i+1] != '\n')) {
			p.lineStarts = append(p.lineStarts, i+1)
		}
	}
	doc, err := parser.Parse(parser.ParseParams{Source: p.src})
	if err != nil {
		return nil, sdlSyntaxError(err)
	}
	for _, def := range doc.Definitions {
		if err := p.definition(def); err != nil {
			return nil, err
		}
	}
	return &p.doc, nil
}

var graphqlErrorRE = regexp.MustCompile(`^Syntax Error .*?\(\d+:\d+\) `)

// sdlSyntaxError turns a graphql-go parse error into a DecodeError.
func sdlSyntaxError(err error) error {
	msg, line := err.Error(), 0
	var ge *gqlerrors.Error
	if errors.As(err, &ge) {
		msg = ge.Message
		if len(ge.Locations) > 0 {
			line = ge.Locations[0].Line
		}
	}
	msg, _, _ = strings.Cut(msg, "\n")
	return &DecodeError{File: actionsGraphQLFile, Line: line, Msg: "invalid GraphQL: " + graphqlErrorRE.ReplaceAllString(msg, "")}
}

// line is the 1-based line of the node at l.
func (p *sdlParser) line(l *ast.Location) int {
	if l == nil {
		return 0
	}
	return sort.SearchInts(p.lineStarts, l.Start+1)
}

func (p *sdlParser) errorf(l *ast.Location, format string, args ...any) error {
	return &DecodeError{File: actionsGraphQLFile, Line: p.line(l), Msg: fmt.Sprintf(format, args...)}
}

// definition reads one top-level definition.
func (p *sdlParser) definition(def ast.Node) error {
	switch d := def.(type) {
	case *ast.ObjectDefinition:
		if root := actionRoot(d.Name.Value); root != "" {
			return p.actions(root, d)
		}
		fields, err := p.fields(d.Fields)
		return p.addType(&sdlTypeDef{kind: "objects", fields: fields}, d.Name, d.Description, d.Loc, err)
	case *ast.TypeExtensionDefinition:
		if root := actionRoot(d.Definition.Name.Value); root != "" {
			return p.actions(root, d.Definition)
		}
		return p.errorf(d.Loc, "extend type is only supported for Query and Mutation, not %s", d.Definition.Name.Value)
	case *ast.InputObjectDefinition:
		fields, err := p.inputValues(d.Fields)
		return p.addType(&sdlTypeDef{kind: "input_objects", fields: fields}, d.Name, d.Description, d.Loc, err)
	case *ast.EnumDefinition:
		t := &sdlTypeDef{kind: "enums"}
		for _, v := range d.Values {
			t.values = append(t.values, sdlEnumValue{value: v.Name.Value, desc: p.desc(v.Description), deprecated: hasDirective(v.Directives, "deprecated")})
		}
		return p.addType(t, d.Name, d.Description, d.Loc, nil)
	case *ast.ScalarDefinition:
		return p.addType(&sdlTypeDef{kind: "scalars"}, d.Name, d.Description, d.Loc, nil)
	}
	return p.errorf(def.GetLoc(), "%s is not supported in actions.graphql: only type, input, enum and scalar definitions, and Query and Mutation fields for actions", def.GetKind())
}

// actionRoot is the action type of the root type name, "" for others.
func actionRoot(name string) string {
	switch name {
	case "Query":
		return "query"
	case "Mutation":
		return "mutation"
	}
	return ""
}

func hasDirective(ds []*ast.Directive, name string) bool {
	for _, d := range ds {
		if d.Name.Value == name {
			return true
		}
	}
	return false
}

// actions reads the fields of a Query or Mutation type as actions.
func (p *sdlParser) actions(root string, d *ast.ObjectDefinition) error {
	fields, err := p.fields(d.Fields)
	if err != nil {
		return err
	}
	for _, f := range fields {
		for _, a := range p.doc.actions {
			if a.name == f.name {
				return &DecodeError{File: actionsGraphQLFile, Line: f.line, Msg: fmt.Sprintf("action %q is defined twice (first at line %d)", f.name, a.line)}
			}
		}
		f.root = root
		p.doc.actions = append(p.doc.actions, f)
	}
	return nil
}

// addType records a custom type once err (of reading its parts) is nil.
func (p *sdlParser) addType(t *sdlTypeDef, name *ast.Name, desc *ast.StringValue, l *ast.Location, err error) error {
	if err != nil {
		return err
	}
	t.name, t.desc, t.line = name.Value, p.desc(desc), p.line(l)
	for _, o := range p.doc.types {
		if o.name == t.name {
			return p.errorf(l, "type %q is defined twice (first at line %d)", t.name, o.line)
		}
	}
	p.doc.types = append(p.doc.types, t)
	return nil
}

// fields reads the fields of an object type, with their arguments.
func (p *sdlParser) fields(defs []*ast.FieldDefinition) ([]*sdlField, error) {
	out := make([]*sdlField, 0, len(defs))
	for _, d := range defs {
		args, err := p.inputValues(d.Arguments)
		if err != nil {
			return nil, err
		}
		out = append(out, &sdlField{name: d.Name.Value, typ: printGraphQLType(d.Type), desc: p.desc(d.Description), args: args, line: p.line(d.Loc)})
	}
	return out, nil
}

// inputValues reads arguments or input fields.
func (p *sdlParser) inputValues(defs []*ast.InputValueDefinition) ([]*sdlField, error) {
	out := make([]*sdlField, 0, len(defs))
	for _, d := range defs {
		if d.DefaultValue != nil {
			return nil, p.errorf(d.Loc, "%s: default values are not supported by Hasura's custom types", d.Name.Value)
		}
		out = append(out, &sdlField{name: d.Name.Value, typ: printGraphQLType(d.Type), desc: p.desc(d.Description), line: p.line(d.Loc)})
	}
	return out, nil
}

// desc is a description's text; a block string's is trimmed, as the
// Hasura CLI trims it.
func (p *sdlParser) desc(sv *ast.StringValue) *string {
	if sv == nil {
		return nil
	}
	s := sv.Value
	if sv.Loc != nil && strings.HasPrefix(string(p.src.Body[sv.Loc.Start:]), `"""`) {
		s = strings.TrimSpace(s)
	}
	return &s
}

// printGraphQLType spells a type as Hasura does: [Name!]!.
func printGraphQLType(t ast.Type) string {
	switch t := t.(type) {
	case *ast.NonNull:
		return printGraphQLType(t.Type) + "!"
	case *ast.List:
		return "[" + printGraphQLType(t.Type) + "]"
	case *ast.Named:
		return t.Name.Value
	}
	return ""
}

// ---- joining with actions.yaml ----

// yamlEntries indexes the objects of an actions.yaml list by name.
type yamlEntries struct {
	order  []*value
	byName map[string]*value
	used   map[string]bool
}

func indexYAML(list *value, what string) (*yamlEntries, error) {
	e := &yamlEntries{byName: map[string]*value{}, used: map[string]bool{}}
	if list == nil {
		return e, nil
	}
	items, err := list.items()
	if err != nil {
		return nil, yamlError(what, err)
	}
	for _, it := range items {
		if err := it.expectObject(what); err != nil {
			return nil, yamlError(what, err)
		}
		name, err := optStrField(it, "name")
		if err == nil && name == "" {
			err = it.errorf("missing field %q", "name")
		}
		if err != nil {
			return nil, yamlError(what, err)
		}
		if e.byName[name] != nil {
			return nil, &DecodeError{File: actionsYAMLFile, Msg: fmt.Sprintf("%s %q is listed twice", what, name)}
		}
		e.byName[name] = it
		e.order = append(e.order, it)
	}
	return e, nil
}

// take returns the entry name and marks it used.
func (e *yamlEntries) take(name string) *value {
	if v := e.byName[name]; v != nil {
		e.used[name] = true
		return v
	}
	return nil
}

// rest returns the entries not taken, checking that each is complete.
func (e *yamlEntries) rest(what string, complete func(*value) bool) ([]*value, error) {
	var out []*value
	for _, it := range e.order {
		name, _ := optStrField(it, "name")
		if e.used[name] {
			continue
		}
		if !complete(it) {
			return nil, &DecodeError{File: actionsYAMLFile, Msg: fmt.Sprintf("%s %q is not defined in %s", what, name, actionsGraphQLFile)}
		}
		out = append(out, it)
	}
	return out, nil
}

func yamlError(what string, err error) error {
	return &DecodeError{File: actionsYAMLFile, Msg: fmt.Sprintf("%ss: %v", what, err)}
}

// mergeActions joins the actions of the SDL with those of actions.yaml.
func mergeActions(doc *sdlDoc, yamlActions *value) (json.RawMessage, error) {
	entries, err := indexYAML(yamlActions, "action")
	if err != nil {
		return nil, err
	}
	out := &value{kind: kindList}
	for _, a := range doc.actions {
		y := entries.take(a.name)
		if y == nil {
			return nil, &DecodeError{File: actionsGraphQLFile, Line: a.line,
				Msg: fmt.Sprintf("action %q has no entry in %s (which holds its handler)", a.name, actionsYAMLFile)}
		}
		out.list = append(out.list, mergedAction(a, y))
	}
	rest, err := entries.rest("action", func(v *value) bool { return getOf(v.get("definition"), "output_type") != nil })
	if err != nil {
		return nil, err
	}
	out.list = append(out.list, rest...)
	if len(out.list) == 0 {
		return nil, nil
	}
	return out.json(), nil
}

// mergedAction is the action a of the SDL with its actions.yaml entry y,
// in Hasura's key order.
func mergedAction(a *sdlField, y *value) *value {
	yd := y.get("definition")
	if yd == nil || yd.kind != kindObject {
		yd = &value{kind: kindObject}
	}
	def := &value{kind: kindObject}
	copyKeys(def, yd, "handler")
	setKey(def, "output_type", strValue(a.typ))
	copyKeys(def, yd, "forward_client_headers", "headers")
	if len(a.args) > 0 {
		setKey(def, "arguments", argumentsValue(a.args))
	}
	copyKeys(def, yd, "request_transform", "response_transform")
	setKey(def, "type", strValue(a.root))
	if a.root == "mutation" {
		kind := "synchronous"
		if k, err := optStrField(yd, "kind"); err == nil && k != "" {
			kind = k
		}
		setKey(def, "kind", strValue(kind))
	}
	copyKeys(def, yd, "timeout")
	copyOtherKeys(def, yd, append(append([]string(nil), actionDefYAMLKeys...), actionDefSDLKeys...)...)
	out := &value{kind: kindObject}
	setKey(out, "name", strValue(a.name))
	setKey(out, "definition", def)
	if c := y.get("comment"); c != nil {
		setKey(out, "comment", c)
	} else if a.desc != nil {
		setKey(out, "comment", strValue(*a.desc))
	}
	copyKeys(out, y, "permissions")
	copyOtherKeys(out, y, "name", "definition", "comment", "permissions")
	return out
}

// argumentsValue is a list of {name, type, description}.
func argumentsValue(args []*sdlField) *value {
	l := &value{kind: kindList}
	for _, a := range args {
		o := &value{kind: kindObject}
		setKey(o, "name", strValue(a.name))
		setKey(o, "type", strValue(a.typ))
		if a.desc != nil {
			setKey(o, "description", strValue(*a.desc))
		}
		l.list = append(l.list, o)
	}
	return l
}

// exportTypeKinds are the lists of custom_types in Hasura's export order.
var exportTypeKinds = []string{"input_objects", "objects", "scalars", "enums"}

// mergeCustomTypes joins the types of the SDL with actions.yaml's.
func mergeCustomTypes(doc *sdlDoc, yamlTypes *value) (json.RawMessage, error) {
	if yamlTypes != nil {
		if err := yamlTypes.expectObject("custom_types"); err != nil {
			return nil, yamlError("custom type", err)
		}
		for _, f := range yamlTypes.fields {
			if !isCustomTypeKind(f.key) {
				return nil, &DecodeError{File: actionsYAMLFile, Msg: fmt.Sprintf("custom_types: unknown field %q", f.key)}
			}
		}
	}
	out := &value{kind: kindObject}
	for _, kind := range exportTypeKinds {
		entries, err := indexYAML(getOf(yamlTypes, kind), "custom type")
		if err != nil {
			return nil, err
		}
		l := &value{kind: kindList}
		for _, t := range doc.types {
			if t.kind == kind {
				l.list = append(l.list, mergedType(t, entries.take(t.name)))
			}
		}
		rest, err := entries.rest("custom type", func(v *value) bool {
			return kind == "scalars" || v.get("fields") != nil || v.get("values") != nil
		})
		if err != nil {
			return nil, err
		}
		if l.list = append(l.list, rest...); len(l.list) > 0 {
			setKey(out, kind, l)
		}
	}
	if len(out.fields) == 0 {
		return nil, nil
	}
	return out.json(), nil
}

// mergedType is the type t of the SDL with its actions.yaml entry y (nil
// when it has none), in Hasura's key order.
func mergedType(t *sdlTypeDef, y *value) *value {
	if y == nil {
		y = &value{kind: kindObject}
	}
	out := &value{kind: kindObject}
	setKey(out, "name", strValue(t.name))
	switch t.kind {
	case "enums":
		setKey(out, "values", enumValuesValue(t.values, y.get("values")))
	case "input_objects", "objects":
		l := &value{kind: kindList}
		for _, f := range t.fields {
			o := &value{kind: kindObject}
			setKey(o, "name", strValue(f.name))
			setKey(o, "type", strValue(f.typ))
			if len(f.args) > 0 {
				setKey(o, "arguments", argumentsValue(f.args))
			}
			if f.desc != nil {
				setKey(o, "description", strValue(*f.desc))
			}
			l.list = append(l.list, o)
		}
		setKey(out, "fields", l)
	}
	if d := y.get("description"); d != nil {
		setKey(out, "description", d)
	} else if t.desc != nil {
		setKey(out, "description", strValue(*t.desc))
	}
	copyKeys(out, y, "relationships")
	copyOtherKeys(out, y, "name", "fields", "values", "description", "relationships")
	return out
}

// enumValuesValue is an enum's values from the SDL, in Hasura's key order
// (description, is_deprecated, value); is_deprecated comes from
// @deprecated or from the value of the same name in actions.yaml.
func enumValuesValue(values []sdlEnumValue, yamlValues *value) *value {
	l := &value{kind: kindList}
	for _, v := range values {
		o := &value{kind: kindObject}
		if v.desc != nil {
			setKey(o, "description", strValue(*v.desc))
		}
		if v.deprecated {
			setKey(o, "is_deprecated", &value{kind: kindBool, text: "true"})
		} else {
			for _, yv := range listOf(yamlValues) {
				if n, _ := optStrField(yv, "value"); n == v.value && yv.kind == kindObject {
					copyKeys(o, yv, "is_deprecated")
				}
			}
		}
		setKey(o, "value", strValue(v.value))
		l.list = append(l.list, o)
	}
	return l
}

func strValue(s string) *value { return &value{kind: kindString, text: s} }

// setKey appends key: v to the object o.
func setKey(o *value, key string, v *value) {
	o.fields = append(o.fields, field{key: key, val: v})
}

// copyKeys appends to o the non-null fields keys of from, in that order.
func copyKeys(o, from *value, keys ...string) {
	for _, k := range keys {
		if f := from.get(k); f != nil {
			setKey(o, k, f)
		}
	}
}

// copyOtherKeys appends to o the non-null fields of from not in except.
func copyOtherKeys(o, from *value, except ...string) {
	skip := map[string]bool{}
	for _, k := range except {
		skip[k] = true
	}
	for _, f := range from.fields {
		if !skip[f.key] && f.val.kind != kindNull {
			setKey(o, f.key, f.val)
		}
	}
}
