package server_test

import (
	"encoding/json"
	"testing"

	"github.com/graphql-go/graphql/testutil"
)

// TestIntrospection checks that GraphiQL's introspection query works and
// that introspection answers keep the selection's key order.
func TestIntrospection(t *testing.T) {
	s := newTestServer(t, serverOptions{})

	t.Run("GraphiQL's query", func(t *testing.T) {
		_, body := s.query(t, testutil.IntrospectionQuery, nil)
		var resp struct {
			Data struct {
				Schema struct {
					QueryType struct{ Name string } `json:"queryType"`
					Types     []struct {
						Name string `json:"name"`
						Kind string `json:"kind"`
					} `json:"types"`
				} `json:"__schema"`
			} `json:"data"`
			Errors []any `json:"errors"`
		}
		if err := json.Unmarshal([]byte(body), &resp); err != nil || len(resp.Errors) > 0 {
			t.Fatalf("bad response (%v): %.500s", err, body)
		}
		if resp.Data.Schema.QueryType.Name != "query_root" {
			t.Errorf("queryType = %q", resp.Data.Schema.QueryType.Name)
		}
		kinds := map[string]string{}
		for _, ty := range resp.Data.Schema.Types {
			kinds[ty.Name] = ty.Kind
		}
		for name, kind := range map[string]string{
			"tutors": "OBJECT", "tutors_bool_exp": "INPUT_OBJECT", "tutors_order_by": "INPUT_OBJECT",
			"tutors_select_column": "ENUM", "tutors_aggregate": "OBJECT", "tutors_aggregate_fields": "OBJECT",
			"tutors_avg_fields": "OBJECT", "order_by": "ENUM", "Int_comparison_exp": "INPUT_OBJECT",
			"String_comparison_exp": "INPUT_OBJECT", "jsonb": "SCALAR", "timestamptz": "SCALAR", "date": "SCALAR",
			"numeric": "SCALAR", "smallint": "SCALAR", "match_status": "SCALAR",
		} {
			if kinds[name] != kind {
				t.Errorf("type %s: kind %q, want %q", name, kinds[name], kind)
			}
		}
	})

	t.Run("key order and fields of a type", func(t *testing.T) {
		_, body := s.query(t, `{ __type(name: "subjects") { name kind fields { name type { kind ofType { name } } } } }`, nil)
		want := `{"data":{"__type":{"name":"subjects","kind":"OBJECT","fields":[` +
			`{"name":"category","type":{"kind":"NON_NULL","ofType":{"name":"String"}}},` +
			`{"name":"courses","type":{"kind":"NON_NULL","ofType":{"name":null}}},` +
			`{"name":"courses_aggregate","type":{"kind":"NON_NULL","ofType":{"name":"courses_aggregate"}}},` +
			`{"name":"id","type":{"kind":"NON_NULL","ofType":{"name":"Int"}}},` +
			`{"name":"name","type":{"kind":"NON_NULL","ofType":{"name":"String"}}}]}}}`
		if got := compact(t, body); got != want {
			t.Errorf("got  %s\nwant %s", got, want)
		}
	})

	t.Run("inside a fragment, with a directive", func(t *testing.T) {
		_, body := s.query(t, `query { ...Root } fragment Root on query_root { t: __type(name: "order_by") { name } __schema @skip(if: true) { queryType { name } } }`, nil)
		want := `{"data":{"t":{"name":"order_by"}}}`
		if got := compact(t, body); got != want {
			t.Errorf("got  %s\nwant %s", got, want)
		}
	})

	t.Run("mixed with table fields", func(t *testing.T) {
		_, body := s.query(t, `{ a: subjects_by_pk(id: 1) { name } __type(name: "order_by") { kind name } __typename }`, nil)
		want := `{"data":{"a":{"name":"Algebra"},"__type":{"kind":"ENUM","name":"order_by"},"__typename":"query_root"}}`
		if got := compact(t, body); got != want {
			t.Errorf("got  %s\nwant %s", got, want)
		}
	})
}

// TestIntrospectionOrder checks that arguments, input fields and enum
// values come in name order, the same on every request (graphql-go keeps
// them in maps).
func TestIntrospectionOrder(t *testing.T) {
	s := newTestServer(t, serverOptions{})
	cases := []struct{ query, want string }{
		{`{ __type(name: "query_root") { fields(includeDeprecated: true) { name args { name } } } }`, ""},
		{`{ __type(name: "subjects") { fields { name args { name } } } }`,
			`{"data":{"__type":{"fields":[{"name":"category","args":[]},{"name":"courses","args":[{"name":"distinct_on"},{"name":"limit"},{"name":"offset"},{"name":"order_by"},{"name":"where"}]},` +
				`{"name":"courses_aggregate","args":[{"name":"distinct_on"},{"name":"limit"},{"name":"offset"},{"name":"order_by"},{"name":"where"}]},{"name":"id","args":[]},{"name":"name","args":[]}]}}}`},
		{`{ __type(name: "String_comparison_exp") { inputFields { name } } }`,
			`{"data":{"__type":{"inputFields":[{"name":"_eq"},{"name":"_gt"},{"name":"_gte"},{"name":"_ilike"},{"name":"_in"},{"name":"_iregex"},{"name":"_is_null"},{"name":"_like"},{"name":"_lt"},{"name":"_lte"},{"name":"_neq"},{"name":"_nilike"},{"name":"_nin"},{"name":"_niregex"},{"name":"_nlike"},{"name":"_nregex"},{"name":"_nsimilar"},{"name":"_regex"},{"name":"_similar"}]}}}`},
		{`{ __type(name: "order_by") { enumValues { name } } }`,
			`{"data":{"__type":{"enumValues":[{"name":"asc"},{"name":"asc_nulls_first"},{"name":"asc_nulls_last"},{"name":"desc"},{"name":"desc_nulls_first"},{"name":"desc_nulls_last"}]}}}`},
		{`{ __type(name: "subjects_select_column") { enumValues { name } } }`,
			`{"data":{"__type":{"enumValues":[{"name":"category"},{"name":"id"},{"name":"name"}]}}}`},
	}
	for _, c := range cases {
		var first string
		for i := 0; i < 5; i++ {
			_, got := s.query(t, c.query, nil)
			got = compact(t, got)
			if i == 0 {
				first = got
			}
			if got != first {
				t.Fatalf("%s: answers differ between requests:\n%s\n%s", c.query, first, got)
			}
		}
		if c.want != "" && first != c.want {
			t.Errorf("%s\n got %s\nwant %s", c.query, first, c.want)
		}
	}
}
