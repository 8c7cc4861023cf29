package metadataapi_test

import (
	"testing"

	"github.com/trellis-gql/trellis/engine/pgtest"
)

// TestSelectPermissions runs queries as roles with permissions: a
// role sees only the tables, columns and root fields it is granted, its
// row filter (with session variables) narrows every read, including
// through relationships and where clauses, and its limit caps the rows;
// update and delete filters narrow the rows a mutation reaches.
func TestSelectPermissions(t *testing.T) {
	e := startEngine(t, pgtest.NewDatabase(t))
	e.must(t, "/v2/query", fnSchema, rqCmdOk)
	user := func(id string) map[string]string {
		return map[string]string{"X-Hasura-Role": "user", "X-Hasura-User-Id": id}
	}
	as := func(name, query string, hdr map[string]string, want string) rqCase {
		c := gqlCase(name, query, want)
		c.hdr = hdr
		return c
	}
	rqRun(t, e, []rqCase{
		{name: "track and grant", path: "/v1/metadata", body: `{"type":"bulk","args":[` +
			`{"type":"pg_track_table","args":{"table":"author"}},{"type":"pg_track_table","args":{"table":"article"}},` +
			`{"type":"pg_create_object_relationship","args":{"table":"article","name":"author","using":{"foreign_key_constraint_on":"author_id"}}},` +
			`{"type":"pg_create_array_relationship","args":{"table":"author","name":"articles","using":{"foreign_key_constraint_on":{"table":"article","column":"author_id"}}}},` +
			`{"type":"pg_create_select_permission","args":{"table":"author","role":"user","permission":{"columns":["id","name"],"filter":{"id":{"_eq":"X-Hasura-User-Id"}}}}},` +
			`{"type":"pg_create_select_permission","args":{"table":"article","role":"user","permission":{"columns":["id","title","author_id"],"filter":{"$or":[{"rating":{"_gte":4}},{"author":{"name":{"_eq":"Ann"}}}]},"limit":2,"allow_aggregations":true}}},` +
			`{"type":"pg_create_select_permission","args":{"table":"article","role":"reader","permission":{"columns":["title"],"filter":{},"query_root_fields":["select"]}}}]}`,
			want: `[{"message":"success"},{"message":"success"},{"message":"success"},{"message":"success"},{"message":"success"},{"message":"success"},{"message":"success"}]`},

		as("the row filter reads the session variable",
			`{ author { id name articles(order_by: {id: asc}) { title } } }`, user("1"),
			`{"data":{"author":[{"id":1,"name":"Ann","articles":[{"title":"Apples"},{"title":"Avocados"}]}]}}`),
		as("the same query, planned once, with another user",
			`{ author { id name articles(order_by: {id: asc}) { title } } }`, user("2"),
			`{"data":{"author":[{"id":2,"name":"Bo","articles":[{"title":"Bananas"}]}]}}`),
		as("an object relationship to a filtered row is null",
			`{ article(order_by: {id: asc}) { title author { name } } }`, user("2"),
			`{"data":{"article":[{"title":"Apples","author":null},{"title":"Avocados","author":null}]}}`),
		as("the permission limit caps the client's",
			`{ article(order_by: {id: desc}, limit: 5) { id } }`, user("2"),
			`{"data":{"article":[{"id":3},{"id":2}]}}`),
		as("a where through a relationship sees only permitted rows",
			`{ article(where: {author: {id: {_eq: 1}}}) { id } }`, user("2"),
			`{"data":{"article":[]}}`),
		as("aggregates count the filtered rows, without the limit",
			`{ article_aggregate { aggregate { count } } }`, user("2"),
			`{"data":{"article_aggregate":{"aggregate":{"count":3}}}}`),
		as("a column outside the permission",
			`{ article { rating } }`, user("1"),
			`{"errors":[{"extensions":{"path":"$.selectionSet.article.selectionSet.rating","code":"validation-failed"},"message":"field 'rating' not found in type: 'article'"}]}`),
		as("no aggregate without allow_aggregations",
			`{ author_aggregate { aggregate { count } } }`, user("1"),
			`{"errors":[{"extensions":{"path":"$.selectionSet.author_aggregate","code":"validation-failed"},"message":"field 'author_aggregate' not found in type: 'query_root'"}]}`),
		as("no relationship to a table the role cannot select",
			`{ article { title author { name } } }`, map[string]string{"X-Hasura-Role": "reader"},
			`{"errors":[{"extensions":{"path":"$.selectionSet.article.selectionSet.author","code":"validation-failed"},"message":"field 'author' not found in type: 'article'"}]}`),
		as("query_root_fields leave out _by_pk",
			`{ article_by_pk(id: 1) { title } }`, map[string]string{"X-Hasura-Role": "reader"},
			`{"errors":[{"extensions":{"path":"$.selectionSet.article_by_pk","code":"validation-failed"},"message":"field 'article_by_pk' not found in type: 'query_root'"}]}`),
		as("a missing session variable",
			`{ author { id } }`, map[string]string{"X-Hasura-Role": "user"},
			`{"errors":[{"extensions":{"path":"$","code":"not-found"},"message":"missing session variable: \"x-hasura-user-id\""}]}`),
		as("a role without permissions has the empty schema",
			`{ author { id } }`, map[string]string{"X-Hasura-Role": "stranger"},
			`{"errors":[{"extensions":{"path":"$.selectionSet.author","code":"validation-failed"},"message":"field 'author' not found in type: 'query_root'"}]}`),
		as("introspection shows the role's schema",
			`{ __type(name: "article") { fields { name } } }`, map[string]string{"X-Hasura-Role": "reader"},
			`{"data":{"__type":{"fields":[{"name":"title"}]}}}`),

		{name: "grant update and delete", path: "/v1/metadata", body: `{"type":"bulk","args":[` +
			`{"type":"pg_create_update_permission","args":{"table":"article","role":"user","permission":{"columns":["title"],"filter":{"author_id":"X-Hasura-User-Id"}}}},` +
			`{"type":"pg_create_delete_permission","args":{"table":"article","role":"user","permission":{"filter":{"author_id":"X-Hasura-User-Id"}}}}]}`,
			want: `[{"message":"success"},{"message":"success"}]`},
		as("an update reaches only the rows of its filter",
			`mutation { update_article(where: {}, _set: {title: "Mine"}) { affected_rows } }`, user("2"),
			`{"data":{"update_article":{"affected_rows":1}}}`),
		as("only the permitted columns can be set",
			`mutation { update_article(where: {}, _set: {rating: 1}) { affected_rows } }`, user("2"),
			`{"errors":[{"extensions":{"path":"$.selectionSet.update_article.args._set.rating","code":"validation-failed"},"message":"field 'rating' not found in type: 'article_set_input'"}]}`),
		as("a delete reaches only the rows of its filter",
			`mutation { delete_article(where: {}) { affected_rows } }`, user("1"),
			`{"data":{"delete_article":{"affected_rows":2}}}`),
		gqlCase("the admin sees what the roles did",
			`{ article(order_by: {id: asc}) { id title } }`,
			`{"data":{"article":[{"id":3,"title":"Mine"}]}}`),
	})
}
