package metadata

import (
	"encoding/json"
	"reflect"
	"strings"
	"testing"

	"github.com/trellis-gql/trellis/engine/catalog"
)

// catalogWithout returns testCatalog with tables dropped, columns dropped
// ("table.column") and foreign keys dropped (by name).
func catalogWithout(tables []string, columns []string, fks []string) *catalog.Catalog {
	cat := testCatalog()
	for _, t := range tables {
		delete(cat.Tables, pub(t))
	}
	for name, t := range cat.Tables {
		c := *t
		c.Columns, c.ForeignKeys = nil, nil
		for _, col := range t.Columns {
			if !contains(columns, t.Name.Name+"."+col.Name) {
				c.Columns = append(c.Columns, col)
			}
		}
		for _, fk := range t.ForeignKeys {
			if !contains(fks, fk.Name) {
				c.ForeignKeys = append(c.ForeignKeys, fk)
			}
		}
		cat.Tables[name] = &c
	}
	return cat
}

func contains(list []string, s string) bool {
	for _, x := range list {
		if x == s {
			return true
		}
	}
	return false
}

// purgeDoc extends opsDoc with column configuration, an editor permission
// naming article.title and a relationship of comment.
const purgeDoc = `{"version":3,"sources":[{"name":"default","kind":"postgres","tables":[
 {"table":"author","configuration":{"column_config":{"first_name":{"custom_name":"firstName"},"name":{"custom_name":"fullName"}}},
  "array_relationships":[{"name":"articles","using":{"foreign_key_constraint_on":{"table":"article","column":"author_id"}}}],
  "select_permissions":[{"role":"user","permission":{"columns":["id","name"],"filter":{"first_name":{"_eq":"x"}}}}]},
 {"table":"article",
  "object_relationships":[{"name":"author","using":{"foreign_key_constraint_on":"author_id"}}],
  "select_permissions":[{"role":"user","permission":{"columns":"*","filter":{"author":{"id":{"_eq":"X-Hasura-User-Id"}}}}},
   {"role":"editor","permission":{"columns":["id","title"],"filter":{}}}]},
 {"table":"comment","object_relationships":[{"name":"article","using":{"manual_configuration":{"remote_table":"article","column_mapping":{"article_id":"id"}}}}]}]}]}`

func TestPurgeDropped(t *testing.T) {
	tests := []struct {
		name                  string
		tables, columns, fks  []string
		author, article, comm string // entries after the purge, "" when untracked
	}{{
		name: "nothing dropped",
		author: `{"table":{"schema":"public","name":"author"},"configuration":{"column_config":{"first_name":{"custom_name":"firstName"},"name":{"custom_name":"fullName"}}},` +
			`"array_relationships":[{"name":"articles","using":{"foreign_key_constraint_on":{"table":{"schema":"public","name":"article"},"column":"author_id"}}}],` +
			`"select_permissions":[{"role":"user","permission":{"columns":["id","name"],"filter":{"first_name":{"_eq":"x"}}}}]}`,
		article: `{"table":{"schema":"public","name":"article"},"object_relationships":[{"name":"author","using":{"foreign_key_constraint_on":"author_id"}}],` +
			`"select_permissions":[{"role":"user","permission":{"columns":"*","filter":{"author":{"id":{"_eq":"X-Hasura-User-Id"}}}}},` +
			`{"role":"editor","permission":{"columns":["id","title"],"filter":{}}}]}`,
		comm: `{"table":{"schema":"public","name":"comment"},"object_relationships":[{"name":"article","using":` +
			`{"manual_configuration":{"remote_table":{"schema":"public","name":"article"},"column_mapping":{"article_id":"id"}}}}]}`,
	}, {
		name:   "a dropped table takes what refers to it",
		tables: []string{"author"},
		article: `{"table":{"schema":"public","name":"article"},` +
			`"select_permissions":[{"role":"editor","permission":{"columns":["id","title"],"filter":{}}}]}`,
		comm: `{"table":{"schema":"public","name":"comment"},"object_relationships":[{"name":"article","using":` +
			`{"manual_configuration":{"remote_table":{"schema":"public","name":"article"},"column_mapping":{"article_id":"id"}}}}]}`,
	}, {
		name:    "dropped columns",
		columns: []string{"article.title", "author.first_name", "comment.article_id"},
		author: `{"table":{"schema":"public","name":"author"},"configuration":{"column_config":{"name":{"custom_name":"fullName"}}},` +
			`"array_relationships":[{"name":"articles","using":{"foreign_key_constraint_on":{"table":{"schema":"public","name":"article"},"column":"author_id"}}}]}`,
		article: `{"table":{"schema":"public","name":"article"},"object_relationships":[{"name":"author","using":{"foreign_key_constraint_on":"author_id"}}],` +
			`"select_permissions":[{"role":"user","permission":{"columns":"*","filter":{"author":{"id":{"_eq":"X-Hasura-User-Id"}}}}}]}`,
		comm: `{"table":{"schema":"public","name":"comment"}}`,
	}, {
		name: "a dropped foreign key",
		fks:  []string{"article_author_id_fkey"},
		author: `{"table":{"schema":"public","name":"author"},"configuration":{"column_config":{"first_name":{"custom_name":"firstName"},"name":{"custom_name":"fullName"}}},` +
			`"select_permissions":[{"role":"user","permission":{"columns":["id","name"],"filter":{"first_name":{"_eq":"x"}}}}]}`,
		article: `{"table":{"schema":"public","name":"article"},` +
			`"select_permissions":[{"role":"editor","permission":{"columns":["id","title"],"filter":{}}}]}`,
		comm: `{"table":{"schema":"public","name":"comment"},"object_relationships":[{"name":"article","using":` +
			`{"manual_configuration":{"remote_table":{"schema":"public","name":"article"},"column_mapping":{"article_id":"id"}}}}]}`,
	}}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			md := parseDoc(t, purgeDoc)
			before := Clone(md)
			got := PurgeDropped(md, catalogWithout(tc.tables, tc.columns, tc.fks))
			if !reflect.DeepEqual(md, before) {
				t.Error("PurgeDropped modified its input")
			}
			for name, want := range map[string]string{"author": tc.author, "article": tc.article, "comment": tc.comm} {
				if want == "" {
					if got.Sources[0].entry(pub(name)) >= 0 {
						t.Errorf("%s is still tracked", name)
					}
					continue
				}
				wantEqual(t, name, entryJSON(t, got, name), want)
			}
		})
	}
	if md := parseDoc(t, purgeDoc); !reflect.DeepEqual(PurgeDropped(md, nil), md) {
		t.Error("a nil catalog changed the document")
	}
}

