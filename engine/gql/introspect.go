package gql

import (
	"bytes"
	"encoding/json"
	"sort"

	"github.com/graphql-go/graphql"
	"github.com/graphql-go/graphql/language/ast"

	"github.com/trellis-gql/trellis/engine/gqlerr"
	"github.com/trellis-gql/trellis/engine/plan"
	"github.com/trellis-gql/trellis/engine/schema"
)

// introspect answers the operation's __schema and __type root fields with
// graphql-go's executor and returns each one's JSON by response key, with
// keys in the order the query selects them.
func introspect(sc *schema.Schema, doc *ast.Document, opName string, vars plan.Variables, fields []*ast.Field) (map[string]json.RawMessage, error) {
	op, err := plan.SelectOperation(doc, opName)
	if err != nil {
		return nil, err
	}
	// Run a copy of the operation whose selection is only the introspection
	// fields the planner collected (fragments inlined, directives applied),
	// so that graphql-go never touches a table field.
	keep := make([]ast.Selection, len(fields))
	for i, f := range fields {
		keep[i] = f
	}
	only := *op
	only.SelectionSet = &ast.SelectionSet{Kind: op.SelectionSet.Kind, Loc: op.SelectionSet.Loc, Selections: keep}
	defs := []ast.Node{&only}
	for _, d := range doc.Definitions {
		if fd, ok := d.(*ast.FragmentDefinition); ok {
			defs = append(defs, fd)
		}
	}
	args := map[string]any{}
	for k, v := range vars {
		args[k] = plainValue(v)
	}
	gs, err := sc.GraphQL()
	if err != nil {
		return nil, err
	}
	res := graphql.Execute(graphql.ExecuteParams{
		Schema:        *gs,
		AST:           &ast.Document{Kind: doc.Kind, Definitions: defs},
		OperationName: opName,
		Args:          args,
	})
	if len(res.Errors) > 0 {
		return nil, gqlerr.New(gqlerr.ValidationFailed, "$", res.Errors[0].Message)
	}
	data, _ := res.Data.(map[string]any)
	frags := map[string]*ast.FragmentDefinition{}
	for _, d := range doc.Definitions {
		if fd, ok := d.(*ast.FragmentDefinition); ok {
			frags[fd.Name.Value] = fd
		}
	}
	out := map[string]json.RawMessage{}
	for _, sel := range keep {
		f := sel.(*ast.Field)
		key := responseKey(f)
		var buf bytes.Buffer
		if err := writeOrdered(&buf, data[key], f.SelectionSet, frags); err != nil {
			return nil, err
		}
		out[key] = buf.Bytes()
	}
	return out, nil
}

// plainValue converts a planner variable to what graphql-go expects.
func plainValue(v any) any {
	raw := []byte(plan.JSONText(v))
	var out any
	if err := json.Unmarshal(raw, &out); err != nil {
		return nil
	}
	return out
}

func responseKey(f *ast.Field) string {
	if f.Alias != nil {
		return f.Alias.Value
	}
	return f.Name.Value
}

// writeOrdered writes a graphql-go result value as JSON whose object keys
// follow the selection set instead of Go's map order.
func writeOrdered(buf *bytes.Buffer, v any, set *ast.SelectionSet, frags map[string]*ast.FragmentDefinition) error {
	switch v := v.(type) {
	case map[string]any:
		keys := orderedKeys(set, frags, v)
		buf.WriteByte('{')
		for i, k := range keys {
			if i > 0 {
				buf.WriteByte(',')
			}
			kb, _ := json.Marshal(k.key)
			buf.Write(kb)
			buf.WriteByte(':')
			if k.key == "description" && v[k.key] == "" {
				// graphql-go has no "no description": "" stands for it,
				// and Hasura answers null (Postgres stores no empty
				// comment either).
				buf.WriteString("null")
				continue
			}
			if err := writeOrdered(buf, v[k.key], k.set, frags); err != nil {
				return err
			}
		}
		buf.WriteByte('}')
		return nil
	case []any:
		buf.WriteByte('[')
		for i, item := range v {
			if i > 0 {
				buf.WriteByte(',')
			}
			if err := writeOrdered(buf, item, set, frags); err != nil {
				return err
			}
		}
		buf.WriteByte(']')
		return nil
	}
	b, err := json.Marshal(v)
	if err != nil {
		return err
	}
	buf.Write(b)
	return nil
}

type orderedKey struct {
	key string
	set *ast.SelectionSet
}

// orderedKeys lists the keys of m in selection order (fragments inlined);
// keys the selection does not name come last, sorted.
func orderedKeys(set *ast.SelectionSet, frags map[string]*ast.FragmentDefinition, m map[string]any) []orderedKey {
	var out []orderedKey
	seen := map[string]int{}
	var walk func(set *ast.SelectionSet, depth int)
	walk = func(set *ast.SelectionSet, depth int) {
		if set == nil || depth > 32 {
			return
		}
		for _, sel := range set.Selections {
			switch sel := sel.(type) {
			case *ast.Field:
				k := responseKey(sel)
				if _, ok := m[k]; !ok {
					continue
				}
				if i, dup := seen[k]; dup {
					merged := &ast.SelectionSet{}
					if out[i].set != nil {
						merged.Selections = append(merged.Selections, out[i].set.Selections...)
					}
					if sel.SelectionSet != nil {
						merged.Selections = append(merged.Selections, sel.SelectionSet.Selections...)
					}
					out[i].set = merged
					continue
				}
				seen[k] = len(out)
				out = append(out, orderedKey{key: k, set: sel.SelectionSet})
			case *ast.InlineFragment:
				walk(sel.SelectionSet, depth+1)
			case *ast.FragmentSpread:
				if fd, ok := frags[sel.Name.Value]; ok {
					walk(fd.SelectionSet, depth+1)
				}
			}
		}
	}
	walk(set, 0)
	var rest []string
	for k := range m {
		if _, ok := seen[k]; !ok {
			rest = append(rest, k)
		}
	}
	sort.Strings(rest)
	for _, k := range rest {
		out = append(out, orderedKey{key: k})
	}
	return out
}
