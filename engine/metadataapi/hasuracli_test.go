package metadataapi_test

import (
	"bytes"
	"encoding/json"
	"io"
	"net/http"
	"strings"
	"testing"

	"github.com/trellis-gql/trellis/engine/pgtest"
)

// This file replays, request by request, what the stock Hasura CLI (v2, a
// config v3 project, database "default") sends to the server for each of
// its commands, and checks Trellis's answers byte for byte where the CLI
// decodes them. The requests come from the CLI's source
// (hasura/graphql-engine, cli/): ExecutionContext.Validate in cli.go and
// util/server.go (the server checks), internal/httpc (bodies are Go's JSON
// encoding with a trailing newline; maps have sorted keys), internal/hasura
// and its v1metadata, v2query, catalogstate, pgdump and sourceops/postgres
// clients, internal/statestore (cli_state through get/set_catalog_state),
// migrate/migrate.go and migrate/database/hasuradb (migrations), and
// commands/{metadata,migrate}_*.go.

const (
	cliSecret  = "cli-secret"
	cliVersion = "v2.48.0-trellis.test"
	cliDB      = "default"
	cliCmdOk   = `{"result_type":"CommandOk","result":null}`
	cliSuccess = `{"message":"success"}`
	// The CLI's query for the config v2 table of applied migrations
	// (statestore/migrations.MigrationStateStoreHdbTable and
	// migrate.copyStateToCatalogStateAPIIfRequired).
	cliLegacyCount = `SELECT COUNT(1) FROM information_schema.tables WHERE table_name = 'schema_migrations' AND table_schema = 'hdb_catalog' LIMIT 1`
)

// cliReq is one request of the CLI and the answer it must get.
type cliReq struct {
	method, path, body string
	// beforeSecret: the CLI checks the server (GET /v1/version) before it
	// adds X-Hasura-Admin-Secret to its requests.
	beforeSecret bool
	header       map[string]string
	status       int    // 0 means 200
	want         string // the exact compact body, unless check is set
	check        func(t *testing.T, contentType, body string)
}

// cliState is the CLI's statestore.CLIState: the same members in the same
// order, so that its JSON is what the CLI sends.
type cliState struct {
	Migrations           map[string]map[string]bool `json:"migrations,omitempty"`
	Settings             map[string]string          `json:"settings"`
	IsStateCopyCompleted bool                       `json:"isStateCopyCompleted"`
}

// cliRunSQL is the CLI's hasura.PGRunSQLInput.
type cliRunSQL struct {
	SQL                      string `json:"sql"`
	Source                   string `json:"source,omitempty"`
	Cascade                  bool   `json:"cascade,omitempty"`
	ReadOnly                 bool   `json:"read_only,omitempty"`
	CheckMetadataConsistency *bool  `json:"check_metadata_consistency,omitempty"`
}

// cliSession is a project talking to one engine. It keeps what the server
// stores (cli_state, the metadata), from which the CLI's requests and the
// answers they get follow.
type cliSession struct {
	e      *engine
	stored *cliState // nil while cli_state is {}
	md     string    // export_metadata's answer
}

func newCLISession(t *testing.T, dsn string) *cliSession {
	e := startEngineOpts(t, dsn, engineOpts{adminSecret: cliSecret, version: cliVersion})
	return &cliSession{e: e, md: rqExport("")}
}

// send sends r as the CLI does and checks the answer.
func (s *cliSession) send(t *testing.T, r cliReq) string {
	t.Helper()
	var body io.Reader
	if r.body != "" {
		body = strings.NewReader(r.body + "\n")
	}
	req, err := http.NewRequest(r.method, s.e.url+r.path, body)
	if err != nil {
		t.Fatal(err)
	}
	if r.body != "" {
		req.Header.Set("Content-Type", "application/json")
	}
	if !r.beforeSecret {
		req.Header.Set("X-Hasura-Admin-Secret", cliSecret)
	}
	for k, v := range r.header {
		req.Header.Set(k, v)
	}
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	raw, err := io.ReadAll(resp.Body)
	if err != nil {
		t.Fatal(err)
	}
	got := string(raw)
	var buf bytes.Buffer
	if json.Compact(&buf, raw) == nil {
		got = rqCatalogID.ReplaceAllString(buf.String(), `"id":"<uuid>"`)
	}
	status := r.status
	if status == 0 {
		status = http.StatusOK
	}
	switch {
	case resp.StatusCode != status:
		t.Fatalf("%s %s %s\n got %d %s\nwant %d %s", r.method, r.path, r.body, resp.StatusCode, got, status, r.want)
	case r.check != nil:
		r.check(t, resp.Header.Get("Content-Type"), got)
	case got != r.want:
		t.Fatalf("%s %s %s\n got %s\nwant %s", r.method, r.path, r.body, got, r.want)
	}
	return got
}

