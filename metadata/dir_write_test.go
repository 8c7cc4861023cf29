package metadata

import (
	"bytes"
	"encoding/json"
	"maps"
	"os"
	"path/filepath"
	"slices"
	"sort"
	"strings"
	"testing"
)

// Round trips: a document rendered, written and read back is the same
// document (as ExportJSON writes it), and renders to the same files.

const rtTablesDoc = `{"version":3,"sources":[{"name":"default","kind":"postgres","tables":[
 {"table":{"schema":"public","name":"article"},"object_relationships":[{"name":"author","using":{"foreign_key_constraint_on":"author_id"}}]},
 {"table":{"schema":"public","name":"author"},
  "configuration":{"custom_name":"Writer","custom_root_fields":{"select":"writers","select_by_pk":{"name":"writer","comment":"One writer"}},
   "column_config":{"first_name":{"custom_name":"firstName","comment":"Given name"}},"custom_column_names":{"first_name":"firstName"},"comment":"People who write"},
  "object_relationships":[{"name":"profile","using":{"manual_configuration":{"remote_table":{"schema":"public","name":"profile"},"column_mapping":{"id":"author_id","org":"org_id"},"insertion_order":"after_parent"}},"comment":"The profile"}],
  "array_relationships":[{"name":"articles","using":{"foreign_key_constraint_on":{"table":{"schema":"public","name":"article"},"columns":["author_id","org_id"]}}}],
  "select_permissions":[{"role":"user","permission":{"columns":["id","first_name"],"computed_fields":["full_name"],"filter":{"id":{"_eq":"X-Hasura-User-Id"}},"limit":10,"allow_aggregations":true},"comment":"own row"}],
  "insert_permissions":[{"role":"user","permission":{"check":{"id":{"_eq":"X-Hasura-User-Id"}},"set":{"org":"x-hasura-org"},"columns":["first_name"],"backend_only":true}}],
  "update_permissions":[{"role":"user","permission":{"columns":["first_name"],"filter":{},"check":null}}],
  "delete_permissions":[{"role":"admin2","permission":{"filter":{"_and":[{"id":{"_gt":0}},{"_not":{"id":{"_in":[1,2.5,-3e2]}}}]}}}],
  "computed_fields":[{"name":"full_name","definition":{"function":{"name":"author_full_name","schema":"public"},"table_argument":"a"},"comment":"First and last"}],
  "remote_relationships":[{"name":"stats","definition":{"to_remote_schema":{"remote_schema":"stats","lhs_fields":["id"],"remote_field":{"author":{"arguments":{"id":"$id"}}}}}}],
  "event_triggers":[{"name":"author_changed","definition":{"enable_manual":false,"insert":{"columns":"*"}},"retry_conf":{"interval_sec":10,"num_retries":0,"timeout_sec":60},"webhook_from_env":"HOOK"}]},
 {"table":{"schema":"reports","name":"status"},"is_enum":true}],
 "functions":[{"function":{"name":"search_articles","schema":"public"},"configuration":{"exposed_as":"query","custom_root_fields":{"function":"search"}},"permissions":[{"role":"user"}]},
  {"function":{"name":"author_full_name","schema":"public"}}],
 "configuration":{"connection_info":{"database_url":{"from_env":"HASURA_GRAPHQL_DATABASE_URL"},"isolation_level":"read-committed","use_prepared_statements":true}}}]}`

const rtTwoSourcesDoc = `{"version":3,"sources":[
 {"name":"default","kind":"postgres","tables":[{"table":{"schema":"public","name":"t"}}],"configuration":{"connection_info":{"database_url":"postgres://x"}}},
 {"name":"other db","kind":"postgres","tables":[{"table":{"schema":"s","name":"u"},"array_relationships":[{"name":"ts","using":{"manual_configuration":{"remote_table":{"schema":"public","name":"t"},"column_mapping":{"id":"u_id"}}}}]}],
  "functions":[{"function":{"name":"f","schema":"s"}}],
  "configuration":{"connection_info":{"database_url":{"from_env":"OTHER_URL"},"pool_settings":{"max_connections":5}}},
  "query_tags":{"format":"standard"},"customization":{"root_fields":{"namespace":"other","prefix":"o_"},"type_names":{"prefix":"O_"}},
  "health_check":{"test":{"sql":"SELECT 1"},"interval":300}}]}`

