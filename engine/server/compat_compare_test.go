package server_test

// Response comparison for the Hasura compatibility cases (compat_test.go),
// following "How a response is compared" in the cases' README, which in
// turn follows Hasura's harness (server/tests-py/validate.py:
// collapse_order_not_selset and equal_CommentedMap):
//
//   - both bodies are decoded keeping key order; every object starts out
//     "ordered";
//   - for a GraphQL request compared as `exact`, the selection set of the
//     query's first definition is walked through `data` by field name (not
//     alias); leaves (fields without a sub-selection, or whose value is no
//     object or list) lose their ordering all the way down, as do `errors`
//     and the top level of the body; if the walk fails anywhere, the whole
//     body loses its ordering; every other body loses it entirely;
//   - two objects are compared in key order only when both are still
//     ordered; lists element by element; scalars as Python compares them.
//
// Like the harness, objects the walk never reaches (the value of an aliased
// field whose field name is also selected, e.g. `nodes` and
// `articles: nodes`) keep their ordering.

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"math/big"
	"sort"
	"strconv"
	"strings"
	"testing"

	"github.com/graphql-go/graphql/language/ast"
	"github.com/graphql-go/graphql/language/parser"
)

// jsonObject is a decoded JSON object that remembers its key order and
// whether that order takes part in comparisons.
type jsonObject struct {
	keys    []string
	vals    map[string]any
	ordered bool
}

// decodeOrdered decodes JSON into *jsonObject, []any, json.Number, string,
// bool and nil. Numbers keep their literal text. A repeated key keeps its
// first position and its last value.
func decodeOrdered(data []byte) (any, error) {
	dec := json.NewDecoder(bytes.NewReader(data))
	dec.UseNumber()
	v, err := readJSONValue(dec)
	if err != nil {
		return nil, err
	}
	if _, err := dec.Token(); err != io.EOF {
		return nil, errors.New("trailing data after the JSON value")
	}
	return v, nil
}

func readJSONValue(dec *json.Decoder) (any, error) {
	tok, err := dec.Token()
	if err != nil {
		return nil, err
	}
	switch tok := tok.(type) {
	case json.Delim:
		switch tok {
		case '{':
			obj := &jsonObject{vals: map[string]any{}, ordered: true}
			for dec.More() {
				kt, err := dec.Token()
				if err != nil {
					return nil, err
				}
				key, ok := kt.(string)
				if !ok {
					return nil, fmt.Errorf("object key is %v", kt)
				}
				v, err := readJSONValue(dec)
				if err != nil {
					return nil, err
				}
				if _, dup := obj.vals[key]; !dup {
					obj.keys = append(obj.keys, key)
				}
				obj.vals[key] = v
			}
			if _, err := dec.Token(); err != nil { // '}'
				return nil, err
			}
			return obj, nil
		case '[':
			list := []any{}
			for dec.More() {
				v, err := readJSONValue(dec)
				if err != nil {
					return nil, err
				}
				list = append(list, v)
			}
			if _, err := dec.Token(); err != nil { // ']'
				return nil, err
			}
			return list, nil
		}
		return nil, fmt.Errorf("unexpected %v", tok)
	default:
		return tok, nil // json.Number, string, bool, nil
	}
}

// unorder drops the ordering of every object in v, all the way down.
func unorder(v any) {
	switch v := v.(type) {
	case *jsonObject:
		v.ordered = false
		for _, x := range v.vals {
			unorder(x)
		}
	case []any:
		for _, x := range v {
			unorder(x)
		}
	}
}

// graphQLSelection returns the selection set of the first definition of the
// request's GraphQL query, or an error when the request is no GraphQL
// request (not an object with a string "query") or the query does not parse.
func graphQLSelection(reqBody []byte) (*ast.SelectionSet, error) {
	var req map[string]json.RawMessage
	if err := json.Unmarshal(reqBody, &req); err != nil {
		return nil, fmt.Errorf("the request body is not a JSON object: %v", err)
	}
	raw, ok := req["query"]
	if !ok {
		return nil, errors.New("the request has no query")
	}
	var query string
	if err := json.Unmarshal(raw, &query); err != nil {
		return nil, errors.New("the request's query is not a string")
	}
	doc, err := parser.Parse(parser.ParseParams{Source: query})
	if err != nil {
		return nil, fmt.Errorf("the query does not parse: %v", err)
	}
	if len(doc.Definitions) == 0 {
		return nil, errors.New("the query has no definitions")
	}
	switch def := doc.Definitions[0].(type) {
	case *ast.OperationDefinition:
		return def.SelectionSet, nil
	case *ast.FragmentDefinition:
		return def.SelectionSet, nil
	}
	return nil, fmt.Errorf("the first definition is a %s", doc.Definitions[0].GetKind())
}

