package migrations

import (
	"os"
	"path/filepath"
	"strings"
	"testing"
)

func write(t *testing.T, dir string, files map[string]string) {
	t.Helper()
	for name, body := range files {
		p := filepath.Join(dir, name)
		if err := os.MkdirAll(filepath.Dir(p), 0o755); err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(p, []byte(body), 0o644); err != nil {
			t.Fatal(err)
		}
	}
}

func TestLoad(t *testing.T) {
	dir := t.TempDir()
	write(t, dir, map[string]string{
		"1700000000002_add_index/up.sql":   "create index …",
		"1700000000000_init/up.sql":        "create table …",
		"1700000000000_init/down.sql":      "drop table …",
		"1700000000001_only_down/down.sql": "…",
		"README.md":                        "not a migration",
	})
	got, err := Load(dir)
	if err != nil {
		t.Fatal(err)
	}
	var summary []string
	for _, m := range got {
		summary = append(summary, strings.Join([]string{
			m.Name, filepath.Base(m.Up), filepath.Base(m.Down),
		}, ","))
	}
	want := "init,up.sql,down.sql|only_down,.,down.sql|add_index,up.sql,."
	if s := strings.Join(summary, "|"); s != want {
		t.Errorf("got %s\nwant %s", s, want)
	}
	if none, err := Load(filepath.Join(dir, "missing")); err != nil || none != nil {
		t.Errorf("a missing folder: %v, %v; want no migrations and no error", none, err)
	}
}

func TestLoadErrors(t *testing.T) {
	cases := map[string]map[string]string{
		"must start with a version": {"init/up.sql": "x"},
		"the same version":          {"1_a/up.sql": "x", "1_b/up.sql": "y"},
		"neither up.sql nor down":   {"5_empty/notes.txt": "x"},
		"is not a version":          {"7_sq/up.sql": "-- trellis:replaces 1 x2\nselect 1"},
	}
	for want, files := range cases {
		dir := t.TempDir()
		write(t, dir, files)
		if _, err := Load(dir); err == nil || !strings.Contains(err.Error(), want) {
			t.Errorf("%v: error %v, want one containing %q", files, err, want)
		}
	}
}

func TestCreate(t *testing.T) {
	dir := t.TempDir()
	m, err := Create(dir, 1700000000000, "init", []byte("create table a();"), []byte("drop table a;"))
	if err != nil {
		t.Fatal(err)
	}
	if m.Folder() != "1700000000000_init" {
		t.Errorf("folder %s", m.Folder())
	}
	if b, _ := os.ReadFile(m.Down); string(b) != "drop table a;" {
		t.Errorf("down.sql: %q", b)
	}
	if _, err := Create(dir, 1700000000000, "again", nil, nil); err == nil || !strings.Contains(err.Error(), "exists already") {
		t.Errorf("a second migration with one version: %v", err)
	}
	if _, err := Create(dir, 1700000000001, "../escape", nil, nil); err == nil {
		t.Error("a name with a slash was accepted")
	}
}

func TestLineColumn(t *testing.T) {
	text := "create table a();\n-- ünïcode\ncreate tabel b();\n"
	cases := []struct{ pos, line, col int }{
		{1, 1, 1}, {8, 1, 8}, {19, 2, 1}, {30, 3, 1}, {37, 3, 8},
	}
	for _, c := range cases {
		if l, col := LineColumn(text, c.pos); l != c.line || col != c.col {
			t.Errorf("position %d: %d:%d, want %d:%d", c.pos, l, col, c.line, c.col)
		}
	}
}

func TestState(t *testing.T) {
	st, err := ParseState([]byte(`{"settings":{"migration_mode":"true"},"migrations":{"default":{"1":false,"2":true}},"other":[1]}`))
	if err != nil {
		t.Fatal(err)
	}
	if got := st.Applied("default"); len(got) != 2 || got[1] || !got[2] {
		t.Errorf("applied: %v", got)
	}
	st.Mark("default", 3)
	st.Unmark("default", 1)
	st.Mark("second", 9)
	want := `{"isStateCopyCompleted":true,"migrations":{"default":{"2":true,"3":false},"second":{"9":false}},"other":[1],"settings":{"migration_mode":"true"}}`
	if got := string(st.JSON()); got != want {
		t.Errorf("JSON:\n got %s\nwant %s", got, want)
	}
	for _, empty := range []string{``, `null`, `{}`} {
		st, err := ParseState([]byte(empty))
		if err != nil || len(st.Applied("default")) != 0 || st.CopyCompleted() {
			t.Errorf("%q: %v", empty, err)
		}
	}
	if _, err := ParseState([]byte(`[1]`)); err == nil {
		t.Error("a list was accepted as a state")
	}
}