const rtActionsDoc = `{"version":3,"sources":[],
 "actions":[
  {"name":"login","definition":{"handler":"{{AUTH_URL}}/login","output_type":"LoginOutput!","forward_client_headers":true,"headers":[{"name":"x-secret","value_from_env":"SECRET"}],
    "arguments":[{"name":"credentials","type":"Credentials!","description":"Who logs in"},{"name":"remember","type":"Boolean"}],
    "request_transform":{"body":{"action":"transform","template":"{\n  \"u\": {{$body.input.credentials.username}} \n}"},"method":"POST","template_engine":"Kriti","version":2},
    "type":"mutation","kind":"asynchronous","timeout":10},"comment":"Logs a user in","permissions":[{"role":"anonymous"},{"role":"user","comment":"again"}]},
  {"name":"me","definition":{"handler":"http://auth/me","output_type":"[UserInfo!]","type":"query"},"permissions":[{"role":"user"}]},
  {"name":"ping","definition":{"handler":"http://auth/ping","output_type":"Boolean","type":"mutation","kind":"synchronous"}}],
 "custom_types":{
  "input_objects":[{"name":"Credentials","fields":[{"name":"username","type":"String!","description":"Login name"},{"name":"password","type":"Password!"},{"name":"roles","type":"[Role!]"}],"description":"How to log in"}],
  "objects":[{"name":"LoginOutput","fields":[{"name":"token","type":"String!"},{"name":"user_id","type":"uuid!","description":"The user"},{"name":"scopes","type":"[String]","arguments":[{"name":"prefix","type":"String","description":"only these"}]}],
    "description":"A session","relationships":[{"field_mapping":{"user_id":"id"},"name":"user","remote_table":{"name":"users","schema":"public"},"source":"default","type":"object"}]},
   {"name":"UserInfo","fields":[{"name":"id","type":"uuid!"}]}],
  "scalars":[{"name":"Password","description":"A secret"},{"name":"uuid"}],
  "enums":[{"name":"Role","values":[{"description":"Can do anything","value":"admin"},{"is_deprecated":true,"value":"guest"},{"value":"user"}],"description":"Roles"}]}}`

const rtOthersDoc = `{"version":3,"sources":[],
 "remote_schemas":[{"name":"stats","definition":{"url_from_env":"STATS_URL","timeout_seconds":60,"customization":{"root_fields_namespace":"stats"},"headers":[{"name":"x-a","value":"b"}],"forward_client_headers":true},
   "comment":"Statistics","permissions":[{"role":"user","definition":{"schema":"type Query {\n  author(id: Int!): Int\n}\n"}}]}],
 "query_collections":[{"name":"allowed-queries","definition":{"queries":[{"name":"q1","query":"query q1 {\n  author {\n    id\n  }\n}"},{"name":"q2","query":"query { ok }"}]},"comment":"the list"}],
 "allowlist":[{"collection":"allowed-queries","scope":{"global":true}}],
 "cron_triggers":[{"name":"nightly","webhook":"{{BASE}}/nightly","schedule":"0 3 * * *","include_in_metadata":true,"payload":{"k":[1,true,null,"v"]},
   "retry_conf":{"num_retries":3,"retry_interval_seconds":10,"timeout_seconds":60,"tolerance_seconds":21600},"headers":[{"name":"x","value":"y"}],"comment":"Runs at 3:00\nevery night"}],
 "rest_endpoints":[{"comment":"","definition":{"query":{"collection_name":"allowed-queries","query_name":"q1"}},"methods":["GET","POST"],"name":"q1","url":"authors/:id"}],
 "api_limits":{"disabled":false,"rate_limit":{"global":{"max_reqs_per_min":100,"unique_params":"IP"},"per_role":{}}},
 "metrics_config":{"analyze_query_variables":true,"analyze_response_body":false},
 "inherited_roles":[{"role_name":"editor","role_set":["user","reviewer"]}],
 "graphql_schema_introspection":{"disabled_for_roles":["anonymous"]},
 "network":{"http_client":{"proxy":{"http_proxy":"http://p:3128"}},"tls_allowlist":[{"host":"h","suffix":null,"permissions":["self-signed"]}]},
 "backend_configs":{"dataconnector":{"sqlite":{"uri":"http://sqlite:8100"}}},
 "opentelemetry":{"status":"enabled","data_types":["traces"],"exporter_otlp":{"otlp_traces_endpoint":"http://otel:4318/v1/traces"},"batch_span_processor":{"max_export_batch_size":512}}}`

