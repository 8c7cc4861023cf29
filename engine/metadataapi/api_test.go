package metadataapi_test

import (
	"context"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"
	"time"

	"github.com/trellis-gql/trellis/engine/auth"
	"github.com/trellis-gql/trellis/engine/exec"
	"github.com/trellis-gql/trellis/engine/gql"
	"github.com/trellis-gql/trellis/engine/metadataapi"
	"github.com/trellis-gql/trellis/engine/pgtest"
	"github.com/trellis-gql/trellis/engine/server"
)

// engine is one Trellis instance serving a database over HTTP.
type engine struct {
	url string
}

// startEngine boots an engine on dsn, with its metadata listener running
// until the test ends.
func startEngine(t testing.TB, dsn string) *engine {
	return startEngineWith(t, dsn, nil)
}

func startEngineWith(t testing.TB, dsn string, onReload func(int64)) *engine {
	t.Helper()
	return startEngineOpts(t, dsn, engineOpts{onReload: onReload})
}

// engineOpts are the choices of startEngineOpts.
type engineOpts struct {
	onReload    func(int64)
	adminSecret string // none when empty: every request is admin
	version     string // /v1/version's; "v-test" when empty
}

func startEngineOpts(t testing.TB, dsn string, o engineOpts) *engine {
	t.Helper()
	if o.version == "" {
		o.version = "v-test"
	}
	onReload := o.onReload
	ctx, cancel := context.WithCancel(context.Background())
	db, err := exec.Open(ctx, exec.Config{DatabaseURL: dsn})
	if err != nil {
		t.Fatal(err)
	}
	snap, version, err := metadataapi.Boot(ctx, db, nil)
	if err != nil {
		t.Fatal(err)
	}
	eng := gql.New(db, snap, gql.Options{})
	api := metadataapi.New(metadataapi.Config{DB: db, Engine: eng, OnReload: onReload})
	api.SetVersion(version)
	done := make(chan struct{})
	go func() { defer close(done); api.Listen(ctx) }()
	authn, err := auth.New(ctx, auth.Config{AdminSecret: o.adminSecret})
	if err != nil {
		t.Fatal(err)
	}
	srv := server.New(server.Config{Auth: authn, Engine: eng, Metadata: api, Version: o.version, AdminSecretSet: o.adminSecret != ""})
	ts := httptest.NewServer(srv.Handler())
	t.Cleanup(func() {
		ts.Close()
		cancel()
		<-done
		db.Close()
	})
	return &engine{url: ts.URL}
}

// post sends a JSON body and returns the status and the compacted body.
func (e *engine) post(t testing.TB, path, body string) (int, string) {
	t.Helper()
	return rqSend(t, e, http.MethodPost, path, body, nil)
}

// must sends a request that has to succeed with the given body.
func (e *engine) must(t testing.TB, path, body, want string) {
	t.Helper()
	status, got := e.post(t, path, body)
	if status != http.StatusOK || (want != "" && got != want) {
		t.Fatalf("%s %s\n=> %d %s\nwant 200 %s", path, body, status, got, want)
	}
}

const setupSQL = `{"type":"run_sql","args":{"sql":"CREATE TABLE author (id serial PRIMARY KEY, name text NOT NULL); CREATE TABLE article (id serial PRIMARY KEY, title text NOT NULL, author_id int REFERENCES author(id)); INSERT INTO author (name) VALUES ('Ann'), ('Bo'); INSERT INTO article (title, author_id) VALUES ('A1', 1), ('A2', 1), ('B1', 2);"}}`

