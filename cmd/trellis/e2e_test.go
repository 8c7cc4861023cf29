package main

import (
	"context"
	"encoding/json"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"testing"

	"github.com/jackc/pgx/v5"
)

// queryOne runs sql on the database and returns the first column of the
// first row as text.
func queryOne(t *testing.T, dbURL, sql string) string {
	t.Helper()
	ctx := context.Background()
	conn, err := pgx.Connect(ctx, dbURL)
	if err != nil {
		t.Fatal(err)
	}
	defer conn.Close(ctx)
	var out string
	if err := conn.QueryRow(ctx, sql).Scan(&out); err != nil {
		t.Fatalf("%s: %v", sql, err)
	}
	return out
}

type statusRow struct {
	Version    int64  `json:"version"`
	Name       string `json:"name"`
	InFiles    bool   `json:"source_status"`
	InDatabase bool   `json:"database_status"`
}

func status(t *testing.T, c cli, extra ...string) []statusRow {
	t.Helper()
	var rows []statusRow
	out := c.ok(append([]string{"migrate", "status", "--output", "json"}, extra...)...)
	if err := json.Unmarshal([]byte(out), &rows); err != nil {
		t.Fatalf("status output %q: %v", out, err)
	}
	return rows
}

func summarize(rows []statusRow) string {
	var parts []string
	for _, r := range rows {
		parts = append(parts, r.Name+":"+strconv.FormatBool(r.InFiles)+"/"+strconv.FormatBool(r.InDatabase))
	}
	return strings.Join(parts, " ")
}

// TestEndToEndMigrations: init → migrate create → apply → status → a
// failing migration changes nothing → squash → the squash applied on a
// fresh database gives the same schema.
func TestEndToEndMigrations(t *testing.T) {
	e := startEngine(t)
	root := t.TempDir()
	c := cli{t: t, dir: root}
	c.ok("init", "proj", "--endpoint", e.url)
	proj := filepath.Join(root, "proj")
	for _, f := range []string{"config.yaml", "metadata/version.yaml", "metadata/databases/databases.yaml", "migrations/default/.gitkeep", "seeds/default/.gitkeep"} {
		if _, err := os.Stat(filepath.Join(proj, f)); err != nil {
			t.Errorf("init did not write %s: %v", f, err)
		}
	}
	c.fails(1, "init", "proj")
	c.dir = proj

	ups := []struct{ name, up, down string }{
		{"create_tutors", "CREATE TABLE tutors (id serial PRIMARY KEY, name text NOT NULL);\n", "DROP TABLE tutors;\n"},
		{"create_lessons", "CREATE TABLE lessons (\n  id serial PRIMARY KEY,\n  tutor_id int NOT NULL REFERENCES tutors(id),\n  starts_at timestamptz NOT NULL\n);\n", "DROP TABLE lessons;\n"},
		{"index_lessons", "CREATE INDEX lessons_tutor ON lessons (tutor_id, starts_at);\n", "DROP INDEX lessons_tutor;\n"},
	}
	var versions []string
	for _, m := range ups {
		versions = append(versions, strings.TrimSpace(c.ok("migrate", "create", m.name, "--up-sql", m.up, "--down-sql", m.down)))
	}
	if got := summarize(status(t, c)); got != "create_tutors:true/false create_lessons:true/false index_lessons:true/false" {
		t.Fatalf("status before apply: %s", got)
	}
	r := c.run("migrate", "apply")
	if r.code != 0 || !strings.Contains(r.stderr, "applied "+versions[2]+"_index_lessons") {
		t.Fatalf("apply: %d %s", r.code, r.stderr)
	}
	if got := summarize(status(t, c)); got != "create_tutors:true/true create_lessons:true/true index_lessons:true/true" {
		t.Fatalf("status after apply: %s", got)
	}
	if r := c.run("migrate", "apply"); r.code != 0 || !strings.Contains(r.stderr, "nothing to apply") {
		t.Fatalf("a second apply: %d %s", r.code, r.stderr)
	}
	text := c.ok("migrate", "status")
	if !strings.Contains(text, "VERSION") || !strings.Contains(text, versions[0]+"  create_tutors") {
		t.Errorf("status table:\n%s", text)
	}

	// A syntax error on line 3: the first statement of the file is rolled
	// back with the rest, and nothing is recorded.
	state := queryOne(t, e.dbURL, "SELECT cli_state::text FROM hdb_catalog.hdb_version")
	bad := strings.TrimSpace(c.ok("migrate", "create", "broken", "--up-sql", "CREATE TABLE broken_a (id int);\n-- the next statement is wrong\nCREATE TABEL broken_b (id int);\n", "--down-sql", "DROP TABLE broken_a;"))
	r = c.fails(1, "migrate", "apply")
	wantLoc := filepath.Join("migrations", "default", bad+"_broken", "up.sql") + ":3:8"
	if !strings.Contains(r.stderr, wantLoc) || !strings.Contains(r.stderr, `syntax error at or near "TABEL"`) {
		t.Errorf("the error does not name %s and the SQL error:\n%s", wantLoc, r.stderr)
	}
	if got := queryOne(t, e.dbURL, "SELECT (to_regclass('public.broken_a') IS NULL)::text"); got != "true" {
		t.Error("the failed migration's first statement was not rolled back")
	}
	if got := queryOne(t, e.dbURL, "SELECT cli_state::text FROM hdb_catalog.hdb_version"); got != state {
		t.Errorf("the failed migration changed the recorded state:\n%s\nwas\n%s", got, state)
	}
	c.ok("migrate", "delete", "--version", bad)

	// Down and up again.
	c.ok("migrate", "apply", "--down", "1")
	if got := queryOne(t, e.dbURL, "SELECT (to_regclass('public.lessons_tutor') IS NULL)::text"); got != "true" {
		t.Error("--down 1 did not drop the index")
	}
	c.ok("migrate", "apply", "--goto", versions[2])
	before := schemaDump(t, e.dbURL)

	// Squash the last two: refused while applied here, unless allowed.
	r = c.fails(1, "migrate", "squash", "--from", versions[1], "--name", "lessons", "--delete-source")
	if !strings.Contains(r.stderr, "--allow-applied") {
		t.Errorf("squash of applied migrations: %s", r.stderr)
	}
	squashed := strings.TrimSpace(c.ok("migrate", "squash", "--from", versions[1], "--name", "lessons", "--delete-source", "--allow-applied"))
	if got := summarize(status(t, c)); got != "create_tutors:true/true lessons:true/true" {
		t.Fatalf("status after squash: %s", got)
	}
	if r := c.run("migrate", "apply"); r.code != 0 || !strings.Contains(r.stderr, "nothing to apply") {
		t.Errorf("apply after squash: %d %s", r.code, r.stderr)
	}
	if schemaDump(t, e.dbURL) != before {
		t.Error("squash changed the schema of the server it marked")
	}

	// A fresh database: the squashed migrations give the same schema.
	fresh := startEngine(t)
	c.ok("migrate", "apply", "--endpoint", fresh.url)
	if got := schemaDump(t, fresh.dbURL); got != before {
		t.Errorf("fresh database schema differs:\n%s\nwant\n%s", got, before)
	}
	if got := summarize(status(t, c, "--endpoint", fresh.url)); got != "create_tutors:true/true lessons:true/true" {
		t.Errorf("fresh status: %s", got)
	}
	// Roll everything back there: the squash's down.sql undoes both parts.
	c.ok("migrate", "apply", "--down", "all", "--endpoint", fresh.url)
	if got := queryOne(t, fresh.dbURL, "SELECT count(*)::text FROM pg_tables WHERE schemaname = 'public'"); got != "0" {
		t.Errorf("after --down all, %s tables are left", got)
	}

	// A third server that applied the original migrations before the
	// squash (as staging would have) adopts the squash without running it.
	staging := startEngine(t)
	orig := cli{t: t, dir: t.TempDir()}
	orig.ok("init", "p", "--endpoint", staging.url)
	orig.dir = filepath.Join(orig.dir, "p")
	for i, m := range ups {
		writeFile(t, filepath.Join(orig.dir, "migrations", "default", versions[i]+"_"+m.name, "up.sql"), m.up)
	}
	orig.ok("migrate", "apply")
	r = c.run("migrate", "apply", "--endpoint", staging.url)
	if r.code != 0 || !strings.Contains(r.stderr, "marked applied (its squashed parts are applied) "+squashed+"_lessons") {
		t.Fatalf("adopting the squash: %d %s", r.code, r.stderr)
	}
	if got := summarize(status(t, c, "--endpoint", staging.url)); got != "create_tutors:true/true lessons:true/true" {
		t.Errorf("staging status: %s", got)
	}
}

