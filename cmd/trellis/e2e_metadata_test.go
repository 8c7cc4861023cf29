package main

import (
	"encoding/json"
	"io"
	"net/http"
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"testing"
)

// graphql posts a query to the engine as admin and returns the body.
func graphql(t *testing.T, e engine, query string) string {
	t.Helper()
	body, _ := json.Marshal(map[string]string{"query": query})
	resp, err := http.Post(e.url+"/v1/graphql", "application/json", strings.NewReader(string(body)))
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	out, _ := io.ReadAll(resp.Body)
	return string(out)
}

// tutoringProject is a project with two tables migrated on e.
func tutoringProject(t *testing.T, e engine) cli {
	t.Helper()
	c := cli{t: t, dir: t.TempDir()}
	c.ok("init", "p", "--endpoint", e.url)
	c.dir = filepath.Join(c.dir, "p")
	writeFile(t, filepath.Join(c.dir, "migrations/default/1700000000000_init/up.sql"),
		"CREATE TABLE tutors (id serial PRIMARY KEY, name text NOT NULL);\n"+
			"CREATE TABLE lessons (id serial PRIMARY KEY, tutor_id int NOT NULL REFERENCES tutors(id), topic text NOT NULL);\n")
	writeFile(t, filepath.Join(c.dir, "migrations/default/1700000000000_init/down.sql"), "DROP TABLE lessons; DROP TABLE tutors;\n")
	return c
}

// trackTables edits the project's metadata directory to track lessons
// (with its tutor) and tutors, written as export writes them.
func trackTables(t *testing.T, c cli, extra ...string) map[string]string {
	t.Helper()
	md := filepath.Join(c.dir, "metadata")
	dbs, err := os.ReadFile(filepath.Join(md, "databases/databases.yaml"))
	if err != nil {
		t.Fatal(err)
	}
	// Quote includes as the exported databases.yaml does.
	q := regexp.MustCompile(`(["']?)!include default/tables/tables.yaml`).FindSubmatch(dbs)
	if q == nil {
		t.Fatalf("databases.yaml has no tables include:\n%s", dbs)
	}
	quote := string(q[1])
	tables := []string{"lessons", "tutors"}
	tables = append(tables, extra...)
	var list strings.Builder
	for _, name := range tables {
		list.WriteString("- " + quote + "!include public_" + name + ".yaml" + quote + "\n")
	}
	files := map[string]string{
		"tables.yaml":         list.String(),
		"public_lessons.yaml": "table:\n  name: lessons\n  schema: public\nobject_relationships:\n  - name: tutor\n    using:\n      foreign_key_constraint_on: tutor_id\n",
		"public_tutors.yaml":  "table:\n  name: tutors\n  schema: public\n",
	}
	for _, name := range extra {
		files["public_"+name+".yaml"] = "table:\n  name: " + name + "\n  schema: public\n"
	}
	for f, body := range files {
		writeFile(t, filepath.Join(md, "databases/default/tables", f), body)
	}
	return readTree(t, md)
}

