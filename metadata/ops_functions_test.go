package metadata

import (
	"encoding/json"
	"reflect"
	"testing"

	"github.com/trellis-gql/trellis/engine/catalog"
)

// functionCatalog is testCatalog (search_articles, get_session,
// author_full_name, app.search) with pick, which has two overloads.
func functionCatalog() *catalog.Catalog {
	c := testCatalog()
	n := qn("public", "pick")
	for i := range 2 {
		c.Functions[n] = append(c.Functions[n], &catalog.Function{Name: n, OID: uint32(2000 + i), ReturnTypeOID: oidArticleRow, ReturnsSet: true, Volatility: 's'})
	}
	return c
}

// functionsOnlyDoc has no tables and two sources; default is the primary.
const functionsOnlyDoc = `{"version":3,"sources":[{"name":"default","kind":"postgres","tables":[]},{"name":"other","kind":"postgres","tables":[]}]}`

func TestTrackFunction(t *testing.T) {
	tests := []struct {
		name, doc, op, args string
		noCatalog           bool
		functions           string // the default source's functions after the operation
		err                 *APIError
		internal            string
	}{{
		name: "by name",
		op:   "track_function", args: `{"schema":"public","name":"search_articles"}`,
		functions: `[{"function":{"schema":"public","name":"search_articles"}}]`,
	}, {
		name:      "with configuration",
		op:        "pg_track_function",
		args:      `{"function":"get_session","configuration":{"session_argument":"hasura_session"},"comment":"c"}`,
		functions: `[{"function":{"schema":"public","name":"get_session"},"configuration":{"session_argument":"hasura_session"},"comment":"c"}]`,
	}, {
		name: "in another schema",
		op:   "pg_track_function", args: `{"source":"default","function":{"schema":"app","name":"search"}}`,
		functions: `[{"function":{"schema":"app","name":"search"}}]`,
	}, {
		name: "missing",
		op:   "pg_track_function", args: `{"function":"nope"}`,
		err: apiErr(CodeInvalidConfiguration, "$.args", `Inconsistent object: in function "nope": no such function exists: "nope"`),
		internal: `[{"type":"function","name":"function nope in source default",` +
			`"reason":"Inconsistent object: in function \"nope\": no such function exists: \"nope\"",` +
			`"definition":{"schema":"public","name":"nope"}}]`,
	}, {
		name: "missing, legacy form, another schema",
		op:   "track_function", args: `{"schema":"app","name":"nope"}`,
		err: apiErr(CodeInvalidConfiguration, "$.args", `Inconsistent object: in function "app.nope": no such function exists: "app.nope"`),
		internal: `[{"type":"function","name":"function app.nope in source default",` +
			`"reason":"Inconsistent object: in function \"app.nope\": no such function exists: \"app.nope\"",` +
			`"definition":{"schema":"app","name":"nope"}}]`,
	}, {
		name: "the same name in another schema is not it",
		op:   "track_function", args: `{"schema":"public","name":"search"}`,
		err: apiErr(CodeInvalidConfiguration, "$.args", `Inconsistent object: in function "search": no such function exists: "search"`),
	}, {
		name: "overloaded",
		op:   "track_function", args: `"pick"`,
		err: apiErr(CodeInvalidConfiguration, "$.args",
			`Inconsistent object: in function "pick": function "pick" is overloaded. Overloaded functions are not supported`),
	}, {
		name: "already tracked comes first",
		doc:  `{"version":3,"sources":[{"name":"default","kind":"postgres","tables":[],"functions":[{"function":"nope"}]}]}`,
		op:   "track_function", args: `"nope"`,
		err: apiErr(CodeAlreadyTracked, "$.args", `function already tracked: "nope"`),
	}, {
		name: "a table of the same name comes first",
		op:   "track_function", args: `"author"`,
		err: apiErr(CodeNotSupported, "$.args", `table with name "author" already exists`),
	}, {
		name: "no catalog: not checked",
		op:   "track_function", args: `"nope"`, noCatalog: true,
		functions: `[{"function":{"schema":"public","name":"nope"}}]`,
	}, {
		name: "a source that is not the primary one: not checked",
		doc:  functionsOnlyDoc,
		op:   "pg_track_function", args: `{"source":"other","function":"nope"}`,
		functions: `null`,
	}, {
		name: "missing in the primary source of a document with two",
		doc:  functionsOnlyDoc,
		op:   "pg_track_function", args: `{"source":"default","function":"nope"}`,
		err: apiErr(CodeInvalidConfiguration, "$.args", `Inconsistent object: in function "nope": no such function exists: "nope"`),
	}}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			doc := tc.doc
			if doc == "" {
				doc = opsDoc
			}
			cat := functionCatalog()
			if tc.noCatalog {
				cat = nil
			}
			md := parseDoc(t, doc)
			before := Clone(md)
			got, _, err := ApplyOp(md, cat, tc.op, json.RawMessage(tc.args))
			if !reflect.DeepEqual(md, before) {
				t.Errorf("ApplyOp modified its input")
			}
			if tc.err != nil {
				checkAPIError(t, err, tc.err, tc.internal)
				return
			}
			if err != nil {
				t.Fatalf("unexpected error: %v", err)
			}
			b, _ := json.Marshal(got.source(DefaultSource).Functions)
			wantEqual(t, "functions", string(b), tc.functions)
		})
	}
}

