package metadata

import (
	"encoding/json"
	"fmt"
	"strconv"
	"strings"

	"gopkg.in/yaml.v3"
)

// actions.graphql and actions.yaml, split as the Hasura CLI splits a
// document's actions and custom_types: the signatures (arguments, output
// type, query or mutation) and the type definitions (fields, enum values,
// descriptions) are GraphQL SDL in actions.graphql; handler, kind,
// headers, timeout, transforms, permissions, comments and the objects'
// relationships stay in actions.yaml, which also keeps, as the CLI does,
// the types' descriptions and the enums' values. MergeActionsSDL
// (actions_merge.go) joins them again.

// customTypeKinds are the lists of custom_types in the order the Hasura
// CLI writes them, in actions.yaml and in actions.graphql.
var customTypeKinds = []string{"enums", "input_objects", "objects", "scalars"}

// actionDefYAMLKeys are the keys of an action's definition kept in
// actions.yaml, in the CLI's order (kind first, written "" for a query);
// actionDefSDLKeys are those written in actions.graphql instead.
var (
	actionDefYAMLKeys = []string{"kind", "handler", "forward_client_headers", "headers", "timeout",
		"request_transform", "response_transform"}
	actionDefSDLKeys = []string{"type", "arguments", "output_type"}
)

// ActionsSDL renders the actions.graphql of a document's actions and
// custom_types (either may be nil): a `type Query { … }` or `type
// Mutation { … }` block per action, in the document's order, then the
// enums, input objects, objects and scalars, each followed by a blank
// line. Descriptions are written on the line they describe, as `""" text
// """` (a text the block form would not keep exactly, such as one with
// a line break or surrounding spaces, as a quoted string). An object
// field's arguments, when they are a list of {name, type, description},
// are written like an action's. Nothing in, "" out.
func ActionsSDL(actions, customTypes json.RawMessage) (string, error) {
	a, err := rawValue(actions)
	if err != nil {
		return "", fmt.Errorf("actions: %w", err)
	}
	t, err := rawValue(customTypes)
	if err != nil {
		return "", fmt.Errorf("custom_types: %w", err)
	}
	return renderSDL(a, t)
}

// rawValue parses raw, nil for nothing or null.
func rawValue(raw json.RawMessage) (*value, error) {
	if len(strings.TrimSpace(string(raw))) == 0 {
		return nil, nil
	}
	v, err := parseJSON(raw)
	if err != nil || v.kind == kindNull {
		return nil, err
	}
	return v, nil
}

// renderActions returns actions.yaml and actions.graphql for a document's
// actions and custom_types (nil when absent).
func renderActions(actions, types *value) (*yaml.Node, string, error) {
	sdl, err := renderSDL(actions, types)
	if err != nil {
		return nil, "", err
	}
	list := &yaml.Node{Kind: yaml.SequenceNode}
	for _, a := range listOf(actions) {
		n, err := actionYAML(a)
		if err != nil {
			return nil, "", err
		}
		list.Content = append(list.Content, n)
	}
	ct := &yaml.Node{Kind: yaml.MappingNode}
	for _, kind := range customTypeKinds {
		l := &yaml.Node{Kind: yaml.SequenceNode}
		for _, t := range listOf(getOf(types, kind)) {
			l.Content = append(l.Content, typeYAML(kind, t))
		}
		addPair(ct, kind, l)
	}
	return yamlMapping("actions", list, "custom_types", ct), sdl, nil
}

// getOf is v.get(key), nil when v is nil or not an object.
func getOf(v *value, key string) *value {
	if v == nil || v.kind != kindObject {
		return nil
	}
	return v.get(key)
}

// listOf is the items of v, nil when v is not a list.
func listOf(v *value) []*value {
	if v == nil || v.kind != kindList {
		return nil
	}
	return v.list
}