func TestDropInconsistent(t *testing.T) {
	md := parseDoc(t, `{"version":3,"sources":[{"name":"default","kind":"postgres","tables":[
	 {"table":"author","select_permissions":[{"role":"user","permission":{"columns":"*","filter":{}}},{"role":"guest","permission":{"columns":"*","filter":{}}}],
	  "computed_fields":[{"name":"full","definition":{"function":"f"}}]},
	 {"table":"article","object_relationships":[{"name":"author","using":{"foreign_key_constraint_on":"author_id"}},
	   {"name":"editor","using":{"foreign_key_constraint_on":"editor_id"}}]},
	 {"table":"gone"}],
	 "functions":[{"function":"f1"},{"function":{"schema":"s","name":"f2"}}]},
	 {"name":"other","kind":"postgres","tables":[]}],
	 "inherited_roles":[{"role_name":"r","role_set":["a"]},{"role_name":"q","role_set":["b"]}],
	 "actions":[{"name":"login","definition":{}}],"custom_types":{"objects":[{"name":"T"}]}}`)
	before := Clone(md)
	got := DropInconsistent(md, []Inconsistency{
		{Type: "table", Name: "table gone in source default"},
		{Type: "object_relation", Name: "object_relation editor in table article in source default"},
		{Type: "select_permission", Name: "select_permission guest in table author in source default"},
		{Type: "computed_field", Name: "computed_field full in table author in source default"},
		{Type: "function", Name: "function s.f2 in source default"},
		{Type: "source", Name: "source other"},
		{Type: "inherited_role", Name: "inherited_role r"},
		{Type: "action", Name: "action login"},
		{Type: "custom_types", Name: "custom_types"},
	})
	if !reflect.DeepEqual(md, before) {
		t.Error("DropInconsistent modified its input")
	}
	wantEqual(t, "export", string(ExportJSON(got)), `{"version":3,"sources":[{"name":"default","kind":"postgres","tables":[`+
		`{"table":{"schema":"public","name":"article"},"object_relationships":[{"name":"author","using":{"foreign_key_constraint_on":"author_id"}}]},`+
		`{"table":{"schema":"public","name":"author"},"select_permissions":[{"role":"user","permission":{"columns":"*","filter":{}}}]}],`+
		`"functions":[{"function":"f1"}]}],"inherited_roles":[{"role_name":"q","role_set":["b"]}]}`)

	// What Resolve reports, dropped, leaves a consistent document.
	broken := parseDoc(t, `{"version":3,"sources":[{"name":"default","kind":"postgres","tables":[
	 {"table":"author","array_relationships":[{"name":"articles","using":{"foreign_key_constraint_on":{"table":"article","column":"title"}}}]},
	 {"table":"article","object_relationships":[{"name":"tag","using":{"manual_configuration":{"remote_table":{"schema":"content","name":"tag"},"column_mapping":{"tag_slug":"slug"}}}}]},
	 {"table":"nope"}]}]}`)
	cat := testCatalog()
	incs := Resolve(broken, cat).Inconsistencies
	if len(incs) != 3 {
		t.Fatalf("inconsistencies: %v", incs)
	}
	if left := Resolve(DropInconsistent(broken, incs), cat).Inconsistencies; len(left) != 0 {
		t.Errorf("still inconsistent: %v", left)
	}
}

