package metadata

import (
	"encoding/json"
	"errors"
	"reflect"
	"strings"
	"testing"

	"gopkg.in/yaml.v3"
)

// roundTrip decodes in into a new T, encodes it, and checks the canonical
// JSON and that decoding that again gives the same value.
func roundTrip[T any](t *testing.T, in, canonical string) T {
	t.Helper()
	var v T
	if err := json.Unmarshal([]byte(in), &v); err != nil {
		t.Fatalf("unmarshal %s: %v", in, err)
	}
	out, err := json.Marshal(v)
	if err != nil {
		t.Fatalf("marshal: %v", err)
	}
	if string(out) != canonical {
		t.Errorf("marshal %s\n got %s\nwant %s", in, out, canonical)
	}
	var again T
	if err := json.Unmarshal(out, &again); err != nil {
		t.Fatalf("unmarshal %s: %v", out, err)
	}
	if !reflect.DeepEqual(v, again) {
		t.Errorf("round trip changed the value:\n%+v\n%+v", v, again)
	}
	return v
}

// ptr returns a pointer to s, for the optional comments of the model.
func ptr(s string) *string { return &s }

func TestRootFieldJSON(t *testing.T) {
	tests := []struct {
		name, in, canonical string
		want                RootField
	}{
		{"string", `"authors"`, `"authors"`, RootField{Name: "authors"}},
		{"object with comment", `{"name":"authors","comment":"All authors"}`, `{"name":"authors","comment":"All authors"}`, RootField{Name: "authors", Comment: ptr("All authors")}},
		{"object without comment", `{"name":"authors"}`, `"authors"`, RootField{Name: "authors"}},
		{"object with null comment", `{"name":"authors","comment":null}`, `"authors"`, RootField{Name: "authors"}},
		{"empty comment", `{"name":"authors","comment":""}`, `{"name":"authors","comment":""}`, RootField{Name: "authors", Comment: ptr("")}},
		{"comment without name", `{"name":null,"comment":""}`, `{"name":null,"comment":""}`, RootField{Comment: ptr("")}},
		{"comment only", `{"comment":"All"}`, `{"name":null,"comment":"All"}`, RootField{Comment: ptr("All")}},
		{"null", `null`, `null`, RootField{}},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			if got := roundTrip[RootField](t, tc.in, tc.canonical); !reflect.DeepEqual(got, tc.want) {
				t.Errorf("got %+v, want %+v", got, tc.want)
			}
		})
	}
}

func TestRootFieldYAML(t *testing.T) {
	in := CustomRootFields{
		Select:     RootField{Name: "authors"},
		SelectByPk: RootField{Comment: ptr("")},
		Delete:     RootField{Name: "remove", Comment: ptr("Remove")},
	}
	out, err := yaml.Marshal(in)
	if err != nil {
		t.Fatal(err)
	}
	want := "select: authors\nselect_by_pk:\n    name: null\n    comment: \"\"\ndelete:\n    name: remove\n    comment: Remove\n"
	if string(out) != want {
		t.Fatalf("got\n%s\nwant\n%s", out, want)
	}
	var again CustomRootFields
	if err := yaml.Unmarshal(out, &again); err != nil {
		t.Fatal(err)
	}
	if !reflect.DeepEqual(again, in) {
		t.Errorf("round trip changed the value:\n%+v\n%+v", in, again)
	}
}

func TestCustomRootFieldsJSON(t *testing.T) {
	in := `{"select":"authors","select_by_pk":{"name":"author","comment":"One"},"delete":null}`
	got := roundTrip[CustomRootFields](t, in, `{"select":"authors","select_by_pk":{"name":"author","comment":"One"}}`)
	if got.Select.Name != "authors" || got.SelectByPk.Comment == nil || *got.SelectByPk.Comment != "One" || got.Delete != (RootField{}) {
		t.Errorf("got %+v", got)
	}
}

