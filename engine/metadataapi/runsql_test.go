package metadataapi_test

import (
	"testing"

	"github.com/trellis-gql/trellis/engine/pgtest"
)

// pgSyntaxError is the internal.error of a syntax error at "SELEC",
// with position when pos is not empty.
func pgSyntaxError(pos string) string {
	if pos != "" {
		pos = `"position":` + pos + `,`
	}
	return `{"description":null,"exec_status":"FatalError","hint":null,"message":"syntax error at or near \"SELEC\"",` + pos + `"status_code":"42601"}`
}

// TestRunSQLErrorPosition: with X-Trellis-Error-Position: true, a failed
// run_sql's database error carries its position (1-based characters into
// the SQL), on /v2/query and /v1/query and inside a bulk; without the
// header the answer is Hasura's.
func TestRunSQLErrorPosition(t *testing.T) {
	e := startEngine(t, pgtest.NewDatabase(t))
	withPos := map[string]string{"X-Trellis-Error-Position": "true"}
	const sql = `SELECT 'é';\nSELEC 2`
	stmt := `"prepared":false,"statement":"SELECT 'é';\nSELEC 2"}`
	failed := func(pos, path string) string {
		return `{"code":"postgres-error","error":"query execution failed","internal":{"arguments":[],"error":` + pgSyntaxError(pos) + `,` + stmt + `,"path":"` + path + `"}`
	}
	runSQL := `{"type":"run_sql","args":{"sql":"` + sql + `"}}`
	rqRun(t, e, []rqCase{
		// é is one character (two bytes): SELEC is at character 13.
		{name: "v2 with the header", path: "/v2/query", hdr: withPos, body: runSQL, status: 400, want: failed("13", "$")},
		{name: "v2 without the header", path: "/v2/query", body: runSQL, status: 400, want: failed("", "$")},
		{name: "v2 with the header false", path: "/v2/query", hdr: map[string]string{"X-Trellis-Error-Position": "false"}, body: runSQL, status: 400, want: failed("", "$")},
		{name: "v1 with the header", path: "/v1/query", hdr: withPos, body: runSQL, status: 400, want: failed("13", "$.args")},
		{name: "v1 without the header", path: "/v1/query", body: runSQL, status: 400, want: failed("", "$.args")},
		{name: "read_only with the header", path: "/v2/query", hdr: withPos, body: `{"type":"run_sql","args":{"sql":"` + sql + `","read_only":true}}`, status: 400, want: failed("13", "$")},
		{name: "no_transaction with the header", path: "/v2/query", hdr: withPos, body: `{"type":"run_sql","args":{"sql":"` + sql + `","no_transaction":true}}`, status: 400, want: failed("13", "$")},
		{name: "bulk with the header", path: "/v2/query", hdr: withPos, body: `{"type":"bulk","args":[{"type":"run_sql","args":{"sql":"SELECT 1"}},` + runSQL + `]}`, status: 400, want: failed("13", "$[1].args")},
		{name: "bulk without the header", path: "/v2/query", body: `{"type":"bulk","args":[{"type":"run_sql","args":{"sql":"SELECT 1"}},` + runSQL + `]}`, status: 400, want: failed("", "$[1].args")},
		{name: "v1 bulk with the header", path: "/v1/query", hdr: withPos, body: `{"type":"bulk","args":[` + runSQL + `]}`, status: 400, want: failed("13", "$.args[0].args")},
		{name: "an error without a position", path: "/v2/query", hdr: withPos, body: `{"type":"run_sql","args":{"sql":"SELECT 1/0"}}`, status: 400,
			want: `{"code":"postgres-error","error":"query execution failed","internal":{"arguments":[],"error":{"description":null,"exec_status":"FatalError","hint":null,"message":"division by zero","status_code":"22012"},"prepared":false,"statement":"SELECT 1/0"},"path":"$"}`},
	})
}

// TestRunSQLAndCatalogStateInOneBulk: a /v2/query bulk of run_sql items
// and then set_catalog_state (how Trellis's CLI records a migration) runs
// in one transaction: when any item fails, neither the database nor the
// catalog state changes.
func TestRunSQLAndCatalogStateInOneBulk(t *testing.T) {
	e := startEngine(t, pgtest.NewDatabase(t))
	before := `{"type":"set_catalog_state","args":{"type":"cli","state":{"settings":{"migration_mode":"true"}}}}`
	record := `{"type":"set_catalog_state","args":{"type":"cli","state":{"migrations":{"default":{"1":false}},"settings":{"migration_mode":"true"}}}}`
	tables := `{"type":"run_sql","args":{"sql":"SELECT to_regclass('public.m1') IS NOT NULL AS m1, to_regclass('public.m2') IS NOT NULL AS m2"}}`
	state := `{"type":"get_catalog_state","args":{}}`
	initial := `{"id":"<uuid>","cli_state":{"settings":{"migration_mode":"true"}},"console_state":{}}`
	rqRun(t, e, []rqCase{
		{name: "initial state", path: "/v1/metadata", body: before, want: rqSuccess},
		{name: "a failing run_sql", path: "/v2/query", body: `{"type":"bulk","args":[` +
			`{"type":"run_sql","args":{"sql":"CREATE TABLE m1 (id int)"}},` +
			`{"type":"run_sql","args":{"sql":"CREATE TABLE m2 (id int); INSERT INTO nope VALUES (1)"}},` + record + `]}`,
			status: 400, want: `{"code":"postgres-error","error":"query execution failed","internal":{"arguments":[],"error":{"description":null,"exec_status":"FatalError","hint":null,"message":"relation \"nope\" does not exist","status_code":"42P01"},"prepared":false,"statement":"CREATE TABLE m2 (id int); INSERT INTO nope VALUES (1)"},"path":"$[1].args"}`},
		{name: "no table after the failure", path: "/v2/query", body: tables, want: `{"result_type":"TuplesOk","result":[["m1","m2"],["f","f"]]}`},
		{name: "the state unchanged after the failure", path: "/v1/metadata", body: state, anyID: true, want: initial},
		{name: "a failing set_catalog_state", path: "/v2/query", body: `{"type":"bulk","args":[` +
			`{"type":"run_sql","args":{"sql":"CREATE TABLE m1 (id int)"}},` +
			`{"type":"set_catalog_state","args":{"type":"bogus","state":{}}}]}`,
			status: 400, want: `{"code":"parse-failed","error":"unexpected catalog state type \"bogus\": expected \"cli\" or \"console\"","path":"$[1].args.type"}`},
		{name: "no table after that failure", path: "/v2/query", body: tables, want: `{"result_type":"TuplesOk","result":[["m1","m2"],["f","f"]]}`},
		{name: "the state unchanged after that failure", path: "/v1/metadata", body: state, anyID: true, want: initial},
		{name: "both succeed", path: "/v2/query", body: `{"type":"bulk","args":[` +
			`{"type":"run_sql","args":{"sql":"CREATE TABLE m1 (id int)"}},` + record + `]}`,
			want: `[` + rqCmdOk + `,` + rqSuccess + `]`},
		{name: "the table after success", path: "/v2/query", body: tables, want: `{"result_type":"TuplesOk","result":[["m1","m2"],["t","f"]]}`},
		{name: "the state recorded", path: "/v1/metadata", body: state, anyID: true,
			want: `{"id":"<uuid>","cli_state":{"migrations":{"default":{"1":false}},"settings":{"migration_mode":"true"}},"console_state":{}}`},
	})
}