// rtStringsDoc holds values YAML reads differently unless quoted.
const rtStringsDoc = `{"version":3,"sources":[],"remote_schemas":[{"name":"s","definition":{"url":"http://x"},"comment":"c"}],
 "cron_triggers":[{"name":"odd","webhook":"w","schedule":"* * * * *","include_in_metadata":true,"payload":{
  "true":"true","null":"null","num":"123","float":"1.5","tilde":"~","yes":"yes","colon":"a: b","hash":"a #b","dash":"- x","bang":"!includex","bang2":"! include x",
  "star":"*a","amp":"&a","quote":"'q'","dq":"\"q\"","lead":"  lead","trail":"trail  ","nl":"a\nb","nlend":"a\n","nls":"\n\n","crlf":"a\r\nb",
  "tab":"a\tb","ctl":"a\u0001b","nel":"a` + "\u0085" + `b","ls":"a\u2028b","bom":"` + "\ufeff" + `x","uni":"żółć 🌍","empty":"","space":" ","long":"` + "0123456789012345678901234567890123456789012345678901234567890123456789012345678901234567890123456789 long" + `",
  "trailnl":"line one \nline two","indent":"  a\n b","<<":"merge","":"empty key","a\nb":"nl key","n1":1e5,"n2":-0.5,"n3":12345678901234567890,"n4":0,"list":[[],{},[{}]]}}]}`

// rtStockDoc is in Hasura's own key order (table names name first), which
// ExportJSON does not keep.
const rtStockDoc = `{"version":3,"sources":[{"name":"default","kind":"postgres","tables":[{"table":{"name":"b","schema":"public"},
 "object_relationships":[{"name":"a","using":{"foreign_key_constraint_on":"a_id"}}],"insert_permissions":[{"role":"u","permission":{"check":{},"columns":["x"]}}],
 "select_permissions":[{"role":"u","permission":{"columns":["x"],"filter":{}}}]}],"configuration":{"connection_info":{"database_url":{"from_env":"DB"}}}}]}`

func TestRenderDirRoundTrip(t *testing.T) {
	cases := []struct {
		name string
		doc  string
		// canonical: the document is as ExportJSON writes it, so
		// DirDocument gives it back byte for byte.
		canonical bool
	}{
		{"tables", rtTablesDoc, true},
		{"two sources", rtTwoSourcesDoc, true},
		{"actions", rtActionsDoc, true},
		{"other sections", rtOthersDoc, true},
		{"strings", rtStringsDoc, true},
		{"stock order", rtStockDoc, false},
		{"empty", `{"version":3,"sources":[]}`, true},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			want := exportOf(t, c.doc)
			if c.canonical {
				wantEqual(t, "ExportJSON of the document", string(want), compactJSON(t, c.doc))
			}
			files, err := RenderDir(json.RawMessage(c.doc))
			if err != nil {
				t.Fatal(err)
			}
			dir := t.TempDir()
			if _, err := WriteDir(dir, files); err != nil {
				t.Fatal(err)
			}
			got, err := DirDocument(dir)
			if err != nil {
				t.Fatal(err)
			}
			wantEqual(t, "DirDocument", string(got), string(want))
			again, err := RenderDir(got)
			if err != nil {
				t.Fatal(err)
			}
			if c.canonical && !maps.EqualFunc(files, again, bytes.Equal) {
				t.Errorf("rendering the document read back gave other files")
			}
			if changed, err := WriteDir(dir, again); err != nil || (c.canonical && len(changed) > 0) {
				t.Errorf("second WriteDir: changed %v, error %v", changed, err)
			}
		})
	}
}