// cliJSON encodes v as the CLI's HTTP client does (no HTML escaping).
func cliJSON(t *testing.T, v any) string {
	t.Helper()
	var buf bytes.Buffer
	enc := json.NewEncoder(&buf)
	enc.SetEscapeHTML(false)
	if err := enc.Encode(v); err != nil {
		t.Fatal(err)
	}
	return strings.TrimSuffix(buf.String(), "\n")
}

// sortedJSON is v's JSON with every object's keys sorted, as Hasura (and
// Trellis) answer stored JSON.
func sortedJSON(t *testing.T, v any) string {
	t.Helper()
	var generic any
	if err := json.Unmarshal([]byte(cliJSON(t, v)), &generic); err != nil {
		t.Fatal(err)
	}
	return cliJSON(t, generic)
}

// catalogState is get_catalog_state's answer.
func (s *cliSession) catalogState(t *testing.T) string {
	cli := "{}"
	if s.stored != nil {
		cli = sortedJSON(t, s.stored)
	}
	return `{"id":"<uuid>","cli_state":` + cli + `,"console_state":{}}`
}

// view is cli_state as the CLI decodes it.
func (s *cliSession) view(t *testing.T) cliState {
	var st cliState
	if s.stored != nil {
		if err := json.Unmarshal([]byte(cliJSON(t, s.stored)), &st); err != nil {
			t.Fatal(err)
		}
	}
	return st
}

// validate is ExecutionContext.Validate: the server checks, the config
// API, export_metadata on /v1/query (is the metadata version 3?) and the
// server's id.
func (s *cliSession) validate(t *testing.T) {
	t.Helper()
	version := cliReq{method: http.MethodGet, path: "/v1/version", beforeSecret: true, want: `{"server_type":"ce","version":"` + cliVersion + `"}`}
	s.send(t, version) // util.GetServerStatus: any 200
	s.send(t, version) // version.FetchServerVersion: {"version"}
	s.send(t, cliReq{method: http.MethodGet, path: "/v1alpha1/config", check: func(t *testing.T, _, body string) {
		var cfg struct {
			ConsoleAssetsDir *string `json:"console_assets_dir"`
		}
		if err := json.Unmarshal([]byte(body), &cfg); err != nil || cfg.ConsoleAssetsDir != nil {
			t.Errorf("GET /v1alpha1/config: console_assets_dir should be null: %s (%v)", body, err)
		}
	}})
	s.send(t, cliReq{method: http.MethodPost, path: "/v1/query", body: `{"type":"export_metadata","args":{}}`, want: s.md})
	// util.GetServerState re-encodes its payload from a map: sorted keys.
	s.send(t, cliReq{method: http.MethodPost, path: "/v1/metadata", body: `{"args":{},"type":"get_catalog_state"}`, want: s.catalogState(t)})
}

// sourceKind is validateSourceInfo (commands/migrate.go): the kind of
// --database-name from export_metadata.
func (s *cliSession) sourceKind(t *testing.T) {
	t.Helper()
	s.send(t, cliReq{method: http.MethodPost, path: "/v1/metadata", body: `{"type":"export_metadata","args":{}}`, want: s.md})
}

func (s *cliSession) getState(t *testing.T) {
	t.Helper()
	s.send(t, cliReq{method: http.MethodPost, path: "/v1/metadata", body: `{"type":"get_catalog_state","args":{}}`, want: s.catalogState(t)})
}

func (s *cliSession) setState(t *testing.T, st cliState) {
	t.Helper()
	body := `{"type":"set_catalog_state","args":{"state":` + cliJSON(t, st) + `,"type":"cli"}}`
	s.send(t, cliReq{method: http.MethodPost, path: "/v1/metadata", body: body, want: cliSuccess})
	s.stored = &st
}

// runSQL is a run_sql on /v2/query.
func (s *cliSession) runSQL(t *testing.T, args cliRunSQL, status int, want string) {
	t.Helper()
	s.send(t, cliReq{method: http.MethodPost, path: "/v2/query", body: `{"type":"run_sql","args":` + cliJSON(t, args) + `}`, status: status, want: want})
}