// actionYAML is an action's actions.yaml entry: name, the definition
// without its SDL parts, permissions, comment, then any other key.
func actionYAML(a *value) (*yaml.Node, error) {
	def := a.get("definition")
	if def == nil {
		return nil, a.errorf("an action needs a definition")
	}
	d := &yaml.Node{Kind: yaml.MappingNode}
	if k := def.get("kind"); k != nil {
		addPair(d, "kind", yamlOf(k))
	} else {
		addPair(d, "kind", yamlString(""))
	}
	appendOnly(d, def, actionDefYAMLKeys[1:]...)
	appendOthers(d, def, append(append([]string(nil), actionDefYAMLKeys...), actionDefSDLKeys...)...)
	out := &yaml.Node{Kind: yaml.MappingNode}
	appendOnly(out, a, "name")
	addPair(out, "definition", d)
	appendOnly(out, a, "permissions", "comment")
	appendOthers(out, a, "name", "definition", "permissions", "comment")
	return out, nil
}

// typeYAML is a custom type's actions.yaml entry: name, description,
// values (enums), relationships, then any other key but fields.
func typeYAML(kind string, t *value) *yaml.Node {
	out := &yaml.Node{Kind: yaml.MappingNode}
	if t.kind != kindObject {
		return yamlOf(t)
	}
	keys := []string{"name", "description", "relationships"}
	if kind == "enums" {
		keys = []string{"name", "description", "values", "relationships"}
	}
	appendOnly(out, t, keys...)
	appendOthers(out, t, append(keys, "fields", "values")...)
	return out
}

// appendOnly adds to the mapping n the non-null fields keys of the
// object v, in that order.
func appendOnly(n *yaml.Node, v *value, keys ...string) {
	for _, k := range keys {
		if f := v.get(k); f != nil {
			addPair(n, k, yamlOf(f))
		}
	}
}

// appendOthers adds to the mapping n the non-null fields of the object v
// not in except, in v's order.
func appendOthers(n *yaml.Node, v *value, except ...string) {
	skip := map[string]bool{}
	for _, k := range except {
		skip[k] = true
	}
	for _, f := range v.fields {
		if !skip[f.key] && f.val.kind != kindNull {
			addPair(n, f.key, yamlOf(f.val))
		}
	}
}

// renderSDL writes the actions.graphql text.
func renderSDL(actions, types *value) (string, error) {
	w := &sdlWriter{}
	if actions != nil {
		items, err := actions.items()
		if err != nil {
			return "", err
		}
		for _, a := range items {
			if err := w.action(a); err != nil {
				return "", err
			}
		}
	}
	if types != nil {
		if err := types.expectObject("custom_types"); err != nil {
			return "", err
		}
		for _, f := range types.fields {
			if !isCustomTypeKind(f.key) {
				return "", types.fieldErrorf(f, "unknown field %q of custom_types", f.key)
			}
		}
	}
	for _, kind := range customTypeKinds {
		l := getOf(types, kind)
		if l == nil {
			continue
		}
		items, err := l.items()
		if err != nil {
			return "", err
		}
		for _, t := range items {
			if err := w.typeDef(kind, t); err != nil {
				return "", err
			}
		}
	}
	return w.b.String(), nil
}

func isCustomTypeKind(k string) bool {
	for _, c := range customTypeKinds {
		if c == k {
			return true
		}
	}
	return false
}

// sdlWriter accumulates SDL text.
type sdlWriter struct{ b strings.Builder }

// action writes an action's `type Query|Mutation { … }` block.
func (w *sdlWriter) action(a *value) error {
	if err := a.expectObject("action"); err != nil {
		return err
	}
	name, err := sdlName(a, "name")
	if err != nil {
		return err
	}
	def := a.get("definition")
	if def == nil {
		return a.errorf("action %q needs a definition", name)
	}
	if err := def.expectObject("action definition"); err != nil {
		return err
	}
	root := "Mutation"
	if t, err := optStrField(def, "type"); err != nil {
		return err
	} else if t == "query" {
		root = "Query"
	} else if t != "" && t != "mutation" {
		return def.get("type").errorf("an action's type is query or mutation, not %q", t)
	}
	out, err := sdlType(def, "output_type")
	if err != nil {
		return err
	}
	args, err := w.arguments(def.get("arguments"), "  ")
	if err != nil {
		return err
	}
	fmt.Fprintf(&w.b, "type %s {\n  %s%s: %s\n}\n\n", root, name, args, out)
	return nil
}