// exportOf is doc as ExportJSON writes it.
func exportOf(t *testing.T, doc string) json.RawMessage {
	t.Helper()
	md := &Metadata{}
	if err := json.Unmarshal([]byte(doc), md); err != nil {
		t.Fatal(err)
	}
	return ExportJSON(md)
}

func compactJSON(t *testing.T, doc string) string {
	t.Helper()
	var b bytes.Buffer
	if err := json.Compact(&b, []byte(doc)); err != nil {
		t.Fatal(err)
	}
	return b.String()
}

// TestRenderDirLayout checks the files and their text against the Hasura
// CLI's layout.
func TestRenderDirLayout(t *testing.T) {
	files, err := RenderDir(json.RawMessage(rtTwoSourcesDoc))
	if err != nil {
		t.Fatal(err)
	}
	names := slices.Sorted(maps.Keys(files))
	wantNames := []string{"actions.graphql", "actions.yaml", "allow_list.yaml", "api_limits.yaml", "backend_configs.yaml",
		"cron_triggers.yaml", "databases/databases.yaml", "databases/default/tables/public_t.yaml",
		"databases/default/tables/tables.yaml", "databases/other db/functions/functions.yaml",
		"databases/other db/functions/s_f.yaml", "databases/other db/tables/s_u.yaml", "databases/other db/tables/tables.yaml",
		"graphql_schema_introspection.yaml", "inherited_roles.yaml", "metrics_config.yaml", "network.yaml",
		"opentelemetry.yaml", "query_collections.yaml", "remote_schemas.yaml", "rest_endpoints.yaml", "version.yaml"}
	wantEqual(t, "files", strings.Join(names, "\n"), strings.Join(wantNames, "\n"))
	for _, c := range []struct{ file, want string }{
		{"version.yaml", "version: 3\n"},
		{"databases/databases.yaml", `- name: default
  kind: postgres
  configuration:
    connection_info:
      database_url: postgres://x
  tables: "!include default/tables/tables.yaml"
- name: other db
  kind: postgres
  configuration:
    connection_info:
      database_url:
        from_env: OTHER_URL
      pool_settings:
        max_connections: 5
  query_tags:
    format: standard
  customization:
    root_fields:
      namespace: other
      prefix: o_
    type_names:
      prefix: O_
  health_check:
    test:
      sql: SELECT 1
    interval: 300
  tables: "!include other db/tables/tables.yaml"
  functions: "!include other db/functions/functions.yaml"
`},
		{"databases/other db/tables/tables.yaml", "- \"!include s_u.yaml\"\n"},
		{"databases/other db/tables/s_u.yaml", `table:
  name: u
  schema: s
array_relationships:
  - name: ts
    using:
      manual_configuration:
        remote_table:
          name: t
          schema: public
        column_mapping:
          id: u_id
`},
		{"databases/other db/functions/functions.yaml", "- \"!include s_f.yaml\"\n"},
		{"databases/other db/functions/s_f.yaml", "function:\n  name: f\n  schema: s\n"},
		{"actions.yaml", "actions: []\ncustom_types:\n  enums: []\n  input_objects: []\n  objects: []\n  scalars: []\n"},
		{"actions.graphql", ""},
		{"graphql_schema_introspection.yaml", "disabled_for_roles: []\n"},
		{"allow_list.yaml", "[]\n"},
		{"metrics_config.yaml", "{}\n"},
	} {
		wantEqual(t, c.file, string(files[c.file]), c.want)
	}
}

// TestDirEmptyForms: every top-level file has its empty form.
func TestDirEmptyForms(t *testing.T) {
	seen := map[string]bool{}
	for _, rf := range metadataRawFields {
		if rf.file == "" {
			continue
		}
		seen[rf.file] = true
		if _, ok := dirEmptyForms[rf.file]; !ok {
			t.Errorf("%s has no empty form", rf.file)
		}
	}
	for f := range dirEmptyForms {
		if !seen[f] {
			t.Errorf("%s is not a file of metadataRawFields", f)
		}
	}
}