func TestRunSQLAndTracking(t *testing.T) {
	e := startEngine(t, pgtest.NewDatabase(t))
	e.must(t, "/v2/query", setupSQL, `{"result_type":"CommandOk","result":null}`)
	e.must(t, "/v2/query", `{"type":"run_sql","args":{"sql":"SELECT id, name, null AS nothing FROM author ORDER BY id"}}`,
		`{"result_type":"TuplesOk","result":[["id","name","nothing"],["1","Ann",null],["2","Bo",null]]}`)
	e.must(t, "/v1/metadata", `{"type":"pg_track_table","args":{"source":"default","table":"author"}}`, `{"message":"success"}`)
	e.must(t, "/v1/query", `{"type":"track_table","args":{"table":{"schema":"public","name":"article"}}}`, `{"message":"success"}`)
	e.must(t, "/v1/query", `{"type":"create_object_relationship","args":{"table":"article","name":"author","using":{"foreign_key_constraint_on":"author_id"}}}`, `{"message":"success"}`)
	e.must(t, "/v1/metadata", `{"type":"pg_create_array_relationship","args":{"table":"author","name":"articles","using":{"foreign_key_constraint_on":{"table":"article","column":"author_id"}}}}`, `{"message":"success"}`)
	e.must(t, "/v1/graphql", `{"query":"{ author(order_by: {id: asc}) { name articles(order_by: {id: asc}) { title author { name } } } }"}`,
		`{"data":{"author":[{"name":"Ann","articles":[{"title":"A1","author":{"name":"Ann"}},{"title":"A2","author":{"name":"Ann"}}]},{"name":"Bo","articles":[{"title":"B1","author":{"name":"Bo"}}]}]}}`)

	// Dropping a table that other metadata points at needs cascade, and a
	// refused drop leaves the database and the metadata as they were.
	status, got := e.post(t, "/v2/query", `{"type":"run_sql","args":{"sql":"DROP TABLE article"}}`)
	if want := `{"code":"dependency-error","error":"cannot drop due to the following dependent objects: relationship author.articles in source \"default\"","path":"$"}`; status != http.StatusBadRequest || got != want {
		t.Errorf("DROP TABLE without cascade => %d %s\nwant 400 %s", status, got, want)
	}
	e.must(t, "/v1/graphql", `{"query":"{ author(where: {id: {_eq: 2}}) { articles { title } } }"}`, `{"data":{"author":[{"articles":[{"title":"B1"}]}]}}`)
	// A column that a permission names needs cascade too.
	e.must(t, "/v1/metadata", `{"type":"pg_create_select_permission","args":{"table":"article","role":"user","permission":{"columns":["id","title"],"filter":{}}}}`, `{"message":"success"}`)
	status, got = e.post(t, "/v2/query", `{"type":"run_sql","args":{"sql":"ALTER TABLE article DROP COLUMN title"}}`)
	if want := `{"code":"dependency-error","error":"cannot drop due to the following dependent objects: permission article.user.select in source \"default\"","path":"$"}`; status != http.StatusBadRequest || got != want {
		t.Errorf("DROP COLUMN without cascade => %d %s\nwant 400 %s", status, got, want)
	}
	// check_metadata_consistency: false runs it and keeps the metadata.
	e.must(t, "/v2/query", `{"type":"run_sql","args":{"sql":"ALTER TABLE article DROP COLUMN title","check_metadata_consistency":false}}`, `{"result_type":"CommandOk","result":null}`)
	_, got = e.post(t, "/v1/metadata", `{"type":"export_metadata","args":{}}`)
	if !strings.Contains(got, `"select_permissions":[{"role":"user","permission":{"columns":["id","title"]`) {
		t.Errorf("the permission was removed: %s", got)
	}
	e.must(t, "/v1/graphql", `{"query":"{ article(where: {id: {_eq: 3}}) { id author { name } } }"}`, `{"data":{"article":[{"id":3,"author":{"name":"Bo"}}]}}`)

	// With cascade, dropping a tracked table forgets it and what points at it.
	e.must(t, "/v2/query", `{"type":"run_sql","args":{"sql":"DROP TABLE article","cascade":true}}`, `{"result_type":"CommandOk","result":null}`)
	e.must(t, "/v1/graphql", `{"query":"{ author(order_by: {id: asc}) { name } }"}`, `{"data":{"author":[{"name":"Ann"},{"name":"Bo"}]}}`)
	_, got = e.post(t, "/v1/graphql", `{"query":"{ author { articles { title } } }"}`)
	if !strings.Contains(got, `field 'articles' not found in type: 'author'`) {
		t.Errorf("the dropped table's relationship is still served: %s", got)
	}
	e.must(t, "/v1/metadata", `{"type":"get_inconsistent_metadata","args":{}}`, `{"inconsistent_objects":[],"is_consistent":true}`)
}