// TestEndToEndLegacyState: versions a config v2 project recorded in
// hdb_catalog.schema_migrations count as applied.
func TestEndToEndLegacyState(t *testing.T) {
	e := startEngine(t)
	c := cli{t: t, dir: t.TempDir()}
	c.ok("init", "p", "--endpoint", e.url)
	c.dir = filepath.Join(c.dir, "p")
	writeFile(t, filepath.Join(c.dir, "migrations/default/1600000000000_old/up.sql"), "CREATE TABLE old_one (id int);\n")
	writeFile(t, filepath.Join(c.dir, "migrations/default/1600000000001_new/up.sql"), "CREATE TABLE new_one (id int);\n")
	ctx := context.Background()
	conn, err := pgx.Connect(ctx, e.dbURL)
	if err != nil {
		t.Fatal(err)
	}
	defer conn.Close(ctx)
	_, err = conn.Exec(ctx, `CREATE TABLE old_one (id int);
		CREATE TABLE hdb_catalog.schema_migrations (version bigint NOT NULL PRIMARY KEY, dirty boolean NOT NULL);
		INSERT INTO hdb_catalog.schema_migrations VALUES (1600000000000, false)`)
	if err != nil {
		t.Fatal(err)
	}
	if got := summarize(status(t, c)); got != "old:true/true new:true/false" {
		t.Fatalf("status with the legacy table: %s", got)
	}
	c.ok("migrate", "apply")
	state := queryOne(t, e.dbURL, "SELECT cli_state::text FROM hdb_catalog.hdb_version")
	for _, want := range []string{`"1600000000000": false`, `"1600000000001": false`, `"isStateCopyCompleted": true`} {
		if !strings.Contains(state, want) {
			t.Errorf("cli_state %s lacks %s", state, want)
		}
	}
}
