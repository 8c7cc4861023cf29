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
