package metadata

import (
	"errors"
	"os"
	"path/filepath"
	"reflect"
	"strings"
	"testing"
)

func pub(name string) TableName { return TableName{Schema: "public", Name: name} }

func TestLoadDirGood(t *testing.T) {
	md, err := LoadDir("testdata/good")
	if err != nil {
		t.Fatal(err)
	}
	if md.Version != 3 {
		t.Errorf("version = %d", md.Version)
	}
	if len(md.Sources) != 2 || md.Sources[0].Name != "analytics" || md.Sources[1].Name != "default" {
		t.Fatalf("sources = %+v", md.Sources)
	}
	if n := len(md.Sources[0].Tables); n != 0 {
		t.Errorf("analytics has %d tables", n)
	}
	src := md.Sources[1]
	wantConfig := `{"connection_info":{"database_url":{"from_env":"HASURA_GRAPHQL_DATABASE_URL"},` +
		`"isolation_level":"read-committed","pool_settings":{"connection_lifetime":600,"idle_timeout":180,` +
		`"max_connections":50,"retries":1},"use_prepared_statements":true}}`
	if got := string(src.Configuration); got != wantConfig {
		t.Errorf("configuration =\n%s\nwant\n%s", got, wantConfig)
	}
	if len(src.Functions) != 1 || string(src.Functions[0]) != `{"function":{"name":"search_articles","schema":"public"}}` {
		t.Errorf("functions = %s", src.Functions)
	}
	if len(src.Tables) != 3 {
		t.Fatalf("%d tables", len(src.Tables))
	}

	author, article, tag := src.Tables[0], src.Tables[1], src.Tables[2]
	t.Run("author", func(t *testing.T) {
		if author.Table != pub("author") {
			t.Errorf("table = %v", author.Table)
		}
		cfg := author.Configuration
		if cfg == nil {
			t.Fatal("no configuration")
		}
		if !reflect.DeepEqual(cfg.CustomRootFields.Select, RootField{Name: "authors"}) ||
			!reflect.DeepEqual(cfg.CustomRootFields.SelectByPk, RootField{Name: "author", Comment: ptr("Fetch one author")}) {
			t.Errorf("root fields = %+v", cfg.CustomRootFields)
		}
		if cfg.ColumnConfig["first_name"].CustomName != "firstName" || cfg.CustomColumnNames["first_name"] != "firstName" {
			t.Errorf("column config = %+v %+v", cfg.ColumnConfig, cfg.CustomColumnNames)
		}
		rel := author.ArrayRelationships[0]
		fk := rel.Using.ForeignKeyConstraintOn
		if rel.Name != "articles" || fk == nil || *fk.Table != pub("article") || !reflect.DeepEqual(fk.Columns, []string{"author_id"}) {
			t.Errorf("articles = %+v %+v", rel, fk)
		}
		wantPerm := `{"role":"user","permission":{"columns":["id","first_name"],` +
			`"filter":{"id":{"_eq":"X-Hasura-User-Id"}},"limit":10}}`
		if len(author.SelectPermissions) != 1 || string(author.SelectPermissions[0]) != wantPerm {
			t.Errorf("select permissions = %s", author.SelectPermissions)
		}
	})
	t.Run("article", func(t *testing.T) {
		if article.Table != pub("article") || len(article.ObjectRelationships) != 2 {
			t.Fatalf("article = %+v", article)
		}
		fk := article.ObjectRelationships[0].Using.ForeignKeyConstraintOn
		if fk.Table != nil || !reflect.DeepEqual(fk.Columns, []string{"author_id"}) {
			t.Errorf("author fk = %+v", fk)
		}
		rel := article.ObjectRelationships[1]
		mc := rel.Using.ManualConfiguration
		want := []ColumnPair{{"tag_slug", "slug"}, {"tag_lang", "lang"}}
		if rel.Comment != "the article's tag, joined by hand" || mc.RemoteTable != (TableName{Schema: "content", Name: "tag"}) ||
			!reflect.DeepEqual(mc.ColumnMapping, want) || mc.InsertionOrder != InsertAfterParent {
			t.Errorf("tag = %+v %+v", rel, mc)
		}
		wantPerm := `{"role":"user","permission":{"check":{"author_id":{"_eq":"X-Hasura-User-Id"}},` +
			`"set":{"author_id":"x-hasura-User-Id"},"columns":["title","body"]}}`
		if string(article.InsertPermissions[0]) != wantPerm {
			t.Errorf("insert permission = %s", article.InsertPermissions[0])
		}
	})
	t.Run("tag", func(t *testing.T) {
		mc := tag.ArrayRelationships[0].Using.ManualConfiguration
		if tag.Table != (TableName{Schema: "content", Name: "tag"}) || mc.RemoteTable != pub("article") ||
			!reflect.DeepEqual(mc.ColumnMapping, []ColumnPair{{"slug", "tag_slug"}, {"lang", "tag_lang"}}) {
			t.Errorf("tag = %+v", tag)
		}
	})
	t.Run("top-level files", func(t *testing.T) {
		if !strings.HasPrefix(string(md.Actions), `[{"name":"login","definition":{"kind":"synchronous"`) {
			t.Errorf("actions = %s", md.Actions)
		}
		if string(md.CustomTypes) != `{"enums":[],"input_objects":[],"objects":[{"name":"LoginResponse"}],"scalars":[]}` {
			t.Errorf("custom types = %s", md.CustomTypes)
		}
		if !strings.Contains(md.ActionsGraphQL, "login(username: String!") {
			t.Errorf("actions.graphql = %q", md.ActionsGraphQL)
		}
		if string(md.InheritedRoles) != `[{"role_name":"manager","role_set":["user","editor"]}]` {
			t.Errorf("inherited roles = %s", md.InheritedRoles)
		}
		if md.AllowList != nil || md.RemoteSchemas != nil || md.Network != nil || md.CronTriggers != nil {
			t.Errorf("empty or missing files should give nil: %s %s %s %s", md.AllowList, md.RemoteSchemas, md.Network, md.CronTriggers)
		}
	})
}