// walkSelection unorders the leaves under node along set (see the file
// comment); it fails where the response does not follow the selection set.
func walkSelection(node any, set *ast.SelectionSet, path string) error {
	obj, ok := node.(*jsonObject)
	if !ok {
		return fmt.Errorf("%s: %s where the selection set expects an object", path, kindOf(node))
	}
	if set == nil {
		return fmt.Errorf("%s: no selection set", path)
	}
	for _, sel := range set.Selections {
		field, ok := sel.(*ast.Field)
		if !ok {
			return fmt.Errorf("%s: fragment in the selection set", path)
		}
		name := field.Name.Value
		val, ok := obj.vals[name]
		if !ok {
			return fmt.Errorf("%s: no key %q (aliased field?)", path, name)
		}
		sub := path + "." + name
		switch v := val.(type) {
		case *jsonObject:
			if field.SelectionSet == nil {
				unorder(v)
			} else if err := walkSelection(v, field.SelectionSet, sub); err != nil {
				return err
			}
		case []any:
			if field.SelectionSet == nil {
				unorder(v)
				continue
			}
			for i, el := range v {
				if err := walkSelection(el, field.SelectionSet, fmt.Sprintf("%s[%d]", sub, i)); err != nil {
					return err
				}
			}
		}
	}
	return nil
}

// prepareBody decodes a response body and sets the ordering of its objects
// for the comparison; walk is whether the selection-set walk applies (the
// case is compared `exact`). The error, if any, says why the walk failed;
// the body is then returned fully unordered.
func prepareBody(raw []byte, set *ast.SelectionSet, walk bool) (any, error) {
	v, err := decodeOrdered(raw)
	if err != nil {
		return nil, err
	}
	return v, applyOrdering(v, set, walk)
}

func applyOrdering(v any, set *ast.SelectionSet, walk bool) error {
	if !walk || set == nil {
		unorder(v)
		return nil
	}
	top, ok := v.(*jsonObject)
	if !ok {
		unorder(v)
		return fmt.Errorf("the body is %s, not an object", kindOf(v))
	}
	if data, ok := top.vals["data"]; ok {
		if err := walkSelection(data, set, "$.data"); err != nil {
			unorder(v)
			return err
		}
	}
	if errs, ok := top.vals["errors"]; ok {
		unorder(errs)
	}
	top.ordered = false
	return nil
}

// compareResponse reports whether the response body got matches want for a
// request with body reqBody; ordered is true for `exact` cases. On a
// mismatch, why names the first difference.
func compareResponse(reqBody, want, got []byte, ordered bool) (ok bool, why string, err error) {
	var set *ast.SelectionSet
	if ordered {
		// A request that is no GraphQL query, or a query that does not
		// parse, is compared without key order.
		set, _ = graphQLSelection(reqBody)
	}
	w, err := decodeOrdered(want)
	if err != nil {
		return false, "", fmt.Errorf("expected response: %v", err)
	}
	_ = applyOrdering(w, set, ordered)
	g, err := decodeOrdered(got)
	if err != nil {
		return false, fmt.Sprintf("the response is not JSON: %v", err), nil
	}
	_ = applyOrdering(g, set, ordered)
	if why := diffValues(w, g, "$"); why != "" {
		return false, why, nil
	}
	return true, "", nil
}

// diffValues compares want and got as the harness does and describes the
// first difference, or returns "".
func diffValues(want, got any, path string) string {
	switch w := want.(type) {
	case []any:
		g, ok := got.([]any)
		if !ok {
			return fmt.Sprintf("%s: expected a list, got %s", path, short(got))
		}
		if len(w) != len(g) {
			return fmt.Sprintf("%s: expected %d elements, got %d", path, len(w), len(g))
		}
		for i := range w {
			if d := diffValues(w[i], g[i], fmt.Sprintf("%s[%d]", path, i)); d != "" {
				return d
			}
		}
		return ""
	case *jsonObject:
		g, ok := got.(*jsonObject)
		if !ok {
			return fmt.Sprintf("%s: expected an object, got %s", path, short(got))
		}
		wk, gk := sortedKeys(w), sortedKeys(g)
		if strings.Join(wk, "\x00") != strings.Join(gk, "\x00") {
			return fmt.Sprintf("%s: expected keys %s, got %s", path, keyList(wk), keyList(gk))
		}
		if w.ordered && g.ordered && strings.Join(w.keys, "\x00") != strings.Join(g.keys, "\x00") {
			return fmt.Sprintf("%s: expected key order %s, got %s", path, keyList(w.keys), keyList(g.keys))
		}
		keys := wk
		if w.ordered && g.ordered {
			keys = w.keys
		}
		for _, k := range keys {
			if d := diffValues(w.vals[k], g.vals[k], path+"."+k); d != "" {
				return d
			}
		}
		return ""
	}
	if !scalarEqual(want, got) {
		return fmt.Sprintf("%s: expected %s, got %s", path, short(want), short(got))
	}
	return ""
}