func TestErrorsKeepEverything(t *testing.T) {
	e := startEngine(t, pgtest.NewDatabase(t))
	e.must(t, "/v2/query", setupSQL, "")
	e.must(t, "/v1/metadata", `{"type":"pg_track_table","args":{"table":"author"}}`, "")

	cases := []struct{ name, path, body, want string }{
		{"bad SQL", "/v2/query", `{"type":"run_sql","args":{"sql":"SELEC 1"}}`, `"error":"query execution failed"`},
		{"already tracked", "/v1/metadata", `{"type":"pg_track_table","args":{"table":"author"}}`, `"code":"already-tracked"`},
		{"unknown type", "/v1/metadata", `{"type":"nope","args":{}}`, `"code":"parse-failed"`},
		{"not an object", "/v1/query", `"type: count"`, `{"code":"parse-failed","error":"parsing Object failed, expected Object, but encountered String","path":"$"}`},
		{"bad version", "/v1/query", `{"type":"track_table","version":3,"args":{"table":"article"}}`, `{"code":"parse-failed","error":"expected 1 or 2, encountered 3","path":"$.version"}`},
		{"stale resource_version", "/v1/metadata", `{"type":"pg_track_table","resource_version":999,"args":{"table":"article"}}`, `"code":"conflict"`},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			status, got := e.post(t, c.path, c.body)
			if status < 400 || !strings.Contains(got, c.want) {
				t.Errorf("=> %d %s\nwant 4xx containing %s", status, got, c.want)
			}
		})
	}

	// A bulk_atomic whose last step fails changes nothing.
	e.must(t, "/v1/metadata", `{"type":"pg_track_table","args":{"table":"article"}}`, "")
	status, got := e.post(t, "/v1/metadata", `{"type":"bulk_atomic","args":[
		{"type":"pg_create_object_relationship","args":{"table":"article","name":"writer","using":{"foreign_key_constraint_on":"author_id"}}},
		{"type":"pg_create_object_relationship","args":{"table":"article","name":"broken","using":{"foreign_key_constraint_on":"title"}}}]}`)
	if status != http.StatusBadRequest {
		t.Errorf("bulk_atomic with a failing step: %d %s", status, got)
	}
	// A bulk whose last step fails changes neither the database nor the
	// metadata.
	status, got = e.post(t, "/v1/query", `{"type":"bulk","args":[
		{"type":"run_sql","args":{"sql":"CREATE TABLE extra (id int PRIMARY KEY)"}},
		{"type":"track_table","args":{"table":"extra"}},
		{"type":"run_sql","args":{"sql":"SELECT 1/0"}}]}`)
	if status != http.StatusBadRequest {
		t.Errorf("bulk with a failing step: %d %s", status, got)
	}
	e.must(t, "/v2/query", `{"type":"run_sql","args":{"sql":"SELECT to_regclass('public.extra') IS NULL"}}`, `{"result_type":"TuplesOk","result":[["?column?"],["t"]]}`)
	_, export := e.post(t, "/v1/metadata", `{"type":"export_metadata","args":{}}`)
	if strings.Contains(export, `"writer"`) || strings.Contains(export, `"extra"`) || !strings.Contains(export, `"author"`) {
		t.Errorf("metadata changed by failed requests: %s", export)
	}
}

// TestReplicasInStep changes metadata through one engine and sees the
// other serve it within a second, without a restart.
func TestReplicasInStep(t *testing.T) {
	dsn := pgtest.NewDatabase(t)
	a := startEngine(t, dsn)
	a.must(t, "/v2/query", setupSQL, "")
	reloaded := make(chan int64, 8)
	b := startEngineWith(t, dsn, func(v int64) { reloaded <- v })

	query := `{"query":"{ author_by_pk(id: 1) { name } }"}`
	if _, got := b.post(t, "/v1/graphql", query); !strings.Contains(got, "not found in type: 'query_root'") {
		t.Fatalf("untracked table served: %s", got)
	}
	changed := time.Now()
	a.must(t, "/v1/metadata", `{"type":"pg_track_table","args":{"table":"author"}}`, `{"message":"success"}`)
	// The promise: the other engine serves the change within a second.
	select {
	case <-reloaded:
		t.Logf("second engine reloaded %v after the change", time.Since(changed))
	case <-time.After(time.Second):
		t.Fatal("the second engine did not reload within a second")
	}
	b.must(t, "/v1/graphql", query, `{"data":{"author_by_pk":{"name":"Ann"}}}`)
}
