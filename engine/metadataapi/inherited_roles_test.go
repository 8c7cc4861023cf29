package metadataapi_test

import (
	"testing"

	"github.com/trellis-gql/trellis/engine/pgtest"
)

// TestInheritedRoles runs queries as an inherited role: it reads the rows
// any parent role may read, a column only in the rows of the parents that
// allow it (null elsewhere, also in where, order_by and aggregates), the
// largest limit, aggregations when a parent allows them; it has a
// mutation permission only when its parents' agree.
func TestInheritedRoles(t *testing.T) {
	e := startEngine(t, pgtest.NewDatabase(t))
	e.must(t, "/v2/query", fnSchema, rqCmdOk)
	both := map[string]string{"X-Hasura-Role": "both", "X-Hasura-User-Id": "1"}
	as := func(name, query, want string) rqCase {
		c := gqlCase(name, query, want)
		c.hdr = both
		return c
	}
	rqRun(t, e, []rqCase{
		{name: "track, grant and inherit", path: "/v1/metadata", body: `{"type":"bulk","args":[` +
			`{"type":"pg_track_table","args":{"table":"article"}},` +
			`{"type":"pg_create_select_permission","args":{"table":"article","role":"mine","permission":{"columns":["id","title","rating"],"filter":{"author_id":{"_eq":"X-Hasura-User-Id"}},"limit":10}}},` +
			`{"type":"pg_create_select_permission","args":{"table":"article","role":"top","permission":{"columns":["id","title"],"filter":{"rating":{"_gte":4}},"limit":2,"allow_aggregations":true}}},` +
			`{"type":"pg_create_delete_permission","args":{"table":"article","role":"mine","permission":{"filter":{"author_id":"X-Hasura-User-Id"}}}},` +
			`{"type":"pg_create_delete_permission","args":{"table":"article","role":"top","permission":{"filter":{"author_id":"X-Hasura-User-Id"}}}},` +
			`{"type":"pg_create_update_permission","args":{"table":"article","role":"mine","permission":{"columns":["title"],"filter":{}}}},` +
			`{"type":"pg_create_update_permission","args":{"table":"article","role":"top","permission":{"columns":["rating"],"filter":{}}}},` +
			`{"type":"add_inherited_role","args":{"role_name":"both","role_set":["mine","top"]}}]}`,
			want: `[{"message":"success"},{"message":"success"},{"message":"success"},{"message":"success"},{"message":"success"},{"message":"success"},{"message":"success"},{"message":"success"}]`},

		as("rows of either parent; a cell only where a parent allowing its column allows the row",
			`{ article(order_by: {id: asc}) { id title rating } }`,
			`{"data":{"article":[{"id":1,"title":"Apples","rating":3},{"id":2,"title":"Avocados","rating":5},{"id":3,"title":"Bananas","rating":null}]}}`),
		as("a where reads hidden cells as null",
			`{ article(where: {rating: {_gte: 4}}) { id } }`,
			`{"data":{"article":[{"id":2}]}}`),
		as("an order_by reads hidden cells as null",
			`{ article(order_by: {rating: desc}) { id } }`,
			`{"data":{"article":[{"id":3},{"id":2},{"id":1}]}}`),
		as("aggregations allowed by one parent; hidden cells do not count",
			`{ article_aggregate { aggregate { count sum { rating } } } }`,
			`{"data":{"article_aggregate":{"aggregate":{"count":3,"sum":{"rating":8}}}}}`),
		as("a column with hidden cells is nullable",
			`{ __type(name: "article") { fields { name type { kind } } } }`,
			`{"data":{"__type":{"fields":[{"name":"id","type":{"kind":"NON_NULL"}},{"name":"rating","type":{"kind":"SCALAR"}},{"name":"title","type":{"kind":"NON_NULL"}}]}}}`),
		as("a mutation permission its parents agree on",
			`mutation { delete_article(where: {id: {_eq: 99}}) { affected_rows } }`,
			`{"data":{"delete_article":{"affected_rows":0}}}`),
		as("no mutation permission its parents disagree on",
			`mutation { update_article(where: {}, _set: {title: "x"}) { affected_rows } }`,
			`{"errors":[{"extensions":{"path":"$.selectionSet.update_article","code":"validation-failed"},"message":"field 'update_article' not found in type: 'mutation_root'"}]}`),

		{name: "drop a parent's select permission", path: "/v1/metadata", body: `{"type":"pg_drop_select_permission","args":{"table":"article","role":"mine"}}`,
			want: `{"message":"success"}`},
		as("one parent left: its rows, its columns, its limit",
			`{ article(order_by: {id: asc}) { id title } }`,
			`{"data":{"article":[{"id":2,"title":"Avocados"},{"id":3,"title":"Bananas"}]}}`),
	})
}