// Hasura's fixtures drop a function with run_sql in teardown and track it
// again in the next setup: the purge must forget it.
func TestTrackFunctionAfterPurge(t *testing.T) {
	md := parseDoc(t, `{"version":3,"sources":[{"name":"default","kind":"postgres","tables":[{"table":"article"}],"functions":[{"function":"search_articles"}]}]}`)
	dropped := functionCatalog()
	delete(dropped.Functions, qn("public", "search_articles"))
	purged := PurgeDropped(md, dropped)
	if fns := purged.Sources[0].Functions; fns != nil {
		t.Fatalf("functions after the purge: %s", fns)
	}
	if _, _, err := ApplyOp(purged, functionCatalog(), "track_function", json.RawMessage(`"search_articles"`)); err != nil {
		t.Errorf("track again: %v", err)
	}
}

// purgeFunctionsDoc tracks functions (one gone, one in another schema
// gone, one overloaded, one not readable) and computed fields of author
// (one whose function is gone) with permissions that use them.
const purgeFunctionsDoc = `{"version":3,"sources":[{"name":"default","kind":"postgres","tables":[
 {"table":"author",
  "computed_fields":[{"name":"full_name","definition":{"function":"author_full_name","table_argument":"a"}},
   {"name":"age","definition":{"function":{"schema":"public","name":"author_age"}},"comment":"years"}],
  "select_permissions":[
   {"role":"user","permission":{"columns":["id"],"computed_fields":["age"],"filter":{}}},
   {"role":"guest","permission":{"columns":["id"],"computed_fields":["full_name"],"filter":{}}},
   {"role":"editor","permission":{"columns":["id"],"filter":{"age":{"_gt":18}}}},
   {"role":"reader","permission":{"columns":["id"],"filter":{"full_name":{"_like":"A%"}}}}]},
 {"table":"article"}],
 "functions":[{"function":"search_articles"},{"function":"gone"},{"function":{"schema":"app","name":"search"}},
  {"function":{"schema":"app","name":"gone"},"configuration":{"custom_root_fields":{"function":"f"}}},
  {"function":"pick"},{"function":7}]}]}`

func TestPurgeDroppedFunctions(t *testing.T) {
	md := parseDoc(t, purgeFunctionsDoc)
	before := Clone(md)
	cat := functionCatalog()
	got := PurgeDropped(md, cat)
	if !reflect.DeepEqual(md, before) {
		t.Error("PurgeDropped modified its input")
	}
	fns, _ := json.Marshal(got.Sources[0].Functions)
	wantEqual(t, "functions", string(fns),
		`[{"function":"search_articles"},{"function":{"schema":"app","name":"search"}},{"function":"pick"},{"function":7}]`)
	wantEqual(t, "author", entryJSON(t, got, "author"), `{"table":{"schema":"public","name":"author"},`+
		`"select_permissions":[{"role":"guest","permission":{"columns":["id"],"computed_fields":["full_name"],"filter":{}}},`+
		`{"role":"reader","permission":{"columns":["id"],"filter":{"full_name":{"_like":"A%"}}}}],`+
		`"computed_fields":[{"name":"full_name","definition":{"function":"author_full_name","table_argument":"a"}}]}`)

	// Nothing gone: the document is unchanged.
	cat.Functions[qn("public", "author_age")] = []*catalog.Function{{Name: qn("public", "author_age")}}
	cat.Functions[qn("public", "gone")] = []*catalog.Function{{Name: qn("public", "gone")}}
	cat.Functions[qn("app", "gone")] = []*catalog.Function{{Name: qn("app", "gone")}}
	if got := PurgeDropped(md, cat); !reflect.DeepEqual(got, md) {
		t.Errorf("with every function present the document changed: %s", ExportJSON(got))
	}

	// A catalog without functions removes them all, but not the others.
	noFunctions := testCatalog()
	noFunctions.Functions = nil
	got = PurgeDropped(md, noFunctions)
	if fns := got.Sources[0].Functions; len(fns) != 1 || string(fns[0]) != `{"function":7}` {
		t.Errorf("functions with no function in the catalog: %s", fns)
	}
	wantEqual(t, "author", entryJSON(t, got, "author"), `{"table":{"schema":"public","name":"author"}}`)
}