// scalarEqual is Python's == on decoded JSON scalars: numbers by value
// (1 == 1.0), true == 1 and false == 0, strings exactly, a string never
// equals a number, null only null. Containers never equal scalars.
func scalarEqual(a, b any) bool {
	switch a := a.(type) {
	case nil:
		return b == nil
	case string:
		s, ok := b.(string)
		return ok && a == s
	case bool, json.Number:
		if bb, ok := b.(bool); ok {
			if ab, ok := a.(bool); ok {
				return ab == bb
			}
		}
		x, ok1 := pyNumber(a)
		y, ok2 := pyNumber(b)
		return ok1 && ok2 && numbersEqual(x, y)
	}
	return false
}

// pyNumber is a number as Python's json/YAML loaders would hold it: an
// integer (*big.Int, exact) when the literal has no fraction or exponent,
// else a float64; bools are the integers 0 and 1.
func pyNumber(v any) (any, bool) {
	switch v := v.(type) {
	case bool:
		if v {
			return big.NewInt(1), true
		}
		return big.NewInt(0), true
	case json.Number:
		s := string(v)
		if !strings.ContainsAny(s, ".eE") {
			if n, ok := new(big.Int).SetString(s, 10); ok {
				return n, true
			}
		}
		f, err := strconv.ParseFloat(s, 64)
		if err != nil && !errors.Is(err, strconv.ErrRange) {
			return nil, false
		}
		return f, true // out of range: ±Inf or 0, as Python's float()
	}
	return nil, false
}

// numbersEqual compares an int and a float exactly, as Python does.
func numbersEqual(x, y any) bool {
	switch x := x.(type) {
	case *big.Int:
		switch y := y.(type) {
		case *big.Int:
			return x.Cmp(y) == 0
		case float64:
			return intEqualsFloat(x, y)
		}
	case float64:
		switch y := y.(type) {
		case *big.Int:
			return intEqualsFloat(y, x)
		case float64:
			return x == y
		}
	}
	return false
}

func intEqualsFloat(i *big.Int, f float64) bool {
	r := new(big.Rat)
	if r.SetFloat64(f) == nil { // ±Inf or NaN
		return false
	}
	return r.Cmp(new(big.Rat).SetInt(i)) == 0
}

func sortedKeys(o *jsonObject) []string {
	keys := append([]string(nil), o.keys...)
	sort.Strings(keys)
	return keys
}

func keyList(keys []string) string {
	b, _ := json.Marshal(keys)
	return string(b)
}

func kindOf(v any) string {
	switch v.(type) {
	case nil:
		return "null"
	case *jsonObject:
		return "an object"
	case []any:
		return "a list"
	case string:
		return "a string"
	case bool:
		return "a boolean"
	case json.Number:
		return "a number"
	}
	return fmt.Sprintf("%T", v)
}

// short renders a decoded value as compact JSON, truncated.
func short(v any) string {
	return truncate(renderJSON(v), 200)
}

// renderJSON renders a decoded value as compact JSON in its key order.
func renderJSON(v any) string {
	var buf bytes.Buffer
	var write func(v any)
	write = func(v any) {
		switch v := v.(type) {
		case *jsonObject:
			buf.WriteByte('{')
			for i, k := range v.keys {
				if i > 0 {
					buf.WriteByte(',')
				}
				kb, _ := json.Marshal(k)
				buf.Write(kb)
				buf.WriteByte(':')
				write(v.vals[k])
			}
			buf.WriteByte('}')
		case []any:
			buf.WriteByte('[')
			for i, x := range v {
				if i > 0 {
					buf.WriteByte(',')
				}
				write(x)
			}
			buf.WriteByte(']')
		default:
			b, _ := json.Marshal(v)
			buf.Write(b)
		}
	}
	write(v)
	return buf.String()
}

// compactJSON removes insignificant whitespace keeping key order; text that
// is not JSON is returned as is.
func compactJSON(b []byte) string {
	var buf bytes.Buffer
	if err := json.Compact(&buf, b); err != nil {
		return string(b)
	}
	return buf.String()
}