// arguments renders an argument list ("" when empty) for a field written
// at indent.
func (w *sdlWriter) arguments(v *value, indent string) (string, error) {
	if v == nil {
		return "", nil
	}
	items, err := v.items()
	if err != nil {
		return "", err
	}
	if len(items) == 0 {
		return "", nil
	}
	var b strings.Builder
	b.WriteString("(\n")
	for _, it := range items {
		line, err := inputValueSDL(it, "")
		if err != nil {
			return "", err
		}
		b.WriteString(indent + "  " + line + "\n")
	}
	b.WriteString(indent + ")")
	return b.String(), nil
}

// inputValueSDL is `description name args: Type` of an argument or a
// field (args, the rendered arguments, "" for none).
func inputValueSDL(v *value, args string) (string, error) {
	if err := v.expectObject("argument"); err != nil {
		return "", err
	}
	name, err := sdlName(v, "name")
	if err != nil {
		return "", err
	}
	t, err := sdlType(v, "type")
	if err != nil {
		return "", err
	}
	desc, err := sdlDescription(v.get("description"))
	if err != nil {
		return "", err
	}
	return desc + name + args + ": " + t, nil
}

// typeDef writes one custom type of the custom_types list kind.
func (w *sdlWriter) typeDef(kind string, t *value) error {
	if err := t.expectObject("custom type"); err != nil {
		return err
	}
	name, err := sdlName(t, "name")
	if err != nil {
		return err
	}
	desc, err := sdlDescription(t.get("description"))
	if err != nil {
		return err
	}
	var body []string
	switch kind {
	case "scalars":
		fmt.Fprintf(&w.b, "%sscalar %s\n\n", desc, name)
		return nil
	case "enums":
		body, err = enumValuesSDL(t)
	case "input_objects":
		body, err = fieldsSDL(w, t, false)
	default:
		body, err = fieldsSDL(w, t, true)
	}
	if err != nil {
		return err
	}
	keyword := map[string]string{"enums": "enum", "input_objects": "input", "objects": "type"}[kind]
	fmt.Fprintf(&w.b, "%s%s %s {\n%s\n}\n\n", desc, keyword, name, strings.Join(body, "\n"))
	return nil
}

// enumValuesSDL is the lines of an enum's values.
func enumValuesSDL(t *value) ([]string, error) {
	items, err := requiredList(t, "values")
	if err != nil {
		return nil, err
	}
	lines := make([]string, len(items))
	for i, it := range items {
		if err := it.expectObject("enum value"); err != nil {
			return nil, err
		}
		v, err := sdlName(it, "value")
		if err != nil {
			return nil, err
		}
		desc, err := sdlDescription(it.get("description"))
		if err != nil {
			return nil, err
		}
		lines[i] = "  " + desc + v
	}
	return lines, nil
}

// fieldsSDL is the lines of an input or object type's fields; an object
// field may have arguments.
func fieldsSDL(w *sdlWriter, t *value, object bool) ([]string, error) {
	items, err := requiredList(t, "fields")
	if err != nil {
		return nil, err
	}
	lines := make([]string, len(items))
	for i, it := range items {
		if err := it.expectObject("field"); err != nil {
			return nil, err
		}
		args := ""
		if a := it.get("arguments"); object && a != nil {
			if a.kind != kindList {
				return nil, a.errorf("field arguments other than a list of {name, type} cannot be written in actions.graphql")
			}
			if args, err = w.arguments(a, "  "); err != nil {
				return nil, err
			}
		}
		line, err := inputValueSDL(it, args)
		if err != nil {
			return nil, err
		}
		lines[i] = "  " + line
	}
	return lines, nil
}