func TestRenderDirFileNames(t *testing.T) {
	table := func(schema, name string) string {
		b, _ := json.Marshal(map[string]any{"table": map[string]string{"schema": schema, "name": name}})
		return string(b)
	}
	cases := []struct {
		name   string
		tables []string
		want   []string
		// unread: LoadDir cannot read these table names back.
		unread bool
	}{
		{"plain", []string{table("public", "a"), table("s", "b")}, []string{"public_a.yaml", "s_b.yaml"}, false},
		{"underscore clash", []string{table("a_b", "c"), table("a", "b_c")}, []string{"a_b_c.yaml", "a_b_c_2.yaml"}, false},
		{"suffix taken by a table", []string{table("a", "x"), table("a", "x"), table("a", "x_2")}, []string{"a_x.yaml", "a_x_3.yaml", "a_x_2.yaml"}, false},
		{"case clash", []string{table("public", "Users"), table("public", "users")}, []string{"public_Users.yaml", "public_users_2.yaml"}, false},
		{"separators", []string{table("public", "a/b"), table("public", `a\b`), table(" s", "t")}, []string{"public_a%2Fb.yaml", "public_a%5Cb.yaml", "%20s_t.yaml"}, false},
		{"data connector names", []string{`{"table":["db","main","tables"]}`, `{"table":["tables"]}`}, []string{"db_main_tables.yaml", "tables_2.yaml"}, true},
		{"bare name", []string{`{"table":"t"}`}, []string{"public_t.yaml"}, false},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			doc := `{"version":3,"sources":[{"name":"default","kind":"postgres","tables":[` + strings.Join(c.tables, ",") + `]}]}`
			files, err := RenderDir(json.RawMessage(doc))
			if err != nil {
				t.Fatal(err)
			}
			var includes []string
			for _, line := range strings.Split(strings.TrimSpace(string(files["databases/default/tables/tables.yaml"])), "\n") {
				includes = append(includes, strings.TrimSuffix(strings.TrimPrefix(line, `- "!include `), `"`))
			}
			wantEqual(t, "includes", strings.Join(includes, "\n"), strings.Join(c.want, "\n"))
			for _, f := range c.want {
				if files["databases/default/tables/"+f] == nil {
					t.Errorf("no file %s", f)
				}
			}
			if c.unread {
				return
			}
			dir := t.TempDir()
			if _, err := WriteDir(dir, files); err != nil {
				t.Fatal(err)
			}
			md, err := LoadDir(dir)
			if err != nil {
				t.Fatal(err)
			}
			if n := len(md.Sources[0].Tables); n != len(c.tables) {
				t.Errorf("read back %d tables, want %d", n, len(c.tables))
			}
		})
	}
}

func TestRenderDirSourceFolders(t *testing.T) {
	doc := `{"version":3,"sources":[{"name":"db","kind":"postgres","tables":[{"table":{"schema":"public","name":"t"}}]},` +
		`{"name":"DB","kind":"postgres","tables":[]},{"name":"a/b","kind":"postgres","tables":[]},{"name":"..","kind":"postgres","tables":[]}]}`
	files, err := RenderDir(json.RawMessage(doc))
	if err != nil {
		t.Fatal(err)
	}
	for _, f := range []string{"databases/db/tables/public_t.yaml", "databases/DB_2/tables/tables.yaml",
		"databases/a%2Fb/tables/tables.yaml", "databases/%2E%2E/tables/tables.yaml"} {
		if files[f] == nil {
			t.Errorf("no file %s", f)
		}
	}
	dir := t.TempDir()
	if _, err := WriteDir(dir, files); err != nil {
		t.Fatal(err)
	}
	got, err := DirDocument(dir)
	if err != nil {
		t.Fatal(err)
	}
	wantEqual(t, "document read back", string(got), string(exportOf(t, doc)))
}

