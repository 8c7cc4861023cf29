package metadataapi_test

import (
	"testing"

	"github.com/trellis-gql/trellis/engine/pgtest"
)

const mutPermSchema = `{"type":"run_sql","args":{"sql":"` +
	`CREATE TABLE owner (id serial PRIMARY KEY, name text NOT NULL); ` +
	`CREATE TABLE note (id serial PRIMARY KEY, owner_id int NOT NULL REFERENCES owner(id), body text NOT NULL, ` +
	`status text NOT NULL DEFAULT 'draft', edited_by text, public boolean NOT NULL DEFAULT false); ` +
	`CREATE TABLE audit (id serial PRIMARY KEY, who text NOT NULL, what text NOT NULL); ` +
	`INSERT INTO owner (name) VALUES ('Ann'), ('Bo'); ` +
	`INSERT INTO note (owner_id, body, public) VALUES (1, 'a1', true), (2, 'b1', false);` +
	`"}}`

// TestMutationPermissions runs mutations as roles with insert and update
// permissions: presets are written whatever the client sends, checks are
// post-conditions whose failure rolls the whole mutation back, a table
// the role cannot select has affected_rows only, and returning shows every
// written row (Hasura does not apply the select filter to it).
func TestMutationPermissions(t *testing.T) {
	e := startEngine(t, pgtest.NewDatabase(t))
	e.must(t, "/v2/query", mutPermSchema, rqCmdOk)
	user := func(id string) map[string]string {
		return map[string]string{"X-Hasura-Role": "user", "X-Hasura-User-Id": id}
	}
	moderator := map[string]string{"X-Hasura-Role": "moderator"}
	as := func(name, query string, hdr map[string]string, want string) rqCase {
		c := gqlCase(name, query, want)
		c.hdr = hdr
		return c
	}
	checkFailed := func(path string) string {
		return `{"errors":[{"extensions":{"path":"` + path + `","code":"permission-error"},"message":"check constraint of an insert/update permission has failed"}]}`
	}
	rqRun(t, e, []rqCase{
		{name: "track and grant", path: "/v1/metadata", body: `{"type":"bulk","args":[` +
			`{"type":"pg_track_table","args":{"table":"owner"}},{"type":"pg_track_table","args":{"table":"note"}},{"type":"pg_track_table","args":{"table":"audit"}},` +
			`{"type":"pg_create_array_relationship","args":{"table":"owner","name":"notes","using":{"foreign_key_constraint_on":{"table":"note","column":"owner_id"}}}},` +
			`{"type":"pg_create_select_permission","args":{"table":"owner","role":"user","permission":{"columns":["id","name"],"filter":{}}}},` +
			`{"type":"pg_create_insert_permission","args":{"table":"owner","role":"user","permission":{"columns":["name"],"check":{"name":{"_ne":""}}}}},` +
			`{"type":"pg_create_select_permission","args":{"table":"note","role":"user","permission":{"columns":["id","owner_id","body","status","edited_by"],"filter":{"$or":[{"owner_id":"X-Hasura-User-Id"},{"public":true}]}}}},` +
			`{"type":"pg_create_insert_permission","args":{"table":"note","role":"user","permission":{"columns":["owner_id","body","public"],"check":{"owner_id":{"_eq":"X-Hasura-User-Id"}},"set":{"status":"submitted","edited_by":"X-Hasura-User-Id"}}}},` +
			`{"type":"pg_create_update_permission","args":{"table":"note","role":"user","permission":{"columns":["body","public"],"filter":{"owner_id":"X-Hasura-User-Id"},"check":{"body":{"_neq":"forbidden"}},"set":{"edited_by":"X-Hasura-User-Id"}}}},` +
			`{"type":"pg_create_insert_permission","args":{"table":"audit","role":"user","permission":{"columns":["what"],"check":{},"set":{"who":"X-Hasura-User-Id"}}}},` +
			`{"type":"pg_create_select_permission","args":{"table":"note","role":"moderator","permission":{"columns":["id","body"],"filter":{"public":{"_eq":true}}}}},` +
			`{"type":"pg_create_update_permission","args":{"table":"note","role":"moderator","permission":{"columns":["public"],"filter":{}}}}]}`,
			want: `[{"message":"success"},{"message":"success"},{"message":"success"},{"message":"success"},{"message":"success"},{"message":"success"},{"message":"success"},{"message":"success"},{"message":"success"},{"message":"success"},{"message":"success"},{"message":"success"}]`},

		// insert: presets and check
		as("an insert writes the presets, from literals and session variables",
			`mutation { insert_note(objects: [{owner_id: 1, body: "n1"}]) { affected_rows returning { owner_id body status edited_by } } }`, user("1"),
			`{"data":{"insert_note":{"affected_rows":1,"returning":[{"owner_id":1,"body":"n1","status":"submitted","edited_by":"1"}]}}}`),
		as("a preset column is not an input",
			`mutation { insert_note(objects: [{owner_id: 1, body: "n", status: "done"}]) { affected_rows } }`, user("1"),
			`{"errors":[{"extensions":{"path":"$.selectionSet.insert_note.args.objects[0].status","code":"validation-failed"},"message":"field 'status' not found in type: 'note_insert_input'"}]}`),
		as("one row failing the check fails the insert",
			`mutation { insert_note(objects: [{owner_id: 1, body: "mine"}, {owner_id: 2, body: "theirs"}]) { affected_rows } }`, user("1"),
			checkFailed("$.selectionSet.insert_note.args.objects")),
		as("insert_one reports the check at its object",
			`mutation { insert_note_one(object: {owner_id: 2, body: "theirs"}) { id } }`, user("1"),
			checkFailed("$.selectionSet.insert_note_one.args.object")),
		as("a failed check rolls back the other root fields too",
			`mutation { a: insert_audit(objects: {what: "tried"}) { affected_rows } b: insert_note(objects: {owner_id: 2, body: "no"}) { affected_rows } }`, user("1"),
			checkFailed("$.selectionSet.b.args.objects")),
		as("the check of nested rows: the note takes the new owner's id, not the user's",
			`mutation { insert_owner(objects: {name: "Cy", notes: {data: [{body: "c1"}]}}) { affected_rows } }`, user("1"),
			checkFailed("$.selectionSet.insert_owner.args.objects")),
		as("nested rows that pass their checks (the failed insert used up owner 3)",
			`mutation { insert_owner(objects: {name: "Di", notes: {data: [{body: "d1"}]}}) { affected_rows returning { id name notes { body status edited_by } } } }`, user("4"),
			`{"data":{"insert_owner":{"affected_rows":2,"returning":[{"id":4,"name":"Di","notes":[{"body":"d1","status":"submitted","edited_by":"4"}]}]}}}`),
		as("the check of the parent row",
			`mutation { insert_owner(objects: {name: ""}) { affected_rows } }`, user("1"),
			checkFailed("$.selectionSet.insert_owner.args.objects")),
		// Sequences do not roll back: the failed inserts used up notes 4 to 8.
		gqlCase("nothing of the failed mutations was written",
			`{ owner(order_by: {id: asc}) { id name } note(order_by: {id: asc}) { id owner_id body } audit { id } }`,
			`{"data":{"owner":[{"id":1,"name":"Ann"},{"id":2,"name":"Bo"},{"id":4,"name":"Di"}],"note":[{"id":1,"owner_id":1,"body":"a1"},{"id":2,"owner_id":2,"body":"b1"},{"id":3,"owner_id":1,"body":"n1"},{"id":9,"owner_id":4,"body":"d1"}],"audit":[]}}`),

		// a table the role can insert into but not select
		as("an insert-only table answers affected_rows",
			`mutation { insert_audit(objects: [{what: "login"}]) { affected_rows } }`, user("1"),
			`{"data":{"insert_audit":{"affected_rows":1}}}`),
		as("no returning without a select permission",
			`mutation { insert_audit(objects: [{what: "login"}]) { returning { id } } }`, user("1"),
			`{"errors":[{"extensions":{"path":"$.selectionSet.insert_audit.selectionSet.returning","code":"validation-failed"},"message":"field 'returning' not found in type: 'audit_mutation_response'"}]}`),
		as("no insert_one without a select permission",
			`mutation { insert_audit_one(object: {what: "login"}) { id } }`, user("1"),
			`{"errors":[{"extensions":{"path":"$.selectionSet.insert_audit_one","code":"validation-failed"},"message":"field 'insert_audit_one' not found in type: 'mutation_root'"}]}`),
		as("nor a query field",
			`{ audit { id } }`, user("1"),
			`{"errors":[{"extensions":{"path":"$.selectionSet.audit","code":"validation-failed"},"message":"field 'audit' not found in type: 'query_root'"}]}`),
		as("a preset's session variable is required",
			`mutation { insert_audit(objects: [{what: "login"}]) { affected_rows } }`, map[string]string{"X-Hasura-Role": "user"},
			`{"errors":[{"extensions":{"path":"$","code":"not-found"},"message":"missing session variable: \"x-hasura-user-id\""}]}`),
		as("introspection: the response type has affected_rows only",
			`{ __type(name: "audit_mutation_response") { fields { name } } }`, user("1"),
			`{"data":{"__type":{"fields":[{"name":"affected_rows"}]}}}`),
		gqlCase("the audit rows carry the preset",
			`{ audit(order_by: {id: asc}) { who what } }`,
			`{"data":{"audit":[{"who":"1","what":"login"}]}}`),

		// update: filter, presets, check
		as("an update writes its presets",
			`mutation { update_note(where: {id: {_eq: 1}}, _set: {body: "edited"}) { affected_rows returning { id body edited_by } } }`, user("1"),
			`{"data":{"update_note":{"affected_rows":1,"returning":[{"id":1,"body":"edited","edited_by":"1"}]}}}`),
		as("update_by_pk outside the filter answers null",
			`mutation { update_note_by_pk(pk_columns: {id: 1}, _set: {body: "x"}) { id } }`, user("2"),
			`{"data":{"update_note_by_pk":null}}`),
		as("a row failing the update check fails the update",
			`mutation { update_note(where: {}, _set: {body: "forbidden"}) { affected_rows } }`, user("1"),
			checkFailed("$")),
		as("update_many: a failing update rolls back the earlier ones",
			`mutation { update_note_many(updates: [{where: {id: {_eq: 3}}, _set: {body: "n2"}}, {where: {id: {_eq: 1}}, _set: {body: "forbidden"}}]) { affected_rows } }`, user("1"),
			checkFailed("$")),
		as("a preset column cannot be set",
			`mutation { update_note(where: {}, _set: {edited_by: "me"}) { affected_rows } }`, user("1"),
			`{"errors":[{"extensions":{"path":"$.selectionSet.update_note.args._set.edited_by","code":"validation-failed"},"message":"field 'edited_by' not found in type: 'note_set_input'"}]}`),
		as("returning shows every updated row, even one the select filter hides; affected_rows counts them all",
			`mutation { update_note(where: {id: {_in: [1, 2]}}, _set: {public: false}) { affected_rows returning { id body } } }`, moderator,
			`{"data":{"update_note":{"affected_rows":2,"returning":[{"id":1,"body":"edited"},{"id":2,"body":"b1"}]}}}`),
		// backend_only: the field exists in the backend scenario only
		{name: "grant a backend-only delete", path: "/v1/metadata", body: `{"type":"pg_create_delete_permission","args":{"table":"note","role":"user","permission":{"filter":{"owner_id":"X-Hasura-User-Id"},"backend_only":true}}}`,
			want: `{"message":"success"}`},
		as("a backend-only permission is hidden from a frontend request",
			`mutation { delete_note(where: {id: {_eq: 3}}) { affected_rows } }`, user("1"),
			`{"errors":[{"extensions":{"path":"$.selectionSet.delete_note","code":"validation-failed"},"message":"field 'delete_note' not found in type: 'mutation_root'"}]}`),
		as("x-hasura-use-backend-only-permissions: false is the frontend scenario",
			`mutation { delete_note(where: {id: {_eq: 3}}) { affected_rows } }`, map[string]string{"X-Hasura-Role": "user", "X-Hasura-User-Id": "1", "X-Hasura-Use-Backend-Only-Permissions": "false"},
			`{"errors":[{"extensions":{"path":"$.selectionSet.delete_note","code":"validation-failed"},"message":"field 'delete_note' not found in type: 'mutation_root'"}]}`),
		as("a trusted request (no admin secret is configured) asks for the backend scenario",
			`mutation { delete_note(where: {id: {_eq: 3}}) { affected_rows } }`, map[string]string{"X-Hasura-Role": "user", "X-Hasura-User-Id": "1", "X-Hasura-Use-Backend-Only-Permissions": "true"},
			`{"data":{"delete_note":{"affected_rows":1}}}`),
		as("the backend scenario keeps the role's other permissions",
			`mutation { update_note(where: {id: {_eq: 2}}, _set: {body: "b2"}) { affected_rows } }`, map[string]string{"X-Hasura-Role": "user", "X-Hasura-User-Id": "2", "X-Hasura-Use-Backend-Only-Permissions": "True"},
			`{"data":{"update_note":{"affected_rows":1}}}`),
		gqlCase("the failed updates wrote nothing; the backend request deleted note 3",
			`{ note(order_by: {id: asc}) { id body edited_by public } }`,
			`{"data":{"note":[{"id":1,"body":"edited","edited_by":"1","public":false},{"id":2,"body":"b2","edited_by":"2","public":false},{"id":9,"body":"d1","edited_by":"4","public":false}]}}`),
	})
}
