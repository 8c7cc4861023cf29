package metadata

import (
	"os"
	"path/filepath"
	"reflect"
	"slices"
	"strings"
	"testing"
)

// TestRenderDirRoundTrip: the example directory read, written and read
// again gives the same document, the same files, and nothing to rewrite.
func TestRenderDirRoundTrip(t *testing.T) {
	doc, err := DirDocument("../examples/tutoring/metadata")
	if err != nil {
		t.Fatal(err)
	}
	files, err := RenderDir(doc)
	if err != nil {
		t.Fatal(err)
	}
	dir := t.TempDir()
	writeStale := filepath.Join(dir, "databases/default/tables/public_gone.yaml")
	if err := os.MkdirAll(filepath.Dir(writeStale), 0o755); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(writeStale, []byte("table: gone\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(filepath.Join(dir, "README.md"), []byte("kept"), 0o644); err != nil {
		t.Fatal(err)
	}
	changed, err := WriteDir(dir, files)
	if err != nil {
		t.Fatal(err)
	}
	if !slices.Contains(changed, "databases/default/tables/public_gone.yaml") || !slices.Contains(changed, "version.yaml") {
		t.Errorf("changed: %v", changed)
	}
	if _, err := os.Stat(filepath.Join(dir, "README.md")); err != nil {
		t.Error("WriteDir removed a file that is not metadata")
	}
	again, err := DirDocument(dir)
	if err != nil {
		t.Fatal(err)
	}
	if string(again) != string(doc) {
		t.Errorf("document changed:\n%s\nwas\n%s", again, doc)
	}
	files2, err := RenderDir(again)
	if err != nil {
		t.Fatal(err)
	}
	if !reflect.DeepEqual(files, files2) {
		t.Error("rendering twice gave different files")
	}
	if changed, err := WriteDir(dir, files2); err != nil || len(changed) != 0 {
		t.Errorf("a second WriteDir changed %v (%v)", changed, err)
	}
	want := "table:\n  name: matches\n  schema: public\nobject_relationships:\n  - name: student\n"
	if got := string(files["databases/default/tables/public_matches.yaml"]); !strings.HasPrefix(got, want) {
		t.Errorf("public_matches.yaml:\n%s\nwant it to start with\n%s", got, want)
	}
	if got := string(files["databases/default/tables/tables.yaml"]); !strings.HasPrefix(got, `- "!include public_`) {
		t.Errorf("tables.yaml:\n%s", got)
	}
}

func TestDirDocumentRefusesActionSDL(t *testing.T) {
	files, err := RenderDir(ExportJSON(Empty()))
	if err != nil {
		t.Fatal(err)
	}
	dir := t.TempDir()
	files["actions.graphql"] = []byte("type Mutation { login(email: String!): Boolean }\n")
	if _, err := WriteDir(dir, files); err != nil {
		t.Fatal(err)
	}
	if _, err := DirDocument(dir); err == nil || !strings.Contains(err.Error(), "actions.graphql") {
		t.Errorf("error %v, want one naming actions.graphql", err)
	}
}