func TestForeignKeyOnJSON(t *testing.T) {
	tests := []struct {
		name, in, canonical string
		want                ForeignKeyOn
	}{
		{"bare column", `"author_id"`, `"author_id"`,
			ForeignKeyOn{Columns: []string{"author_id"}}},
		{"{column}", `{"column":"author_id"}`, `"author_id"`,
			ForeignKeyOn{Columns: []string{"author_id"}}},
		{"{columns}", `{"columns":["a","b"]}`, `{"columns":["a","b"]}`,
			ForeignKeyOn{Columns: []string{"a", "b"}}},
		{"{columns} of one", `{"columns":["a"]}`, `"a"`,
			ForeignKeyOn{Columns: []string{"a"}}},
		{"{table: string, column}", `{"table":"article","column":"author_id"}`,
			`{"table":{"schema":"public","name":"article"},"column":"author_id"}`,
			ForeignKeyOn{Table: &TableName{Schema: "public", Name: "article"}, Columns: []string{"author_id"}}},
		{"{table: object, columns}", `{"table":{"schema":"s","name":"t"},"columns":["x","y"]}`,
			`{"table":{"schema":"s","name":"t"},"columns":["x","y"]}`,
			ForeignKeyOn{Table: &TableName{Schema: "s", Name: "t"}, Columns: []string{"x", "y"}}},
		{"{table: {name}} defaults the schema", `{"table":{"name":"t"},"column":"x"}`,
			`{"table":{"schema":"public","name":"t"},"column":"x"}`,
			ForeignKeyOn{Table: &TableName{Schema: "public", Name: "t"}, Columns: []string{"x"}}},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			if got := roundTrip[ForeignKeyOn](t, tc.in, tc.canonical); !reflect.DeepEqual(got, tc.want) {
				t.Errorf("got %+v, want %+v", got, tc.want)
			}
		})
	}
}

func TestManualConfigJSONKeepsOrder(t *testing.T) {
	in := `{"remote_table":"b","column_mapping":{"z":"z2","a":"a2","m":"m2"}}`
	canonical := `{"remote_table":{"schema":"public","name":"b"},"column_mapping":{"z":"z2","a":"a2","m":"m2"}}`
	got := roundTrip[ManualConfig](t, in, canonical)
	want := []ColumnPair{{"z", "z2"}, {"a", "a2"}, {"m", "m2"}}
	if !reflect.DeepEqual(got.ColumnMapping, want) {
		t.Errorf("mapping = %v, want %v", got.ColumnMapping, want)
	}
	y, err := yaml.Marshal(got)
	if err != nil {
		t.Fatal(err)
	}
	if !strings.Contains(string(y), "column_mapping:\n    z: z2\n    a: a2\n    m: m2\n") {
		t.Errorf("YAML:\n%s", y)
	}
}

func TestTableEntryJSON(t *testing.T) {
	in := `{"table":"article","object_relationships":[{"name":"author","using":{"foreign_key_constraint_on":"author_id"}}],` +
		`"select_permissions":[{"role":"user","permission":{"filter":{"b":{"_eq":1},"a":{"_eq":2}},"columns":"*"}}]}`
	canonical := `{"table":{"schema":"public","name":"article"},"object_relationships":[{"name":"author","using":{"foreign_key_constraint_on":"author_id"}}],` +
		`"select_permissions":[{"role":"user","permission":{"filter":{"b":{"_eq":1},"a":{"_eq":2}},"columns":"*"}}]}`
	got := roundTrip[TableEntry](t, in, canonical)
	if got.Table != pub("article") {
		t.Errorf("table = %v", got.Table)
	}
}

func TestMetadataJSONRoundTrip(t *testing.T) {
	// The shape Hasura keeps in hdb_catalog.hdb_metadata.
	in := `{"version":3,"sources":[{"name":"default","kind":"postgres","tables":[` +
		`{"table":{"schema":"public","name":"author"},"configuration":{"custom_root_fields":{"select":"authors"},"column_config":{"first_name":{"custom_name":"firstName"}}},` +
		`"array_relationships":[{"name":"articles","using":{"foreign_key_constraint_on":{"column":"author_id","table":{"schema":"public","name":"article"}}}}]},` +
		`{"table":{"schema":"public","name":"article"},"object_relationships":[{"name":"tag","using":{"manual_configuration":{"remote_table":{"schema":"content","name":"tag"},"column_mapping":{"tag_slug":"slug","tag_lang":"lang"}}}}]}],` +
		`"configuration":{"connection_info":{"database_url":{"from_env":"HASURA_GRAPHQL_DATABASE_URL"}}}}],` +
		`"inherited_roles":[{"role_name":"m","role_set":["a","b"]}]}`
	var md Metadata
	if err := json.Unmarshal([]byte(in), &md); err != nil {
		t.Fatal(err)
	}
	out, err := json.Marshal(&md)
	if err != nil {
		t.Fatal(err)
	}
	var again Metadata
	if err := json.Unmarshal(out, &again); err != nil {
		t.Fatalf("%v\n%s", err, out)
	}
	if !reflect.DeepEqual(md, again) {
		t.Errorf("round trip changed the metadata:\n%s", out)
	}
	mc := md.Sources[0].Tables[1].ObjectRelationships[0].Using.ManualConfiguration
	if !reflect.DeepEqual(mc.ColumnMapping, []ColumnPair{{"tag_slug", "slug"}, {"tag_lang", "lang"}}) {
		t.Errorf("mapping = %v", mc.ColumnMapping)
	}
	if string(md.InheritedRoles) != `[{"role_name":"m","role_set":["a","b"]}]` {
		t.Errorf("inherited roles = %s", md.InheritedRoles)
	}
}

