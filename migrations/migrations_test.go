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
}

func TestLoadErrors(t *testing.T) {
	cases := map[string]map[string]string{
		"must start with a version": {"init/up.sql": "x"},
		"the same version":          {"1_a/up.sql": "x", "1_b/up.sql": "y"},
		"neither up.sql nor down":   {"5_empty/notes.txt": "x"},
	}
	for want, files := range cases {
		dir := t.TempDir()
		write(t, dir, files)
		if _, err := Load(dir); err == nil || !strings.Contains(err.Error(), want) {
			t.Errorf("%v: error %v, want one containing %q", files, err, want)
		}
	}
	if _, err := Load(filepath.Join(t.TempDir(), "missing")); err == nil {
		t.Error("a missing directory loaded without error")
	}
}