// newMigrate is migrate.NewMigrate: the hasuradb driver sets the default
// settings (settings.StateStoreCatalog.PrepareSettingsDriver), reads the
// applied versions (Scan) and, unless autoCopy is off (migrate create),
// moves a config v2 project's state once (copyStateToCatalogStateAPIIfRequired).
func (s *cliSession) newMigrate(t *testing.T, autoCopy bool, legacy [][]string) {
	t.Helper()
	s.getState(t)
	st := s.view(t)
	if st.Settings["migration_mode"] == "" {
		if st.Settings == nil {
			st.Settings = map[string]string{}
		}
		st.Settings["migration_mode"] = "true"
	}
	s.setState(t, st)
	s.getState(t)
	if !autoCopy {
		return
	}
	s.getState(t)
	if s.stored.IsStateCopyCompleted {
		return
	}
	if legacy == nil {
		s.runSQL(t, cliRunSQL{SQL: cliLegacyCount, Source: cliDB}, 0, `{"result_type":"TuplesOk","result":[["count"],["0"]]}`)
		st = s.view(t)
		st.IsStateCopyCompleted = true
		s.setState(t, st)
		return
	}
	s.copyLegacyState(t, legacy)
}

// copyLegacyState is scripts.CopyState: hdb_catalog.schema_migrations'
// versions and the settings move into cli_state; then Scan again.
func (s *cliSession) copyLegacyState(t *testing.T, rows [][]string) {
	t.Helper()
	count := `{"result_type":"TuplesOk","result":[["count"],["1"]]}`
	s.runSQL(t, cliRunSQL{SQL: cliLegacyCount, Source: cliDB}, 0, count)
	s.runSQL(t, cliRunSQL{SQL: cliLegacyCount, Source: cliDB}, 0, count) // the source store's Prepare
	want, _ := json.Marshal(append([][]string{{"version", "dirty"}}, rows...))
	s.runSQL(t, cliRunSQL{SQL: `SELECT version, dirty FROM hdb_catalog.schema_migrations`, Source: cliDB}, 0,
		`{"result_type":"TuplesOk","result":`+string(want)+`}`)
	s.getState(t) // SetVersions
	st := s.view(t)
	for _, r := range rows {
		setMigration(&st, r[0], r[1] == "t")
	}
	s.setState(t, st)
	for range 2 { // both settings stores are the catalog's in config v3
		s.getState(t)
		s.setState(t, s.view(t))
	}
	s.getState(t) // GetAllSettings
	s.getState(t) // UpdateSetting migration_mode
	s.setState(t, s.view(t))
	s.getState(t)
	st = s.view(t)
	st.IsStateCopyCompleted = true
	s.setState(t, st)
	s.getState(t) // ReScan
}

func setMigration(st *cliState, version string, dirty bool) {
	if st.Migrations == nil {
		st.Migrations = map[string]map[string]bool{}
	}
	if st.Migrations[cliDB] == nil {
		st.Migrations[cliDB] = map[string]bool{}
	}
	st.Migrations[cliDB][version] = dirty
}

// setVersion is CatalogStateStore.SetVersion (and InsertVersion).
func (s *cliSession) setVersion(t *testing.T, version string) {
	t.Helper()
	s.getState(t)
	st := s.view(t)
	setMigration(&st, version, false)
	s.setState(t, st)
}

// migration is one migration directory: its version and up.sql.
type migration struct{ version, up string }

// migrateApply is `hasura migrate apply --database-name default`: Up runs
// each pending migration's up.sql (check_metadata_consistency false, as
// config v2+ projects do) and records it.
func (s *cliSession) migrateApply(t *testing.T, migs []migration) {
	t.Helper()
	s.validate(t)
	s.sourceKind(t)
	s.newMigrate(t, true, nil)
	s.getState(t) // GetSetting migration_mode
	noCheck := false
	for _, m := range migs {
		s.runSQL(t, cliRunSQL{SQL: m.up, Source: cliDB, CheckMetadataConsistency: &noCheck}, 0, cliCmdOk)
		s.setVersion(t, m.version)
	}
}

// skipExecution is `hasura migrate apply --skip-execution --version V`
// (also run by `migrate create --from-server`): Migrate(V, "up") only
// records V.
func (s *cliSession) skipExecution(t *testing.T, version string, autoCopy bool) {
	t.Helper()
	s.newMigrate(t, autoCopy, nil)
	s.getState(t) // GetSetting migration_mode
	s.setVersion(t, version)
}