func TestRenderDirErrors(t *testing.T) {
	cases := []struct{ name, doc, want string }{
		{"not an object", `[]`, "expected an object"},
		{"bad json", `{"version":3,`, "invalid JSON"},
		{"version 2", `{"version":2,"tables":[]}`, "only version 3"},
		{"no version", `{"sources":[]}`, `missing field "version"`},
		{"unknown key", `{"version":3,"sources":[],"logical_models":[]}`, `"logical_models" has no place`},
		{"source without name", `{"version":3,"sources":[{"kind":"postgres","tables":[]}]}`, "a source needs a name"},
		{"functions not a list", `{"version":3,"sources":[{"name":"d","kind":"postgres","tables":[],"functions":{}}]}`, "expected a list"},
		{"table without name", `{"version":3,"sources":[{"name":"d","kind":"postgres","tables":[{"is_enum":true}]}]}`, `missing field "table"`},
		{"action without output", `{"version":3,"sources":[],"actions":[{"name":"a","definition":{"handler":"h"}}]}`, `missing field "output_type"`},
		{"bad action name", `{"version":3,"sources":[],"actions":[{"name":"a-b","definition":{"handler":"h","output_type":"X"}}]}`, `"a-b" is not a GraphQL name`},
		{"bad type", `{"version":3,"sources":[],"actions":[{"name":"a","definition":{"handler":"h","output_type":"[X"}}]}`, `"[X" is not a GraphQL type`},
		{"empty enum", `{"version":3,"sources":[],"custom_types":{"enums":[{"name":"E","values":[]}]}}`, `"values" must not be empty`},
		{"field arguments", `{"version":3,"sources":[],"custom_types":{"objects":[{"name":"O","fields":[{"name":"f","type":"Int","arguments":{"x":1}}]}]}}`, "cannot be written in actions.graphql"},
		{"include string", `{"version":3,"sources":[],"remote_schemas":[{"name":"r","definition":{"url":"!include x.yaml"}}]}`, "would be read as an include"},
		{"custom types key", `{"version":3,"sources":[],"custom_types":{"unions":[]}}`, `unknown field "unions"`},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			_, err := RenderDir(json.RawMessage(c.doc))
			if err == nil || !strings.Contains(err.Error(), c.want) {
				t.Errorf("error %v, want one containing %q", err, c.want)
			}
		})
	}
}

// TestRenderDirTutoring: the example directory renders the same files
// twice, and they read back as the same document.
func TestRenderDirTutoring(t *testing.T) {
	doc, err := DirDocument("../examples/tutoring/metadata")
	if err != nil {
		t.Fatal(err)
	}
	first, err := RenderDir(doc)
	if err != nil {
		t.Fatal(err)
	}
	second, err := RenderDir(doc)
	if err != nil {
		t.Fatal(err)
	}
	if !maps.EqualFunc(first, second, bytes.Equal) {
		t.Fatal("rendering twice gave different files")
	}
	dir := t.TempDir()
	if _, err := WriteDir(dir, first); err != nil {
		t.Fatal(err)
	}
	again, err := DirDocument(dir)
	if err != nil {
		t.Fatal(err)
	}
	wantEqual(t, "document read back", string(again), string(doc))
	want := "table:\n  name: matches\n  schema: public\nobject_relationships:\n  - name: student\n"
	if got := string(first["databases/default/tables/public_matches.yaml"]); !strings.HasPrefix(got, want) {
		t.Errorf("public_matches.yaml:\n%s\nwant it to start with\n%s", got, want)
	}
}

