package metadataapi_test

import (
	"testing"

	"github.com/trellis-gql/trellis/engine/pgtest"
)

// TestMutationSessionInTriggers checks that triggers see the session
// variables as Hasura sets them: current_setting('hasura.user') is the
// session's JSON, inside the mutation's transaction only.
func TestMutationSessionInTriggers(t *testing.T) {
	e := startEngine(t, pgtest.NewDatabase(t))
	e.must(t, "/v2/query", `{"type":"run_sql","args":{"sql":"`+
		`CREATE TABLE note (id serial PRIMARY KEY, body text NOT NULL, written_by jsonb); `+
		`CREATE FUNCTION note_author() RETURNS trigger LANGUAGE plpgsql AS $$ BEGIN NEW.written_by := current_setting('hasura.user')::jsonb; RETURN NEW; END $$; `+
		`CREATE TRIGGER note_author BEFORE INSERT OR UPDATE ON note FOR EACH ROW EXECUTE FUNCTION note_author()"}}`, rqCmdOk)
	e.must(t, "/v1/metadata", `{"type":"pg_track_table","args":{"table":"note"}}`, rqSuccess)
	rqRun(t, e, []rqCase{
		gqlCase("insert: the trigger reads the session",
			`mutation { insert_note_one(object: {body: "hi"}) { id body written_by } }`,
			`{"data":{"insert_note_one":{"id":1,"body":"hi","written_by":{"x-hasura-role":"admin"}}}}`),
		gqlCase("update: the trigger reads it too",
			`mutation { update_note(where: {id: {_eq: 1}}, _set: {body: "hello"}) { affected_rows returning { body written_by } } }`,
			`{"data":{"update_note":{"affected_rows":1,"returning":[{"body":"hello","written_by":{"x-hasura-role":"admin"}}]}}}`),
	})
	// Outside a mutation the setting is not left behind on the connection.
	e.must(t, "/v2/query", `{"type":"run_sql","args":{"sql":"SELECT coalesce(current_setting('hasura.user', true), '') AS s"}}`,
		`{"result_type":"TuplesOk","result":[["s"],[""]]}`)
}

// TestUpsertOnVanishedConstraint: an on_conflict constraint that the
// schema still lists but the table no longer has (dropped behind the
// engine's back, no reload yet) is Hasura's constraint-error, at the
// insert's objects.
func TestUpsertOnVanishedConstraint(t *testing.T) {
	dsn := pgtest.NewDatabase(t)
	e := startEngine(t, dsn)
	e.must(t, "/v2/query", `{"type":"run_sql","args":{"sql":"CREATE TABLE tag (id serial PRIMARY KEY, name text NOT NULL CONSTRAINT tag_name_key UNIQUE)"}}`, rqCmdOk)
	e.must(t, "/v1/metadata", `{"type":"pg_track_table","args":{"table":"tag"}}`, rqSuccess)
	rqSQL(t, dsn, "ALTER TABLE tag DROP CONSTRAINT tag_name_key")
	rqRun(t, e, []rqCase{
		gqlCase("constraint-error",
			`mutation { insert_tag(objects: [{name: "go"}], on_conflict: {constraint: tag_name_key, update_columns: []}) { affected_rows } }`,
			`{"errors":[{"extensions":{"path":"$.selectionSet.insert_tag.args.objects","code":"constraint-error"},"message":"constraint \"tag_name_key\" for table \"tag\" does not exist"}]}`),
	})
}

// TestSessionOnReads: queries see the session in hasura.user too (views,
// functions and row-level security can use it), as Hasura does only for
// mutations.
func TestSessionOnReads(t *testing.T) {
	e := startEngine(t, pgtest.NewDatabase(t))
	e.must(t, "/v2/query", `{"type":"run_sql","args":{"sql":"`+
		`CREATE TABLE item (id int PRIMARY KEY, owner text NOT NULL); INSERT INTO item VALUES (1, 'ann'), (2, 'bo'); `+
		`CREATE VIEW my_item AS SELECT * FROM item WHERE owner = current_setting('hasura.user', true)::json->>'x-hasura-user-id'"}}`, rqCmdOk)
	e.must(t, "/v1/metadata", `{"type":"pg_track_table","args":{"table":"my_item"}}`, rqSuccess)
	rqRun(t, e, []rqCase{
		{name: "the view reads the session", path: "/v1/graphql", hdr: map[string]string{"X-Hasura-User-Id": "bo"},
			body: `{"query":"{ my_item { id owner } }"}`, want: `{"data":{"my_item":[{"id":2,"owner":"bo"}]}}`},
		{name: "another session", path: "/v1/graphql", hdr: map[string]string{"X-Hasura-User-Id": "ann"},
			body: `{"query":"{ my_item { id owner } }"}`, want: `{"data":{"my_item":[{"id":1,"owner":"ann"}]}}`},
	})
}