func TestJSONErrors(t *testing.T) {
	tests := []struct {
		name, in, want string
	}{
		{"unknown field", `{"version":3,"sources":[{"name":"default","kind":"postgres","tables":[{"table":"t","objct_relationships":[]}]}]}`,
			`$.sources[0].tables[0].objct_relationships: unknown field "objct_relationships" (did you mean "object_relationships"?)`},
		{"wrong type", `{"version":"3"}`, `$.version: expected an integer, got a string`},
		{"syntax", "{\"version\":\n3,}", "line 2: invalid JSON: "},
		{"trailing data", `{"version":3} {}`, "line 1: invalid JSON: unexpected data after the document"},
		{"duplicate key", `{"version":3,"version":3}`, `$.version: duplicate key "version" (first at line 1)`},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			var md Metadata
			// Called directly: json.Unmarshal checks the syntax itself first.
			err := md.UnmarshalJSON([]byte(tc.in))
			var de *DecodeError
			if !errors.As(err, &de) {
				t.Fatalf("error %v (%T) is not a *DecodeError", err, err)
			}
			if !strings.HasPrefix(err.Error(), tc.want) {
				t.Errorf("error\n%s\nwant prefix\n%s", err, tc.want)
			}
		})
	}
}

func TestYAMLUnmarshal(t *testing.T) {
	in := "table: article\nobject_relationships:\n- name: author\n  using:\n    foreign_key_constraint_on: author_id\n"
	var e TableEntry
	if err := yaml.Unmarshal([]byte(in), &e); err != nil {
		t.Fatal(err)
	}
	if e.Table != pub("article") || e.ObjectRelationships[0].Using.ForeignKeyConstraintOn.Columns[0] != "author_id" {
		t.Errorf("got %+v", e)
	}
	if err := yaml.Unmarshal([]byte("table: t\nfoo: 1\n"), &e); err == nil || err.Error() != `$.foo: unknown field "foo"` {
		t.Errorf("unknown field: %v", err)
	}
	if err := yaml.Unmarshal([]byte("table: t\nselect_permissions: !include p.yaml\n"), &e); err == nil ||
		!strings.Contains(err.Error(), "!include is only supported when loading a metadata directory") {
		t.Errorf("include: %v", err)
	}
}

func TestYAMLScalarsToJSON(t *testing.T) {
	in := "role: user\npermission:\n  limit: 0x10\n  allow_aggregations: True\n  ratio: 1e3\n  note: ~\n  when: 2001-12-14\n  html: <b>&</b>\n"
	var v yaml.Node
	if err := yaml.Unmarshal([]byte(in), &v); err != nil {
		t.Fatal(err)
	}
	val, err := fromYAMLNode(&v)
	if err != nil {
		t.Fatal(err)
	}
	want := `{"role":"user","permission":{"limit":16,"allow_aggregations":true,"ratio":1e3,"note":null,"when":"2001-12-14","html":"<b>&</b>"}}`
	if got := string(val.json()); got != want {
		t.Errorf("got  %s\nwant %s", got, want)
	}
}

func FuzzUnmarshalYAML(f *testing.F) {
	f.Add([]byte("version: 3\nsources:\n- name: default\n  kind: postgres\n  tables:\n  - table: t\n"))
	f.Add([]byte("a: &x [*x]\n"))
	f.Add([]byte(`{"version":3,"sources":[]}`))
	f.Fuzz(func(t *testing.T, data []byte) {
		var md Metadata
		_ = yaml.Unmarshal(data, &md) // must not panic
		_ = json.Unmarshal(data, &md)
	})
}