// metadataApply is `hasura metadata apply`: replace_metadata version 2;
// the CLI reads is_consistent from the answer.
func (s *cliSession) metadataApply(t *testing.T, doc string, allow bool, status int, want string) {
	t.Helper()
	s.validate(t)
	allowText := "false"
	if allow {
		allowText = "true"
	}
	body := `{"type":"replace_metadata","version":2,"args":{"allow_inconsistent_metadata":` + allowText + `,"metadata":` + doc + `}}`
	s.send(t, cliReq{method: http.MethodPost, path: "/v1/metadata", body: body, status: status, want: want})
}

func (s *cliSession) inconsistent(t *testing.T, want string) {
	t.Helper()
	s.send(t, cliReq{method: http.MethodPost, path: "/v1/metadata", body: `{"type":"get_inconsistent_metadata","args":{}}`, want: want})
}

// cliSchema is the database a project starts from. The function comes
// before the table in pg_dump's output and reads it, so that its dump
// runs only with check_function_bodies = false, which clean_output keeps.
const cliSchema = `CREATE TABLE author (id int PRIMARY KEY, name text NOT NULL);
CREATE FUNCTION author_count() RETURNS bigint LANGUAGE sql STABLE AS $$ SELECT count(*) FROM author $$;`

// checkDump checks pg_dump's answer with clean_output as the CLI writes it
// to up.sql: SQL, not JSON (the CLI reindents JSON answers), and cleaned
// as Hasura cleans it.
func checkDump(t *testing.T, contentType, body string) {
	if strings.Contains(contentType, "application/json") {
		t.Errorf("pg_dump answered with Content-Type %q", contentType)
	}
	dropped := map[string]bool{"CREATE SCHEMA public;": true, "SET client_encoding = 'UTF8';": true,
		"SELECT pg_catalog.set_config('search_path', '', false);": true, "SET statement_timeout = 0;": true}
	for _, line := range strings.Split(strings.TrimSuffix(body, "\n"), "\n") {
		if strings.TrimSpace(line) == "" || strings.HasPrefix(line, "--") || strings.HasPrefix(line, `\`) || dropped[line] {
			t.Errorf("clean_output kept %q", line)
		}
	}
	for _, want := range []string{"SET check_function_bodies = false;\n", "CREATE FUNCTION public.author_count() RETURNS bigint\n", "CREATE TABLE public.author (\n"} {
		if !strings.Contains(body, want) {
			t.Errorf("the dump lacks %q:\n%s", want, body)
		}
	}
	if strings.Contains(body, "hdb_catalog") {
		t.Errorf("the dump of schema public has hdb_catalog:\n%s", body)
	}
}

func TestHasuraCLI(t *testing.T) {
	dsn := pgtest.NewDatabase(t)
	rqSQL(t, dsn, cliSchema)
	s := newCLISession(t, dsn)
	const v1, v2, v3 = "1700000000001", "1700000000002", "1700000000003"
	var dump string

	t.Run("hasura version", func(t *testing.T) { s.validate(t) })
	t.Run("hasura metadata export", func(t *testing.T) {
		s.validate(t)
		s.send(t, cliReq{method: http.MethodPost, path: "/v1/metadata", body: `{"type":"export_metadata","args":{}}`, want: s.md})
	})
	t.Run("hasura migrate create init --from-server", func(t *testing.T) {
		s.validate(t)
		s.sourceKind(t)
		s.newMigrate(t, false, nil) // migrate create turns the state copy off
		dump = s.send(t, cliReq{method: http.MethodPost, path: "/v1alpha1/pg_dump",
			body: `{"opts":["-O","-x","--schema-only","--schema","public"],"clean_output":true,"source":"default"}`, check: checkDump})
		s.skipExecution(t, v1, false) // then marks it applied
	})
	t.Run("hasura migrate apply on an empty database", func(t *testing.T) {
		// Another server: up.sql from --from-server runs there as it is.
		fresh := newCLISession(t, pgtest.NewDatabase(t))
		fresh.migrateApply(t, []migration{{v1, dump}})
		fresh.runSQL(t, cliRunSQL{SQL: "SELECT author_count()", Source: cliDB}, 0, `{"result_type":"TuplesOk","result":[["author_count"],["0"]]}`)
	})
	t.Run("hasura migrate status", func(t *testing.T) {
		s.validate(t)
		s.sourceKind(t)
		s.newMigrate(t, true, nil) // the first migrate command to copy state: none to copy
	})
	t.Run("hasura migrate apply", func(t *testing.T) {
		s.migrateApply(t, []migration{{v2, "CREATE TABLE article (id int PRIMARY KEY, author_id int REFERENCES author (id));\n"}})
	})
	t.Run("hasura migrate apply, failing", func(t *testing.T) {
		s.validate(t)
		s.sourceKind(t)
		s.newMigrate(t, true, nil)
		s.getState(t)
		noCheck := false
		up := "CREATE TABLE tag (id int);\nINSERT INTO nope VALUES (1);\n"
		s.runSQL(t, cliRunSQL{SQL: up, Source: cliDB, CheckMetadataConsistency: &noCheck}, http.StatusBadRequest,
			`{"code":"postgres-error","error":"query execution failed","internal":{"arguments":[],"error":{"description":null,"exec_status":"FatalError","hint":null,"message":"relation \"nope\" does not exist","status_code":"42P01"},"prepared":false,"statement":"CREATE TABLE tag (id int);\nINSERT INTO nope VALUES (1);\n"},"path":"$"}`)
		// The CLI stops there: nothing of it stays, and v3 is not recorded.
		s.runSQL(t, cliRunSQL{SQL: "SELECT to_regclass('public.tag') IS NULL AS gone"}, 0, `{"result_type":"TuplesOk","result":[["gone"],["t"]]}`)
		s.getState(t)
	})
	t.Run("hasura migrate apply --skip-execution --version", func(t *testing.T) {
		s.validate(t)
		s.sourceKind(t)
		s.skipExecution(t, v3, true)
	})
	cliMetadata(t, s)
	t.Run("hasura migrate delete --version --server", func(t *testing.T) {
		s.validate(t)
		s.sourceKind(t)
		s.newMigrate(t, true, nil)
		s.getState(t) // RemoveVersions: GetSetting migration_mode
		s.getState(t)
		st := s.view(t)
		delete(st.Migrations[cliDB], v3)
		s.setState(t, st)
	})
	t.Run("hasura migrate status, at the end", func(t *testing.T) {
		s.validate(t)
		s.sourceKind(t)
		s.newMigrate(t, true, nil)
		want := `{"isStateCopyCompleted":true,"migrations":{"default":{"` + v1 + `":false,"` + v2 + `":false}},"settings":{"migration_mode":"true"}}`
		if got := sortedJSON(t, s.stored); got != want {
			t.Errorf("cli_state\n got %s\nwant %s", got, want)
		}
	})
}

// cliMetadata runs the metadata commands of TestHasuraCLI.
func cliMetadata(t *testing.T, s *cliSession) {
	// The document as the CLI builds it from a project directory (keys
	// sorted: it goes through a map), with sections that some of its
	// metadata objects send even when empty (it leaves out empty actions
	// and custom_types).
	config := `"configuration":{"connection_info":{"database_url":{"from_env":"HASURA_GRAPHQL_DATABASE_URL"}}}`
	empty := `"allowlist":[],"api_limits":{},"cron_triggers":[],"inherited_roles":[],"network":{},"query_collections":[],"remote_schemas":[],"rest_endpoints":[],`
	doc := func(tables ...string) string {
		var entries []string
		for _, name := range tables {
			entries = append(entries, `{"table":{"name":"`+name+`","schema":"public"}}`)
		}
		return `{` + empty + `"sources":[{` + config + `,"kind":"postgres","name":"default","tables":[` + strings.Join(entries, ",") + `]}],"version":3}`
	}
	consistent := `{"inconsistent_objects":[],"is_consistent":true}`
	ghostInc := `{"type":"table","name":"table ghost in source default","reason":"Inconsistent object: no such table/view exists in source: \"ghost\"","definition":{"schema":"public","name":"ghost"}}`
	inconsistent := `{"inconsistent_objects":[` + ghostInc + `],"is_consistent":false}`
	tracked := rqExport(rqTable("article", "") + "," + rqTable("author", ""))

	t.Run("hasura metadata apply", func(t *testing.T) {
		s.metadataApply(t, doc("author", "article"), true, 0, consistent)
		s.md = tracked
	})
	t.Run("hasura metadata apply --disallow-inconsistent-metadata", func(t *testing.T) {
		s.metadataApply(t, doc("author", "article"), false, 0, consistent)
	})
	t.Run("hasura metadata apply --disallow-inconsistent-metadata, refused", func(t *testing.T) {
		s.metadataApply(t, doc("author", "article", "ghost"), false, http.StatusBadRequest,
			`{"code":"unexpected","error":"cannot continue due to inconsistent metadata","internal":[`+ghostInc+`],"path":"$.args"}`)
	})
	t.Run("hasura metadata apply, inconsistent", func(t *testing.T) {
		s.metadataApply(t, doc("author", "article", "ghost"), true, 0, inconsistent)
		s.md = rqExport(rqTable("article", "") + "," + rqTable("author", "") + "," + rqTable("ghost", ""))
	})
	t.Run("hasura metadata inconsistency list", func(t *testing.T) {
		s.validate(t)
		s.inconsistent(t, inconsistent)
	})
	t.Run("hasura metadata reload", func(t *testing.T) {
		s.validate(t)
		s.send(t, cliReq{method: http.MethodPost, path: "/v1/metadata", body: `{"type":"reload_metadata","args":{}}`,
			want: `{"inconsistent_objects":[` + ghostInc + `],"is_consistent":false,"message":"success"}`})
		s.inconsistent(t, inconsistent) // "Metadata is inconsistent"
	})
	t.Run("hasura metadata apply, consistent again", func(t *testing.T) {
		s.metadataApply(t, doc("author", "article"), true, 0, consistent)
		s.md = tracked
	})
	t.Run("hasura metadata export, after apply", func(t *testing.T) {
		s.validate(t)
		s.send(t, cliReq{method: http.MethodPost, path: "/v1/metadata", body: `{"type":"export_metadata","args":{}}`, want: tracked})
	})
}

// TestHasuraCLIStateCopy: the first migrate command of a project moved to
// config v3 copies hdb_catalog.schema_migrations (config v2's record of
// applied migrations) into cli_state.
func TestHasuraCLIStateCopy(t *testing.T) {
	dsn := pgtest.NewDatabase(t)
	s := newCLISession(t, dsn) // boots: hdb_catalog exists
	rqSQL(t, dsn, `CREATE TABLE hdb_catalog.schema_migrations (version bigint not null primary key, dirty boolean not null);
INSERT INTO hdb_catalog.schema_migrations VALUES (1600000000001, false), (1600000000002, false);`)
	t.Run("hasura migrate status", func(t *testing.T) {
		s.validate(t)
		s.sourceKind(t)
		s.newMigrate(t, true, [][]string{{"1600000000001", "f"}, {"1600000000002", "f"}})
		want := `{"isStateCopyCompleted":true,"migrations":{"default":{"1600000000001":false,"1600000000002":false}},"settings":{"migration_mode":"true"}}`
		if got := sortedJSON(t, s.stored); got != want {
			t.Errorf("cli_state\n got %s\nwant %s", got, want)
		}
	})
	t.Run("hasura migrate status, again", func(t *testing.T) {
		s.validate(t)
		s.sourceKind(t)
		s.newMigrate(t, true, nil) // copied once: not again
	})
}

// TestCatalogStateAsHasuraAnswers: get_catalog_state answers the stored
// states with keys sorted (Hasura encodes them through aeson's ordered
// maps; jsonb would put short keys first) and without HTML escapes.
func TestCatalogStateAsHasuraAnswers(t *testing.T) {
	e := startEngine(t, pgtest.NewDatabase(t))
	rqRun(t, e, []rqCase{
		{name: "set_catalog_state console", path: "/v1/metadata", want: rqSuccess,
			body: `{"type":"set_catalog_state","args":{"type":"console","state":{"zz":1.5,"a":"x<y&z","mm":{"bb":[true,null],"a":{}}}}}`},
		{name: "set_catalog_state cli", path: "/v1/metadata", want: rqSuccess,
			body: `{"type":"set_catalog_state","args":{"type":"cli","state":{"settings":{"migration_mode":"true"},"isStateCopyCompleted":true,"migrations":{"default":{"2":false,"10":true}}}}}`},
		{name: "get_catalog_state", path: "/v1/metadata", body: `{"type":"get_catalog_state","args":{}}`, anyID: true,
			want: `{"id":"<uuid>","cli_state":{"isStateCopyCompleted":true,"migrations":{"default":{"10":true,"2":false}},"settings":{"migration_mode":"true"}},` +
				`"console_state":{"a":"x<y&z","mm":{"a":{},"bb":[true,null]},"zz":1.5}}`},
	})
}