func TestWriteDir(t *testing.T) {
	doc := func(tables ...string) map[string][]byte {
		var list []string
		for _, tb := range tables {
			list = append(list, `{"table":{"schema":"public","name":"`+tb+`"}}`)
		}
		files, err := RenderDir(json.RawMessage(`{"version":3,"sources":[{"name":"default","kind":"postgres","tables":[` +
			strings.Join(list, ",") + `]},{"name":"extra","kind":"postgres","tables":[]}]}`))
		if err != nil {
			t.Fatal(err)
		}
		return files
	}
	dir := t.TempDir()
	keep := map[string]string{"README.md": "kept", ".git/config.yaml": "kept", "databases/default/notes.txt": "kept"}
	for name, body := range keep {
		writeFile(t, filepath.Join(dir, name), body)
	}
	writeFile(t, filepath.Join(dir, "databases/stale/tables/public_old.yaml"), "table: old\n")
	steps := []struct {
		name  string
		files map[string][]byte
		want  []string
	}{
		{"first", doc("a", "b"), append(slices.Sorted(maps.Keys(doc("a", "b"))), "databases/stale/tables/public_old.yaml")},
		{"same again", doc("a", "b"), nil},
		{"untrack b", doc("a"), []string{"databases/default/tables/public_b.yaml", "databases/default/tables/tables.yaml"}},
		{"drop source extra", without(doc("a"), "extra"), []string{"databases/databases.yaml", "databases/extra/tables/tables.yaml"}},
		{"nothing left to do", without(doc("a"), "extra"), nil},
	}
	for _, s := range steps {
		changed, err := WriteDir(dir, s.files)
		if err != nil {
			t.Fatalf("%s: %v", s.name, err)
		}
		sort.Strings(s.want)
		wantEqual(t, s.name+": changed", strings.Join(changed, "\n"), strings.Join(s.want, "\n"))
	}
	for name, body := range keep {
		if b, err := os.ReadFile(filepath.Join(dir, name)); err != nil || string(b) != body {
			t.Errorf("%s was not left alone", name)
		}
	}
	for _, gone := range []string{"databases/extra", "databases/stale"} {
		if _, err := os.Stat(filepath.Join(dir, gone)); !os.IsNotExist(err) {
			t.Errorf("%s still exists (%v)", gone, err)
		}
	}
	if _, err := WriteDir(dir, map[string][]byte{"../x.yaml": nil}); err == nil {
		t.Error("a path leaving the directory was accepted")
	}
}

// without drops the source name from files rendered by RenderDir.
func without(files map[string][]byte, source string) map[string][]byte {
	out := map[string][]byte{}
	for name, body := range files {
		if !strings.HasPrefix(name, "databases/"+source+"/") {
			out[name] = body
		}
	}
	s := string(out["databases/databases.yaml"])
	s = s[:strings.Index(s, "- name: "+source+"\n")]
	out["databases/databases.yaml"] = []byte(s)
	return out
}

func writeFile(t *testing.T, p, body string) {
	t.Helper()
	if err := os.MkdirAll(filepath.Dir(p), 0o755); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(p, []byte(body), 0o644); err != nil {
		t.Fatal(err)
	}
}

// TestWriteDirThroughSymlink: a metadata directory reached through a
// symbolic link is cleaned up like any other.
func TestWriteDirThroughSymlink(t *testing.T) {
	real := t.TempDir()
	writeFile(t, filepath.Join(real, "stale.yaml"), "x: 1\n")
	link := filepath.Join(t.TempDir(), "metadata")
	if err := os.Symlink(real, link); err != nil {
		t.Skip("no symbolic links:", err)
	}
	changed, err := WriteDir(link, map[string][]byte{"version.yaml": []byte("version: 3\n")})
	if err != nil {
		t.Fatal(err)
	}
	wantEqual(t, "changed", strings.Join(changed, " "), "stale.yaml version.yaml")
}

// FuzzRenderDir: no document makes RenderDir panic, and what it renders
// renders the same again.
func FuzzRenderDir(f *testing.F) {
	for _, d := range []string{rtTablesDoc, rtTwoSourcesDoc, rtActionsDoc, rtOthersDoc, rtStringsDoc, rtStockDoc} {
		f.Add(d)
	}
	f.Fuzz(func(t *testing.T, doc string) {
		a, err := RenderDir(json.RawMessage(doc))
		if err != nil {
			return
		}
		b, err := RenderDir(json.RawMessage(doc))
		if err != nil || !maps.EqualFunc(a, b, bytes.Equal) {
			t.Fatalf("rendering twice differs (%v)", err)
		}
	})
}