// requiredList is the non-empty list field key of t.
func requiredList(t *value, key string) ([]*value, error) {
	l := t.get(key)
	if l == nil {
		return nil, t.errorf("missing field %q", key)
	}
	items, err := l.items()
	if err == nil && len(items) == 0 {
		err = l.errorf("%q must not be empty", key)
	}
	return items, err
}

// sdlName is the string field key of v, which must be a GraphQL name.
func sdlName(v *value, key string) (string, error) {
	f := v.get(key)
	if f == nil {
		return "", v.errorf("missing field %q", key)
	}
	s, err := f.str()
	if err == nil && !identRE.MatchString(s) {
		err = f.errorf("%q is not a GraphQL name", s)
	}
	return s, err
}

// sdlType is the string field key of v, a GraphQL type ("[String!]!"),
// in its canonical spelling.
func sdlType(v *value, key string) (string, error) {
	f := v.get(key)
	if f == nil {
		return "", v.errorf("missing field %q", key)
	}
	s, err := f.str()
	if err != nil {
		return "", err
	}
	t, rest, ok := parseGraphQLType(s)
	if !ok || strings.TrimSpace(rest) != "" {
		return "", f.errorf("%q is not a GraphQL type", s)
	}
	return t, nil
}

// parseGraphQLType reads a type (Name, [Type], with ! after either) at the
// start of s, returning it without spaces and what follows.
func parseGraphQLType(s string) (string, string, bool) {
	s = strings.TrimLeft(s, " \t")
	var t string
	if strings.HasPrefix(s, "[") {
		inner, rest, ok := parseGraphQLType(s[1:])
		rest = strings.TrimLeft(rest, " \t")
		if !ok || !strings.HasPrefix(rest, "]") {
			return "", "", false
		}
		t, s = "["+inner+"]", rest[1:]
	} else {
		n := 0
		for n < len(s) && (s[n] == '_' || s[n] >= 'a' && s[n] <= 'z' || s[n] >= 'A' && s[n] <= 'Z' ||
			n > 0 && s[n] >= '0' && s[n] <= '9') {
			n++
		}
		if n == 0 {
			return "", "", false
		}
		t, s = s[:n], s[n:]
	}
	if rest := strings.TrimLeft(s, " \t"); strings.HasPrefix(rest, "!") {
		t, s = t+"!", rest[1:]
	}
	return t, s, true
}

// sdlDescription renders a description (nil or null: none) followed by a
// space: `""" text """ ` as the Hasura CLI writes it when that form reads
// back as text, else a quoted string.
func sdlDescription(v *value) (string, error) {
	if v == nil {
		return "", nil
	}
	s, err := v.str()
	if err != nil {
		return "", err
	}
	if blockSafe(s) {
		return `""" ` + s + ` """ `, nil
	}
	return quoteGraphQL(s) + " ", nil
}

// blockSafe reports whether `""" s """` reads back as s: one non-empty
// line without surrounding spaces, control characters or `"""`.
func blockSafe(s string) bool {
	if s == "" || strings.TrimSpace(s) != s || strings.Contains(s, `"""`) {
		return false
	}
	for _, r := range s {
		if r < 0x20 || r == 0x7f || r == 0x85 || r == 0x2028 || r == 0x2029 {
			return false
		}
	}
	return true
}

// quoteGraphQL writes s as a GraphQL string literal.
func quoteGraphQL(s string) string {
	var b strings.Builder
	b.WriteByte('"')
	for _, r := range s {
		switch r {
		case '"':
			b.WriteString(`\"`)
		case '\\':
			b.WriteString(`\\`)
		case '\n':
			b.WriteString(`\n`)
		case '\r':
			b.WriteString(`\r`)
		case '\t':
			b.WriteString(`\t`)
		default:
			if r < 0x20 || r == 0x7f {
				b.WriteString(`\u` + strconv.FormatInt(0x10000+int64(r), 16)[1:])
				continue
			}
			b.WriteRune(r)
		}
	}
	b.WriteByte('"')
	return b.String()
}