func TestParseReplaceMetadata(t *testing.T) {
	v3 := `{"version":3,"sources":[{"name":"default","kind":"postgres","tables":[{"table":{"schema":"public","name":"author"}}],` + defaultConfigJSON + `}]}`
	tests := []struct {
		name, args, export string
		allow              bool
		err                *APIError
	}{{
		name: "v1: the document itself", args: v3, export: v3,
	}, {
		name: "v2: document and flag", args: `{"allow_inconsistent_metadata":true,"metadata":` + v3 + `}`, export: v3, allow: true,
	}, {
		name: "v2 without the flag", args: `{"metadata":` + v3 + `}`, export: v3,
	}, {
		name: "a version 1 document",
		args: `{"tables":[{"table":"author","object_relationships":[],"select_permissions":[]}],"functions":[{"schema":"public","name":"search"},"f"],` +
			`"remote_schemas":[{"name":"rs","definition":{"url":"http://x"}}],"query_templates":[]}`,
		export: `{"version":3,"sources":[{"name":"default","kind":"postgres","tables":[{"table":{"schema":"public","name":"author"}}],` +
			`"functions":[{"function":{"schema":"public","name":"search"}},{"function":{"schema":"public","name":"f"}}],` + defaultConfigJSON + `}],` +
			`"remote_schemas":[{"name":"rs","definition":{"url":"http://x"}}]}`,
	}, {
		name:   "a version 2 document",
		args:   `{"version":2,"tables":[],"functions":[{"function":{"schema":"public","name":"g"},"configuration":{"session_argument":"s"}}]}`,
		export: `{"version":3,"sources":[{"name":"default","kind":"postgres","tables":[],"functions":[{"function":{"schema":"public","name":"g"},"configuration":{"session_argument":"s"}}],` + defaultConfigJSON + `}]}`,
	}, {
		name: "unknown version", args: `{"version":4}`,
		err: apiErr(CodeParseFailed, "$.args.version", "expected 1, 2 or 3, encountered 4"),
	}, {
		name: "not an object", args: `[]`,
		err: apiErr(CodeParseFailed, "$.args", "parsing ReplaceMetadata failed, expected Object, but encountered Array"),
	}, {
		name: "a bad table", args: `{"metadata":{"version":3,"sources":[{"name":"default","kind":"postgres","tables":[{"tabel":"a"}]}]}}`,
		err: apiErr(CodeParseFailed, "$.args.metadata.sources[0].tables[0].tabel", `unknown field "tabel" (did you mean "table"?)`),
	}, {
		name: "a bad flag", args: `{"allow_inconsistent_metadata":"yes","metadata":{}}`,
		err: apiErr(CodeParseFailed, "$.args.allow_inconsistent_metadata", "parsing Bool failed, expected Boolean, but encountered String"),
	}}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			md, allow, err := ParseReplaceMetadata(json.RawMessage(tc.args))
			if tc.err != nil {
				checkAPIError(t, err, tc.err, "")
				return
			}
			if err != nil {
				t.Fatal(err)
			}
			if allow != tc.allow {
				t.Errorf("allow = %v", allow)
			}
			wantEqual(t, "export", string(ExportJSON(md)), tc.export)
		})
	}
}