// TestEndToEndMetadata: export twice gives identical files; an edit shows
// in diff (exit 1), apply makes diff clean (exit 0) and a new export gives
// back the edited files; inconsistent metadata is refused unless allowed.
func TestEndToEndMetadata(t *testing.T) {
	e := startEngine(t)
	c := tutoringProject(t, e)
	c.ok("migrate", "apply")
	md := filepath.Join(c.dir, "metadata")

	c.ok("metadata", "export")
	first := readTree(t, md)
	if r := c.run("metadata", "export"); r.code != 0 || !strings.Contains(r.stderr, "(0 file(s) changed)") {
		t.Errorf("a second export changed files: %s", r.stderr)
	}
	if second := readTree(t, md); !equalTrees(first, second) {
		t.Errorf("exporting twice gave different files:\n%v\n%v", first, second)
	}
	c.ok("metadata", "diff")

	edited := trackTables(t, c)
	r := c.fails(1, "metadata", "diff")
	if !strings.Contains(r.stdout, "+++ project/databases/default/tables/public_lessons.yaml") ||
		!strings.Contains(r.stdout, "+      foreign_key_constraint_on: tutor_id") {
		t.Errorf("diff does not show the new table:\n%s", r.stdout)
	}
	var diffs []fileDiff
	if err := json.Unmarshal([]byte(c.fails(1, "metadata", "diff", "--output", "json").stdout), &diffs); err != nil || len(diffs) != 3 {
		t.Errorf("diff --output json: %v %+v", err, diffs)
	}
	c.ok("metadata", "apply")
	c.ok("metadata", "diff")
	c.ok("metadata", "export")
	if got := readTree(t, md); !equalTrees(got, edited) {
		t.Errorf("export after apply differs from the edited files:\n%v\nwant\n%v", got, edited)
	}
	queryOne(t, e.dbURL, "WITH t AS (INSERT INTO tutors (name) VALUES ('Ada') RETURNING id) INSERT INTO lessons (tutor_id, topic) SELECT id, 'sets' FROM t RETURNING 'ok'")
	if got, want := graphql(t, e, "{ lessons { topic tutor { name } } }"), `{"data":{"lessons":[{"topic" : "sets", "tutor" : {"name" : "Ada"}}]}}`; got != want {
		t.Errorf("query after apply: %s, want %s", got, want)
	}

	// A table that does not exist: refused, the server keeps its metadata.
	trackTables(t, c, "missing")
	r = c.fails(1, "metadata", "apply")
	if !strings.Contains(r.stderr, "not applied") || !strings.Contains(r.stderr, "missing") {
		t.Errorf("inconsistent apply: %s", r.stderr)
	}
	c.ok("metadata", "inconsistency", "list")
	r = c.run("metadata", "apply", "--allow-inconsistent")
	if r.code != 0 || !strings.Contains(r.stderr, "warning: the server's metadata is inconsistent") {
		t.Errorf("apply --allow-inconsistent: %d %s", r.code, r.stderr)
	}
	var incs []map[string]any
	out := c.fails(1, "metadata", "ic", "list", "--output", "json").stdout
	if err := json.Unmarshal([]byte(out), &incs); err != nil || len(incs) != 1 || incs[0]["type"] != "table" {
		t.Errorf("ic list --output json: %v %s", err, out)
	}
	c.ok("metadata", "inconsistency", "drop")
	c.ok("metadata", "inconsistency", "list")
	c.ok("metadata", "reload")
	c.ok("metadata", "export")
	if got := readTree(t, md); !equalTrees(got, edited) {
		t.Errorf("after drop, export differs from the consistent files")
	}
	c.ok("metadata", "clear")
	if got := graphql(t, e, "{ lessons { topic } }"); !strings.Contains(got, "validation-failed") {
		t.Errorf("after clear: %s", got)
	}
}

// TestEndToEndDeployAndSeeds: deploy on a fresh server runs the migrations,
// the metadata and a reload; seeds apply all or nothing.
func TestEndToEndDeployAndSeeds(t *testing.T) {
	e := startEngine(t)
	c := tutoringProject(t, e)
	c.ok("migrate", "apply")
	c.ok("metadata", "export")
	trackTables(t, c)

	fresh := startEngine(t)
	r := c.run("deploy", "--endpoint", fresh.url)
	if r.code != 0 || !strings.Contains(r.stderr, "applied 1700000000000_init") || !strings.Contains(r.stderr, "metadata reloaded") {
		t.Fatalf("deploy: %d %s", r.code, r.stderr)
	}
	if r := c.run("deploy", "--endpoint", fresh.url); r.code != 0 || !strings.Contains(r.stderr, "nothing to apply") {
		t.Errorf("a second deploy: %d %s", r.code, r.stderr)
	}

	seed := strings.TrimSpace(c.ok("seed", "create", "tutors", "--endpoint", fresh.url))
	writeFile(t, seed, "INSERT INTO tutors (name) VALUES ('Ada'), ('Grace');\n")
	bad := filepath.Join(c.dir, "seeds/default/9999999999999_bad.sql")
	writeFile(t, bad, "INSERT INTO tutors (name) VALUES ('Edsger');\nINSERT INTO lessons (tutor_id, topic)\n  VALUES (1, nul);\n")
	r = c.fails(1, "seed", "apply", "--endpoint", fresh.url)
	if !strings.Contains(r.stderr, bad+":3:") {
		t.Errorf("the seed error does not name %s:3:\n%s", bad, r.stderr)
	}
	if got := queryOne(t, fresh.dbURL, "SELECT count(*)::text FROM tutors"); got != "0" {
		t.Errorf("a failed seed apply left %s tutors", got)
	}
	c.ok("seed", "apply", "--endpoint", fresh.url, "--file", filepath.Base(seed))
	if got, want := graphql(t, fresh, "{ tutors(order_by: {id: asc}) { name } }"), `{"data":{"tutors":[{"name" : "Ada"}, {"name" : "Grace"}]}}`; got != want {
		t.Errorf("after deploy and seed: %s, want %s", got, want)
	}
}

func equalTrees(a, b map[string]string) bool {
	if len(a) != len(b) {
		return false
	}
	for k, v := range a {
		if b[k] != v {
			return false
		}
	}
	return true
}