func truncate(s string, n int) string {
	if len(s) <= n {
		return s
	}
	return s[:n] + fmt.Sprintf("…(%d bytes)", len(s))
}

// ---- unit tests (no database) ----

func mustCompare(t *testing.T, query string, want, got string, ordered bool) (bool, string) {
	t.Helper()
	var req []byte
	if query != "" {
		req, _ = json.Marshal(map[string]string{"query": query})
	}
	ok, why, err := compareResponse(req, []byte(want), []byte(got), ordered)
	if err != nil {
		t.Fatal(err)
	}
	return ok, why
}

func TestCompatCompareKeyOrder(t *testing.T) {
	const q = `query { author(order_by: {id: asc}) { id name info articles { id title } } }`
	cases := []struct {
		name, want, got string
		ordered, match  bool
	}{
		{"same order", `{"data":{"author":[{"id":1,"name":"A","info":{"x":1,"y":2},"articles":[]}]}}`,
			`{"data":{"author":[{"id":1,"name":"A","info":{"x":1,"y":2},"articles":[]}]}}`, true, true},
		{"selection order differs", `{"data":{"author":[{"id":1,"name":"A","info":null,"articles":[]}]}}`,
			`{"data":{"author":[{"name":"A","id":1,"info":null,"articles":[]}]}}`, true, false},
		{"selection order differs, unordered compare", `{"data":{"author":[{"id":1,"name":"A","info":null,"articles":[]}]}}`,
			`{"data":{"author":[{"name":"A","id":1,"info":null,"articles":[]}]}}`, false, true},
		{"nested selection order differs", `{"data":{"author":[{"id":1,"name":"A","info":null,"articles":[{"id":1,"title":"t"}]}]}}`,
			`{"data":{"author":[{"id":1,"name":"A","info":null,"articles":[{"title":"t","id":1}]}]}}`, true, false},
		{"leaf object (jsonb) order ignored", `{"data":{"author":[{"id":1,"name":"A","info":{"x":1,"y":2},"articles":[]}]}}`,
			`{"data":{"author":[{"id":1,"name":"A","info":{"y":2,"x":1},"articles":[]}]}}`, true, true},
		{"top level order ignored", `{"data":{"author":[]},"extensions":null}`, `{"extensions":null,"data":{"author":[]}}`, true, true},
		{"errors order ignored", `{"errors":[{"message":"m","extensions":{"path":"$","code":"c"}}]}`,
			`{"errors":[{"extensions":{"code":"c","path":"$"},"message":"m"}]}`, true, true},
		{"errors values compared", `{"errors":[{"message":"m","extensions":{"path":"$","code":"c"}}]}`,
			`{"errors":[{"message":"other","extensions":{"path":"$","code":"c"}}]}`, true, false},
		{"list order matters", `{"data":{"author":[{"id":1,"name":"A","info":null,"articles":[]},{"id":2,"name":"B","info":null,"articles":[]}]}}`,
			`{"data":{"author":[{"id":2,"name":"B","info":null,"articles":[]},{"id":1,"name":"A","info":null,"articles":[]}]}}`, false, false},
		{"list length", `{"data":{"author":[]}}`, `{"data":{"author":[{"id":1}]}}`, false, false},
		{"extra key", `{"data":{"author":[]}}`, `{"data":{"author":[],"x":1}}`, false, false},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			ok, why := mustCompare(t, q, c.want, c.got, c.ordered)
			if ok != c.match {
				t.Fatalf("match = %v, want %v (%s)", ok, c.match, why)
			}
		})
	}
}

