package metadataapi_test

import (
	"net/http"
	"testing"

	"github.com/trellis-gql/trellis/engine/pgtest"
)

const dataPermSchema = `{"type":"run_sql","args":{"sql":"` +
	`CREATE TABLE writer (id serial PRIMARY KEY, name text NOT NULL, email text); ` +
	`CREATE TABLE post (id serial PRIMARY KEY, title text NOT NULL, writer_id int REFERENCES writer(id), secret text); ` +
	`CREATE TABLE hidden (id serial PRIMARY KEY); ` +
	`INSERT INTO writer (name, email) VALUES ('Ann', 'a@x'), ('Bo', 'b@x'); ` +
	`INSERT INTO post (title, writer_id, secret) VALUES ('A1', 1, 's1'), ('A2', 1, 's2'), ('A3', 1, 's3'), ('B1', 2, 's4');` +
	`"}}`

// TestDataAPIPermissions runs /v1/query select and count as a role: its
// select filter (with session variables) is ANDed in, its limit caps the
// rows, only its columns can be read, compared or ordered by, and tables
// it has no select permission on are refused with Hasura's errors.
// Mutations and metadata requests stay refused.
func TestDataAPIPermissions(t *testing.T) {
	e := startEngine(t, pgtest.NewDatabase(t))
	e.must(t, "/v2/query", dataPermSchema, rqCmdOk)
	user := func(id string) map[string]string {
		return map[string]string{"X-Hasura-Role": "user", "X-Hasura-User-Id": id}
	}
	as := func(name, body string, hdr map[string]string, status int, want string) rqCase {
		return rqCase{name: name, path: "/v1/query", body: body, hdr: hdr, status: status, want: want}
	}
	rqRun(t, e, []rqCase{
		{name: "track and grant", path: "/v1/metadata", body: `{"type":"bulk","args":[` +
			`{"type":"pg_track_table","args":{"table":"writer"}},{"type":"pg_track_table","args":{"table":"post"}},{"type":"pg_track_table","args":{"table":"hidden"}},` +
			`{"type":"pg_create_object_relationship","args":{"table":"post","name":"writer","using":{"foreign_key_constraint_on":"writer_id"}}},` +
			`{"type":"pg_create_array_relationship","args":{"table":"writer","name":"posts","using":{"foreign_key_constraint_on":{"table":"post","column":"writer_id"}}}},` +
			`{"type":"pg_create_select_permission","args":{"table":"post","role":"user","permission":{"columns":["id","title","writer_id"],"filter":{"writer_id":"X-Hasura-User-Id"},"limit":2}}},` +
			`{"type":"pg_create_select_permission","args":{"table":"writer","role":"user","permission":{"columns":["id","name"],"filter":{"id":{"_eq":"X-Hasura-User-Id"}}}}}]}`,
			want: `[{"message":"success"},{"message":"success"},{"message":"success"},{"message":"success"},{"message":"success"},{"message":"success"},{"message":"success"}]`},

		as("the filter and the limit apply",
			`{"type":"select","args":{"table":"post","columns":["id","title"],"order_by":["id"]}}`, user("1"), 0,
			`[{"id":1,"title":"A1"},{"id":2,"title":"A2"}]`),
		as("a smaller limit wins",
			`{"type":"select","args":{"table":"post","columns":["id"],"order_by":["-id"],"limit":1}}`, user("1"), 0,
			`[{"id":3}]`),
		as("the where is ANDed with the filter",
			`{"type":"select","args":{"table":"post","columns":["title"],"where":{"title":{"$like":"B%"}}}}`, user("1"), 0,
			`[]`),
		as("the session variable decides the rows",
			`{"type":"select","args":{"table":"post","columns":["title"]}}`, user("2"), 0,
			`[{"title":"B1"}]`),
		as("a session value is never SQL",
			`{"type":"select","args":{"table":"post","columns":["title"]}}`, user("1' OR 1=1 --"), 400,
			`{"code":"data-exception","error":"invalid input syntax for type integer: \"1' OR 1=1 --\"","path":"$.args"}`),
		as("a wildcard expands to the permitted columns, and relationships to their filtered rows",
			`{"type":"select","args":{"table":"writer","columns":["*",{"name":"posts","columns":["title"],"order_by":["id"]}]}}`, user("2"), 0,
			`[{"posts":[{"title":"B1"}],"id":2,"name":"Bo"}]`),
		as("a column outside the permission",
			`{"type":"select","args":{"table":"post","columns":["id","secret"]}}`, user("1"), 400,
			`{"code":"permission-denied","error":"role \"user\" does not have permission to select column \"secret\"","path":"$.args.columns[1]"}`),
		as("an unknown column is a permission error too",
			`{"type":"select","args":{"table":"post","columns":["nope"]}}`, user("1"), 400,
			`{"code":"permission-denied","error":"role \"user\" does not have permission to select column \"nope\"","path":"$.args.columns[0]"}`),
		as("a where on a column outside the permission",
			`{"type":"select","args":{"table":"post","columns":["id"],"where":{"secret":"s1"}}}`, user("1"), 400,
			`{"code":"permission-denied","error":"role \"user\" does not have permission to select column \"secret\"","path":"$.args.where"}`),
		as("an order_by on a column outside the permission",
			`{"type":"select","args":{"table":"post","columns":["id"],"order_by":["secret"]}}`, user("1"), 400,
			`{"code":"permission-denied","error":"role \"user\" does not have permission to select column \"secret\"","path":"$.args.order_by[0]"}`),
		as("a table without a select permission",
			`{"type":"select","args":{"table":"hidden","columns":["id"]}}`, user("1"), 400,
			`{"code":"permission-denied","error":"select on \"hidden\" for role \"user\" is not allowed. ","path":"$.args"}`),
		as("a role without permissions",
			`{"type":"select","args":{"table":"post","columns":["id"]}}`, map[string]string{"X-Hasura-Role": "guest"}, 400,
			`{"code":"permission-denied","error":"select on \"post\" for role \"guest\" is not allowed. ","path":"$.args"}`),
		as("a missing session variable",
			`{"type":"select","args":{"table":"post","columns":["id"]}}`, map[string]string{"X-Hasura-Role": "user"}, 400,
			`{"code":"not-found","error":"\"x-hasura-user-id\" header is expected but not found","path":"$.args"}`),
		as("count applies the filter",
			`{"type":"count","args":{"table":"post"}}`, user("1"), 0,
			`{"count":3}`),
		as("count with a where",
			`{"type":"count","args":{"table":"post","where":{"title":"A2"}}}`, user("1"), 0,
			`{"count":1}`),
		as("count distinct on a column outside the permission",
			`{"type":"count","args":{"table":"post","distinct":["secret"]}}`, user("1"), 400,
			`{"code":"permission-denied","error":"role \"user\" does not have permission to select column \"secret\"","path":"$.args.distinct[0]"}`),
		as("an insert without an insert permission",
			`{"type":"insert","args":{"table":"post","objects":[{"title":"x"}]}}`, user("1"), 400,
			`{"code":"permission-denied","error":"insert on \"post\" for role \"user\" is not allowed. ","path":"$.args"}`),
		as("a metadata request stays admin-only",
			`{"type":"run_sql","args":{"sql":"select 1"}}`, user("1"), http.StatusBadRequest,
			`{"code":"access-denied","error":"restricted access : admin only","path":"$.args"}`),
	})
}