// TestLoadDirForms reads each shape in its short (string) and long (object)
// form and checks that both mean the same.
func TestLoadDirForms(t *testing.T) {
	md, err := LoadDir("testdata/forms")
	if err != nil {
		t.Fatal(err)
	}
	tables := md.Sources[0].Tables
	if len(tables) != 2 {
		t.Fatalf("%d tables", len(tables))
	}
	a, b := tables[0], tables[1]
	if a.Table != pub("a") || b.Table != pub("b") {
		t.Errorf("tables = %v %v", a.Table, b.Table)
	}
	if !reflect.DeepEqual(a.Configuration.CustomRootFields.Select, RootField{Name: "list_a"}) ||
		!reflect.DeepEqual(b.Configuration.CustomRootFields.Select, RootField{Name: "list_b", Comment: ptr("All the b")}) {
		t.Errorf("root fields = %+v / %+v", a.Configuration.CustomRootFields.Select, b.Configuration.CustomRootFields.Select)
	}
	fk := func(e TableEntry, i int) ForeignKeyOn { return *e.ObjectRelationships[i].Using.ForeignKeyConstraintOn }
	tests := []struct {
		name string
		got  ForeignKeyOn
		want ForeignKeyOn
	}{
		{"bare column", fk(a, 0), ForeignKeyOn{Columns: []string{"x_id"}}},
		{"{column}", fk(b, 0), ForeignKeyOn{Columns: []string{"x_id"}}},
		{"{columns}", fk(b, 1), ForeignKeyOn{Columns: []string{"p", "q"}}},
		{"{table: string, column}", fk(a, 1), ForeignKeyOn{Table: &TableName{Schema: "public", Name: "b"}, Columns: []string{"a_id"}}},
		{"{table: object, columns}", fk(b, 2), ForeignKeyOn{Table: &TableName{Schema: "public", Name: "a"}, Columns: []string{"b_id"}}},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			if !reflect.DeepEqual(tc.got, tc.want) {
				t.Errorf("got %+v (table %v), want %+v", tc.got, tc.got.Table, tc.want)
			}
		})
	}
	if a.ObjectRelationships[2].Using.ManualConfiguration.RemoteTable != pub("b") ||
		b.ObjectRelationships[3].Using.ManualConfiguration.RemoteTable != pub("a") {
		t.Error("remote_table forms differ")
	}
}