func TestCompatCompareWalkFailures(t *testing.T) {
	cases := []struct {
		name, query string
	}{
		// The walk looks up "id" by name; the response holds "ident".
		{"aliased field", `query { author { ident: id name } }`},
		{"fragment spread", `query { author { ...F } } fragment F on author { ident: id name }`},
		{"inline fragment", `query { author { ... on author { ident: id name } } }`},
		{"unparsable query", `query { author { ident: id name }`},
		{"no query", ``},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			want, got := `{"data":{"author":[{"ident":1,"name":"A"}]}}`, `{"data":{"author":[{"name":"A","ident":1}]}}`
			if ok, why := mustCompare(t, c.query, want, got, true); !ok {
				t.Fatalf("a failed walk must compare without key order: %s", why)
			}
			if ok, _ := mustCompare(t, c.query, want, `{"data":{"author":[{"name":"B","ident":1}]}}`, true); ok {
				t.Fatal("values must still be compared")
			}
		})
	}
	t.Run("control: a walk that succeeds checks order", func(t *testing.T) {
		const q = `query { author { ident name } }`
		if ok, _ := mustCompare(t, q, `{"data":{"author":[{"ident":1,"name":"A"}]}}`, `{"data":{"author":[{"name":"A","ident":1}]}}`, true); ok {
			t.Fatal("key order was ignored")
		}
	})
	t.Run("null where the walk expects an object", func(t *testing.T) {
		const q = `query { author { id name } }`
		if ok, why := mustCompare(t, q, `{"data":{"author":[null,{"id":1,"name":"A"}]}}`, `{"data":{"author":[null,{"name":"A","id":1}]}}`, true); !ok {
			t.Fatal(why)
		}
	})
	t.Run("alias with the name also selected keeps order", func(t *testing.T) {
		// As in Hasura's harness: "nodes" is walked, "articles" never is,
		// so both keep their order.
		const q = `query { agg { nodes { id title } articles: nodes { id title } } }`
		want := `{"data":{"agg":{"nodes":[{"id":1,"title":"t"}],"articles":[{"id":1,"title":"t"}]}}}`
		got := `{"data":{"agg":{"nodes":[{"id":1,"title":"t"}],"articles":[{"title":"t","id":1}]}}}`
		if ok, _ := mustCompare(t, q, want, got, true); ok {
			t.Fatal("key order of the aliased subtree was ignored")
		}
		if ok, why := mustCompare(t, q, want, got, false); !ok {
			t.Fatal(why)
		}
	})
	t.Run("non-GraphQL body", func(t *testing.T) {
		ok, why, err := compareResponse([]byte(`{"type":"run_sql","args":{"sql":"select 1"}}`),
			[]byte(`{"result_type":"TuplesOk","result":[["?column?"],["1"]]}`),
			[]byte(`{"result":[["?column?"],["1"]],"result_type":"TuplesOk"}`), true)
		if err != nil || !ok {
			t.Fatal(why, err)
		}
	})
	t.Run("batch", func(t *testing.T) {
		ok, why, err := compareResponse([]byte(`[{"query":"{ a { x y } }"}]`),
			[]byte(`[{"data":{"a":{"x":1,"y":2}}}]`), []byte(`[{"data":{"a":{"y":2,"x":1}}}]`), true)
		if err != nil || !ok {
			t.Fatal(why, err)
		}
	})
}

func TestCompatCompareScalars(t *testing.T) {
	cases := []struct {
		want, got string
		equal     bool
	}{
		{`1`, `1.0`, true},
		{`1.50`, `1.5`, true},
		{`1e2`, `100`, true},
		{`true`, `1`, true},
		{`1`, `true`, true},
		{`false`, `0`, true},
		{`false`, `0.0`, true},
		{`true`, `2`, false},
		{`true`, `false`, false},
		{`true`, `"true"`, false},
		{`"1"`, `1`, false},
		{`1`, `"1"`, false},
		{`"a"`, `"a"`, true},
		{`"a"`, `"A"`, false},
		{`null`, `null`, true},
		{`null`, `0`, false},
		{`null`, `""`, false},
		{`0`, `null`, false},
		{`9007199254740993`, `9007199254740993`, true},
		{`9007199254740993`, `9007199254740992`, false},
		{`9007199254740993`, `9007199254740992.0`, false}, // exact, as Python
		{`9007199254740992`, `9007199254740992.0`, true},
		{`123456789012345678901234567890`, `123456789012345678901234567890`, true},
		{`123456789012345678901234567890`, `123456789012345678901234567891`, false},
		{`1.3333333333333333`, `1.33333333333333331`, true}, // the same float64
		{`[1,2]`, `[1,2]`, true},
		{`[1,2]`, `[2,1]`, false},
		{`[1]`, `{"0":1}`, false},
		{`{}`, `[]`, false},
		{`{"a":1}`, `{"a":1.0}`, true},
	}
	for _, c := range cases {
		ok, why, err := compareResponse(nil, []byte(c.want), []byte(c.got), false)
		if err != nil {
			t.Fatal(err)
		}
		if ok != c.equal {
			t.Errorf("%s vs %s: equal = %v, want %v (%s)", c.want, c.got, ok, c.equal, why)
		}
	}
}

func TestCompatCompareNotJSON(t *testing.T) {
	ok, why, err := compareResponse(nil, []byte(`{"a":1}`), []byte(`404 page not found`), false)
	if err != nil || ok || why == "" {
		t.Fatalf("ok=%v why=%q err=%v", ok, why, err)
	}
}