func TestExportJSON(t *testing.T) {
	doc := `{"version":3,"sources":[{"name":"default","kind":"postgres","tables":[` +
		`{"table":{"schema":"public","name":"author"},"is_enum":true,"configuration":{"custom_name":"writer","custom_root_fields":{"select":{"name":"writers","comment":"c"}},"column_config":{"id":{"custom_name":"Id","comment":"k"}},"custom_column_names":{"id":"Id"}},` +
		`"array_relationships":[{"name":"articles","using":{"foreign_key_constraint_on":{"table":{"schema":"public","name":"article"},"columns":["author_id","x"]}},"comment":"<b>&</b>"}],` +
		`"select_permissions":[{"role":"user","permission":{"columns":"*","filter":{}}}],"event_triggers":[{"name":"e"}]},` +
		`{"table":{"schema":"s","name":"article"},"object_relationships":[{"name":"author","using":{"manual_configuration":{"remote_table":{"schema":"public","name":"author"},"column_mapping":{"b":"y","a":"x"},"insertion_order":"after_parent"}}}]}],` +
		`"functions":[{"function":{"schema":"public","name":"f"}}],` + defaultConfigJSON + `,"customization":{"root_fields":{"namespace":"n"}}},` +
		`{"name":"other","kind":"citus","tables":[]}],` +
		`"remote_schemas":[{"name":"rs"}],"actions":[{"name":"a","definition":{}}],"custom_types":{"objects":[{"name":"T"}]},` +
		`"metrics_config":{"analyze_query_variables":true},"inherited_roles":[{"role_name":"r","role_set":["a"]}]}`
	md := parseDoc(t, doc)
	out := ExportJSON(md)
	if strings.Contains(string(out), `\u003c`) {
		t.Errorf("HTML escaped: %s", out)
	}
	var again Metadata
	if err := json.Unmarshal(out, &again); err != nil {
		t.Fatalf("%v\n%s", err, out)
	}
	if !reflect.DeepEqual(md, &again) {
		t.Errorf("round trip changed the document:\n%s", out)
	}
	wantEqual(t, "export", string(out), doc)

	// Empty sections and configuration are left out; sources and tables
	// are always written.
	sparse := &Metadata{
		Sources: []Source{{Name: "default", Kind: "postgres", Tables: []TableEntry{{Table: pub("t"), Configuration: &TableConfig{},
			ApolloFederationConfig: json.RawMessage(`{}`)}}, QueryTags: json.RawMessage(`null`)},
			{Name: "x", Kind: "postgres"}},
		RemoteSchemas: json.RawMessage(`[]`), APILimits: json.RawMessage(` {} `),
	}
	wantEqual(t, "sparse", string(ExportJSON(sparse)),
		`{"version":3,"sources":[{"name":"default","kind":"postgres","tables":[{"table":{"schema":"public","name":"t"}}]},{"name":"x","kind":"postgres","tables":[]}]}`)
	wantEqual(t, "nil", string(ExportJSON(nil)), `{"version":3,"sources":[]}`)

	// Legacy custom_column_names are written as column_config.
	legacy := parseDoc(t, `{"version":3,"sources":[{"name":"default","kind":"postgres","tables":[{"table":"t","configuration":{"custom_column_names":{"a":"A"}}}]}]}`)
	wantEqual(t, "legacy", string(ExportJSON(legacy)),
		`{"version":3,"sources":[{"name":"default","kind":"postgres","tables":[{"table":{"schema":"public","name":"t"},"configuration":{"column_config":{"a":{"custom_name":"A"}},"custom_column_names":{"a":"A"}}}]}]}`)
}

func TestClone(t *testing.T) {
	md := parseDoc(t, purgeDoc)
	md.RemoteSchemas = json.RawMessage(`[{"name":"rs"}]`)
	want := ExportJSON(md)
	c := Clone(md)
	if !reflect.DeepEqual(c, md) {
		t.Fatal("clone differs")
	}
	// Change everything reachable in the clone.
	c.RemoteSchemas[2] = 'X'
	s := &c.Sources[0]
	s.Name = "x"
	e := &s.Tables[0]
	e.Configuration.ColumnConfig["id"] = ColumnConfig{CustomName: "changed"}
	e.ArrayRelationships[0].Using.ForeignKeyConstraintOn.Table.Name = "changed"
	e.ArrayRelationships[0].Using.ForeignKeyConstraintOn.Columns[0] = "changed"
	e.SelectPermissions[0][2] = 'X'
	s.Tables[2].ObjectRelationships[0].Using.ManualConfiguration.ColumnMapping[0].From = "changed"
	s.Tables[2].ObjectRelationships[0].Using.ManualConfiguration.RemoteTable.Name = "changed"
	if got := ExportJSON(md); string(got) != string(want) {
		t.Errorf("changing the clone changed the original:\n%s", got)
	}
	if Clone(nil) != nil {
		t.Error("Clone(nil) != nil")
	}
}