// writeDir makes a metadata directory from file contents; version.yaml
// defaults to version 3.
func writeDir(t *testing.T, files map[string]string) string {
	t.Helper()
	dir := t.TempDir()
	if _, ok := files["version.yaml"]; !ok {
		files["version.yaml"] = "version: 3\n"
	}
	for name, body := range files {
		if body == "<absent>" {
			continue
		}
		p := filepath.Join(dir, filepath.FromSlash(name))
		if err := os.MkdirAll(filepath.Dir(p), 0o755); err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(p, []byte(body), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	return dir
}

// oneTable is a databases.yaml whose default source includes one table file.
func oneTable(table string) map[string]string {
	return map[string]string{
		"databases/databases.yaml":                 "- name: default\n  kind: postgres\n  tables: \"!include default/tables/tables.yaml\"\n",
		"databases/default/tables/tables.yaml":     "- \"!include public_t.yaml\"\n",
		"databases/default/tables/public_t.yaml":   table,
		"databases/default/tables/public_u.yaml":   "table: u\n",
		"databases/default/tables/public_u2.yaml":  "table: u2\n",
		"databases/default/tables/unused_top.yaml": "[]\n",
	}
}

func TestLoadDirErrors(t *testing.T) {
	const tbl = "databases/default/tables/public_t.yaml"
	tests := []struct {
		name  string
		dir   string            // a testdata directory, or
		files map[string]string // the files of a temporary one
		want  string
	}{
		{name: "broken include", dir: "testdata/broken_include",
			want: "databases/default/tables/tables.yaml:2: !include public_posts.yaml: file databases/default/tables/public_posts.yaml not found"},
		{name: "unknown field", dir: "testdata/unknown_field",
			want: `databases/default/tables/public_users.yaml:4: unknown field "objct_relationships" (did you mean "object_relationships"?)`},
		{name: "include cycle", dir: "testdata/include_cycle",
			want: "databases/default/tables/public_users.yaml:1: !include cycle: databases/default/tables/tables.yaml -> databases/default/tables/public_users.yaml -> databases/default/tables/tables.yaml"},
		{name: "no version.yaml", files: map[string]string{"version.yaml": "<absent>"},
			want: "version.yaml: file not found"},
		{name: "version 2", files: map[string]string{"version.yaml": "version: 2\n"},
			want: "version.yaml:1: unsupported metadata version 2: only version 3 directories can be read"},
		{name: "YAML syntax", files: oneTable("table: t\nobject_relationships:\n  - name: x\n   using: {}\n"),
			want: tbl + ":2: invalid YAML: did not find expected '-' indicator"},
		{name: "include escapes the directory", files: oneTable("table: t\nobject_relationships: \"!include ../../../../etc/passwd\"\n"),
			want: tbl + ":2: !include ../../../../etc/passwd: the path leaves the metadata directory"},
		{name: "absolute include", files: oneTable("table: t\nobject_relationships: !include /etc/passwd\n"),
			want: tbl + ":2: !include /etc/passwd: the path must be relative to the including file"},
		{name: "missing table name", files: oneTable("is_enum: true\n"),
			want: tbl + `:1: missing field "table"`},
		{name: "wrong type", files: oneTable("table: t\nis_enum: yes please\n"),
			want: tbl + ":2: expected a boolean, got a string"},
		{name: "table as a list", files: oneTable("table: [a, b]\n"),
			want: tbl + ":1: expected a table name (a string or {schema, name}), got a list"},
		{name: "array relationship with a bare column", files: oneTable("table: t\narray_relationships:\n  - name: xs\n    using:\n      foreign_key_constraint_on: t_id\n"),
			want: tbl + ":5: an array relationship's foreign_key_constraint_on must be {table, column} or {table, columns}"},
		{name: "column and columns", files: oneTable("table: t\nobject_relationships:\n  - name: x\n    using:\n      foreign_key_constraint_on:\n        column: a\n        columns: [a]\n"),
			want: tbl + `:6: "column" and "columns" are mutually exclusive`},
		{name: "both using forms", files: oneTable("table: t\nobject_relationships:\n  - name: x\n    using:\n      foreign_key_constraint_on: a\n      manual_configuration: {remote_table: u, column_mapping: {a: b}}\n"),
			want: tbl + ":5: exactly one of foreign_key_constraint_on and manual_configuration is expected"},
		{name: "bad insertion order", files: oneTable("table: t\nobject_relationships:\n  - name: x\n    using:\n      manual_configuration:\n        remote_table: u\n        column_mapping: {a: b}\n        insertion_order: sideways\n"),
			want: tbl + `:8: insertion_order must be "before_parent" or "after_parent", got "sideways"`},
		{name: "empty column mapping", files: oneTable("table: t\nobject_relationships:\n  - name: x\n    using:\n      manual_configuration:\n        remote_table: u\n        column_mapping: {}\n"),
			want: tbl + ":7: column_mapping must not be empty"},
		{name: "duplicate key", files: oneTable("table: t\nis_enum: true\nis_enum: false\n"),
			want: tbl + `:3: duplicate key "is_enum" (first at line 2)`},
		{name: "unknown tag", files: oneTable("table: !ref t\n"),
			want: tbl + `:1: unsupported YAML tag "!ref"`},
		{name: "unknown field in root fields", files: oneTable("table: t\nconfiguration:\n  custom_root_fields:\n    selekt: ts\n"),
			want: tbl + `:4: unknown field "selekt" (did you mean "select"?)`},
		{name: "unknown source field", files: map[string]string{"databases/databases.yaml": "- name: default\n  kind: postgres\n  tabels: []\n"},
			want: `databases/databases.yaml:3: unknown field "tabels" (did you mean "tables"?)`},
		{name: "source without kind", files: map[string]string{"databases/databases.yaml": "- name: default\n  tables: []\n"},
			want: `databases/databases.yaml:1: missing field "kind"`},
		{name: "databases.yaml not a list", files: map[string]string{"databases/databases.yaml": "name: default\n"},
			want: "databases/databases.yaml:1: expected a list, got an object"},
		{name: "unknown field in actions.yaml", files: map[string]string{"actions.yaml": "actions: []\ncustom_typez: {}\n"},
			want: `actions.yaml:2: unknown field "custom_typez" (did you mean "custom_types"?)`},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			dir := tc.dir
			if dir == "" {
				dir = writeDir(t, tc.files)
			}
			md, err := LoadDir(dir)
			if err == nil {
				t.Fatalf("no error; got %+v", md)
			}
			var de *DecodeError
			if !errors.As(err, &de) {
				t.Errorf("error %T is not a *DecodeError", err)
			}
			if !strings.HasPrefix(err.Error(), tc.want) {
				t.Errorf("error\n%s\nwant prefix\n%s", err, tc.want)
			}
		})
	}
}

func TestLoadDirNotADirectory(t *testing.T) {
	if _, err := LoadDir(filepath.Join(t.TempDir(), "nope")); err == nil {
		t.Error("no error for a missing directory")
	}
}

func TestLoadDirSharedInclude(t *testing.T) {
	// The same file may be included twice; only cycles are errors.
	files := oneTable("table: t\nselect_permissions: !include perms.yaml\ninsert_permissions: !include perms.yaml\n")
	files["databases/default/tables/perms.yaml"] = "- role: user\n  permission: {columns: '*'}\n"
	md, err := LoadDir(writeDir(t, files))
	if err != nil {
		t.Fatal(err)
	}
	e := md.Sources[0].Tables[0]
	if len(e.SelectPermissions) != 1 || string(e.SelectPermissions[0]) != string(e.InsertPermissions[0]) {
		t.Errorf("permissions = %s / %s", e.SelectPermissions, e.InsertPermissions)
	}
}
