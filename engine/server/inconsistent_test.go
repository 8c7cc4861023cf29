package server_test

import (
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// TestInconsistentMetadata serves metadata that names a missing table and
// a broken relationship: both are reported, and the rest is served.
func TestInconsistentMetadata(t *testing.T) {
	dir := t.TempDir()
	copyDir(t, filepath.Join(exampleDir, "metadata"), dir)
	tables := filepath.Join(dir, "databases/default/tables")
	appendFile(t, filepath.Join(tables, "tables.yaml"), "- \"!include public_ghosts.yaml\"\n")
	writeFile(t, filepath.Join(tables, "public_ghosts.yaml"), "table:\n  name: ghosts\n  schema: public\n")
	appendFile(t, filepath.Join(tables, "public_subjects.yaml"), `
object_relationships:
  - name: head_tutor
    using:
      foreign_key_constraint_on: head_tutor_id
`)
	s := newTestServer(t, serverOptions{metadataDir: dir, inconsistent: true})

	var got []string
	for _, inc := range s.inconsistencies {
		got = append(got, inc.Type+": "+inc.Name+": "+inc.Reason)
	}
	want := []string{
		`object_relation: object_relation head_tutor in table subjects in source default: Inconsistent object: in table "subjects": in relationship "head_tutor": no foreign constraint exists on the given column(s)`,
		`table: table ghosts in source default: Inconsistent object: no such table/view exists in source: "ghosts"`,
	}
	if strings.Join(got, "\n") != strings.Join(want, "\n") {
		t.Errorf("inconsistencies:\n%s\nwant:\n%s", strings.Join(got, "\n"), strings.Join(want, "\n"))
	}

	_, body := s.query(t, `{ subjects_by_pk(id: 1) { name courses(limit: 1, order_by: {id: asc}) { id } } }`, nil)
	if want := `{"data":{"subjects_by_pk":{"name":"Algebra","courses":[{"id":13}]}}}`; compact(t, body) != want {
		t.Errorf("got  %s\nwant %s", compact(t, body), want)
	}
	_, body = s.query(t, `{ subjects { head_tutor { id } } }`, nil)
	if want := `{"errors":[{"extensions":{"path":"$.selectionSet.subjects.selectionSet.head_tutor","code":"validation-failed"},"message":"field 'head_tutor' not found in type: 'subjects'"}]}`; compact(t, body) != want {
		t.Errorf("got  %s\nwant %s", compact(t, body), want)
	}
	_, body = s.query(t, `{ ghosts { id } }`, nil)
	if !strings.Contains(body, `field 'ghosts' not found in type: 'query_root'`) {
		t.Errorf("the missing table is served: %s", body)
	}
}

func copyDir(t *testing.T, from, to string) {
	t.Helper()
	err := filepath.WalkDir(from, func(p string, d os.DirEntry, err error) error {
		if err != nil {
			return err
		}
		rel, _ := filepath.Rel(from, p)
		if d.IsDir() {
			return os.MkdirAll(filepath.Join(to, rel), 0o755)
		}
		b, err := os.ReadFile(p)
		if err != nil {
			return err
		}
		return os.WriteFile(filepath.Join(to, rel), b, 0o644)
	})
	if err != nil {
		t.Fatal(err)
	}
}

func writeFile(t *testing.T, path, body string) {
	t.Helper()
	if err := os.WriteFile(path, []byte(body), 0o644); err != nil {
		t.Fatal(err)
	}
}

func appendFile(t *testing.T, path, body string) {
	t.Helper()
	b, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	writeFile(t, path, string(b)+body)
}
