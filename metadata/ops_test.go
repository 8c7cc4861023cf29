package metadata

import (
	"encoding/json"
	"errors"
	"reflect"
	"testing"
)

// opsDoc is the document most operation tests start from, consistent with
// testCatalog: author ⇄ article by the author_id key, a permission of
// article that goes through article.author, and comment.
const opsDoc = `{"version":3,"sources":[{"name":"default","kind":"postgres","tables":[
 {"table":{"schema":"public","name":"author"},
  "array_relationships":[{"name":"articles","using":{"foreign_key_constraint_on":{"table":"article","column":"author_id"}}}],
  "select_permissions":[{"role":"user","permission":{"columns":["id","name"],"filter":{"id":{"_eq":"X-Hasura-User-Id"}}}}]},
 {"table":{"schema":"public","name":"article"},
  "object_relationships":[{"name":"author","using":{"foreign_key_constraint_on":"author_id"}}],
  "select_permissions":[{"role":"user","permission":{"columns":"*","filter":{"_or":[{"author":{"id":{"_eq":"X-Hasura-User-Id"}}},{"id":{"_eq":1}}]}}}]},
 {"table":{"schema":"public","name":"comment"}}],
 "configuration":{"connection_info":{"database_url":{"from_env":"HASURA_GRAPHQL_DATABASE_URL"}}}}]}`

const defaultConfigJSON = `"configuration":{"connection_info":{"database_url":{"from_env":"HASURA_GRAPHQL_DATABASE_URL"}}}`

func parseDoc(t *testing.T, doc string) *Metadata {
	t.Helper()
	md := &Metadata{}
	if err := json.Unmarshal([]byte(doc), md); err != nil {
		t.Fatalf("test document: %v", err)
	}
	return md
}

// entryJSON renders the entry of table name in the default source.
func entryJSON(t *testing.T, md *Metadata, name string) string {
	t.Helper()
	s := md.source(DefaultSource)
	if s == nil || s.entry(pub(name)) < 0 {
		t.Fatalf("table %s is not tracked", name)
	}
	b, err := json.Marshal(s.Tables[s.entry(pub(name))])
	if err != nil {
		t.Fatal(err)
	}
	return string(b)
}

func wantEqual(t *testing.T, what, got, want string) {
	t.Helper()
	if got != want {
		t.Errorf("%s\n got %s\nwant %s", what, got, want)
	}
}

// opCase is one operation on a document and what it must give.
type opCase struct {
	name string
	doc  string // opsDoc when ""
	op   string
	args string
	// On success: the response ({"message":"success"} when "") and checks.
	resp  string
	check func(t *testing.T, md *Metadata)
	// On failure: the error and, when set, its internal as JSON.
	err      *APIError
	internal string
}

func runOpCases(t *testing.T, cases []opCase) {
	t.Helper()
	cat := testCatalog()
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			doc := tc.doc
			if doc == "" {
				doc = opsDoc
			}
			md := parseDoc(t, doc)
			before := Clone(md)
			got, resp, err := ApplyOp(md, cat, tc.op, json.RawMessage(tc.args))
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
			want := tc.resp
			if want == "" {
				want = `{"message":"success"}`
			}
			wantEqual(t, "response", string(resp), want)
			if tc.check != nil {
				tc.check(t, got)
			}
		})
	}
}

func checkAPIError(t *testing.T, err error, want *APIError, internal string) {
	t.Helper()
	var ae *APIError
	if !errors.As(err, &ae) {
		t.Fatalf("error %v (%T) is not an *APIError", err, err)
	}
	status := want.Status
	if status == 0 {
		status = 400
	}
	if ae.Status != status || ae.Code != want.Code || ae.Path != want.Path || ae.Message != want.Message {
		t.Errorf("error\n got %d %s %s %q\nwant %d %s %s %q", ae.Status, ae.Code, ae.Path, ae.Message,
			status, want.Code, want.Path, want.Message)
	}
	if internal != "" {
		b, err := json.Marshal(ae.Internal)
		if err != nil {
			t.Fatal(err)
		}
		wantEqual(t, "internal", string(b), internal)
	}
}

func apiErr(code, path, msg string) *APIError { return &APIError{Code: code, Path: path, Message: msg} }

func TestTableOps(t *testing.T) {
	runOpCases(t, []opCase{{
		name: "track_table with the table name alone",
		op:   "track_table", args: `{"name":"city"}`,
		check: func(t *testing.T, md *Metadata) {
			wantEqual(t, "city", entryJSON(t, md, "city"), `{"table":{"schema":"public","name":"city"}}`)
		},
	}, {
		name: "pg_track_table with options",
		op:   "pg_track_table",
		args: `{"source":"default","table":{"schema":"content","name":"tag"},"configuration":{"custom_name":"tags","custom_column_names":{"slug":"Slug"}}}`,
		check: func(t *testing.T, md *Metadata) {
			s := md.source(DefaultSource)
			b, _ := json.Marshal(s.Tables[len(s.Tables)-1])
			wantEqual(t, "tag", string(b), `{"table":{"schema":"content","name":"tag"},"configuration":{"custom_name":"tags","column_config":{"slug":{"custom_name":"Slug"}},"custom_column_names":{"slug":"Slug"}}}`)
		},
	}, {
		name: "legacy track_table with a table key",
		op:   "track_table", args: `{"table":"city"}`,
	}, {
		name: "already tracked",
		op:   "track_table", args: `{"table":"author"}`,
		err: apiErr(CodeAlreadyTracked, "$.args", `view/table already tracked: "author"`),
	}, {
		name: "no such table",
		op:   "pg_track_table", args: `{"table":"nope"}`,
		err: apiErr(CodeInvalidConfiguration, "$.args", `Inconsistent object: no such table/view exists in source: "nope"`),
		internal: `[{"type":"table","name":"table nope in source default",` +
			`"reason":"Inconsistent object: no such table/view exists in source: \"nope\"","definition":{"schema":"public","name":"nope"}}]`,
	}, {
		name: "a function of the same name",
		doc:  `{"version":3,"sources":[{"name":"default","kind":"postgres","tables":[],"functions":[{"function":{"schema":"public","name":"city"}}]}]}`,
		op:   "track_table", args: `{"name":"city"}`,
		err: apiErr(CodeNotSupported, "$.args", `function with name "city" already exists`),
	}, {
		name: "unknown source",
		op:   "pg_track_table", args: `{"source":"other","table":"city"}`,
		err: apiErr(CodeNotExists, "$.args", `source with name "other" does not exist`),
	}, {
		name: "the first track creates the default source",
		doc:  `{"version":3,"sources":[]}`,
		op:   "pg_track_table", args: `{"table":"author"}`,
		check: func(t *testing.T, md *Metadata) {
			wantEqual(t, "export", string(ExportJSON(md)),
				`{"version":3,"sources":[{"name":"default","kind":"postgres","tables":[{"table":{"schema":"public","name":"author"}}],`+defaultConfigJSON+`}]}`)
		},
	}, {
		name: "table name of the wrong type",
		op:   "track_table", args: `{"table":5}`,
		err: apiErr(CodeParseFailed, "$.args.table", "expecting a string/object for QualifiedObject"),
	}, {
		name: "arguments not an object",
		op:   "untrack_table", args: `"author"`,
		err: apiErr(CodeParseFailed, "$.args", "parsing UntrackTable failed, expected Object, but encountered String"),
	}, {
		name: "untrack a table not tracked",
		op:   "untrack_table", args: `{"table":"city"}`,
		err: apiErr(CodeAlreadyUntracked, "$.args", `view/table already untracked: "city"`),
	}, {
		name: "untrack a table others depend on",
		op:   "pg_untrack_table", args: `{"table":"author"}`,
		err: apiErr(CodeDependencyError, "$.args", `cannot drop due to the following dependent objects: `+
			`permission article.user.select in source "default", relationship article.author in source "default"`),
	}, {
		name: "untrack with cascade",
		op:   "pg_untrack_table", args: `{"table":{"schema":"public","name":"author"},"cascade":true}`,
		check: func(t *testing.T, md *Metadata) {
			tables := md.source(DefaultSource).Tables
			if len(tables) != 2 {
				t.Fatalf("tables: %+v", tables)
			}
			wantEqual(t, "article", entryJSON(t, md, "article"), `{"table":{"schema":"public","name":"article"}}`)
		},
	}, {
		name: "untrack a table nothing depends on",
		op:   "untrack_table", args: `{"table":"comment"}`,
	}, {
		name: "set_table_customization",
		op:   "set_table_customization",
		args: `{"table":"author","configuration":{"custom_root_fields":{"select":"Authors"},"custom_column_names":{"id":"ignored","name":"AuthorName"},"column_config":{"id":{"custom_name":"AuthorId"}}}}`,
		check: func(t *testing.T, md *Metadata) {
			cfg, _ := json.Marshal(md.source(DefaultSource).Tables[0].Configuration)
			wantEqual(t, "configuration", string(cfg),
				`{"custom_root_fields":{"select":"Authors"},"column_config":{"id":{"custom_name":"AuthorId"},"name":{"custom_name":"AuthorName"}},"custom_column_names":{"id":"AuthorId","name":"AuthorName"}}`)
		},
	}, {
		name: "an empty customization clears the configuration",
		doc:  `{"version":3,"sources":[{"name":"default","kind":"postgres","tables":[{"table":"author","configuration":{"custom_name":"a"}}]}]}`,
		op:   "pg_set_table_customization", args: `{"table":"author","configuration":{"custom_root_fields":{},"column_config":{}}}`,
		check: func(t *testing.T, md *Metadata) {
			wantEqual(t, "author", entryJSON(t, md, "author"), `{"table":{"schema":"public","name":"author"}}`)
		},
	}, {
		name: "customize a table not tracked",
		op:   "set_table_customization", args: `{"table":"author1","configuration":{}}`,
		err: apiErr(CodeNotExists, "$.args", `table "author1" does not exist in source: default`),
	}, {
		name: "customization that breaks a relationship",
		op:   "set_table_customization", args: `{"table":"author","configuration":{"column_config":{"name":{"custom_name":"articles"}}}}`,
		err: apiErr(CodeUnexpected, "$.args", "cannot continue due to new inconsistent metadata"),
		internal: `[{"type":"array_relation","name":"array_relation articles in table author in source default",` +
			`"reason":"Inconsistent object: field definition conflicts with custom field name for postgres column \"name\"",` +
			`"definition":{"name":"articles","using":{"foreign_key_constraint_on":{"table":{"schema":"public","name":"article"},"column":"author_id"}},` +
			`"comment":null,"source":"default","table":{"schema":"public","name":"author"}}}]`,
	}, {
		name: "customization of a missing column",
		op:   "set_table_customization", args: `{"table":"author","configuration":{"column_config":{"nope":{"custom_name":"x"}}}}`,
		err: apiErr(CodeInvalidConfiguration, "$.args",
			`Inconsistent object: configuration was given for the column "nope", but no such column exists`),
	}, {
		name: "configuration is required",
		op:   "set_table_customization", args: `{"table":"author"}`,
		err: apiErr(CodeParseFailed, "$.args", `key "configuration" not found`),
	}, {
		name: "legacy set_table_custom_fields replaces the configuration",
		doc:  `{"version":3,"sources":[{"name":"default","kind":"postgres","tables":[{"table":"author","configuration":{"custom_name":"a"}}]}]}`,
		op:   "set_table_custom_fields",
		args: `{"table":"author","custom_root_fields":{"select":"Authors"},"custom_column_names":{"id":"AuthorId"}}`,
		check: func(t *testing.T, md *Metadata) {
			wantEqual(t, "author", entryJSON(t, md, "author"),
				`{"table":{"schema":"public","name":"author"},"configuration":{"custom_root_fields":{"select":"Authors"},"column_config":{"id":{"custom_name":"AuthorId"}},"custom_column_names":{"id":"AuthorId"}}}`)
		},
	}, {
		name: "set_table_is_enum",
		doc:  `{"version":3,"sources":[{"name":"default","kind":"postgres","tables":[{"table":"colour"}]}]}`,
		op:   "pg_set_table_is_enum", args: `{"table":"colour","is_enum":true}`,
		check: func(t *testing.T, md *Metadata) {
			wantEqual(t, "colour", entryJSON(t, md, "colour"), `{"table":{"schema":"public","name":"colour"},"is_enum":true}`)
		},
	}, {
		name: "set_table_is_enum needs is_enum",
		op:   "set_table_is_enum", args: `{"table":"comment"}`,
		err: apiErr(CodeParseFailed, "$.args", `key "is_enum" not found`),
	}})
}

func TestRelationshipOps(t *testing.T) {
	runOpCases(t, []opCase{{
		name: "object relationship on a foreign key",
		op:   "create_object_relationship",
		args: `{"table":"comment","name":"article","using":{"foreign_key_constraint_on":"article_id"},"comment":"its article"}`,
		check: func(t *testing.T, md *Metadata) {
			wantEqual(t, "comment", entryJSON(t, md, "comment"), `{"table":{"schema":"public","name":"comment"},`+
				`"object_relationships":[{"name":"article","using":{"foreign_key_constraint_on":"article_id"},"comment":"its article"}]}`)
		},
	}, {
		name: "array relationship",
		op:   "pg_create_array_relationship",
		args: `{"source":"default","table":"article","name":"comments","using":{"foreign_key_constraint_on":{"table":"comment","column":"article_id"}}}`,
	}, {
		name: "no foreign key on the column",
		op:   "create_object_relationship", args: `{"table":"article","name":"writer","using":{"foreign_key_constraint_on":"title"}}`,
		err: apiErr(CodeInvalidConfiguration, "$.args",
			`Inconsistent object: in table "article": in relationship "writer": no foreign constraint exists on the given column(s)`),
		internal: `[{"type":"object_relation","name":"object_relation writer in table article in source default",` +
			`"reason":"Inconsistent object: in table \"article\": in relationship \"writer\": no foreign constraint exists on the given column(s)",` +
			`"definition":{"name":"writer","using":{"foreign_key_constraint_on":"title"},"comment":null,"source":"default","table":{"schema":"public","name":"article"}}}]`,
	}, {
		name: "name of a column",
		op:   "create_object_relationship", args: `{"table":"article","name":"title","using":{"foreign_key_constraint_on":"author_id"}}`,
		err: apiErr(CodeAlreadyExists, "$.args", `field with name "title" already exists in table "article"`),
	}, {
		name: "name of a relationship",
		op:   "create_array_relationship",
		args: `{"table":"article","name":"author","using":{"manual_configuration":{"remote_table":"author","column_mapping":{"author_id":"id"}}}}`,
		err:  apiErr(CodeAlreadyExists, "$.args", `field with name "author" already exists in table "article"`),
	}, {
		name: "name of a custom column name",
		doc: `{"version":3,"sources":[{"name":"default","kind":"postgres","tables":[` +
			`{"table":"author","configuration":{"column_config":{"id":{"custom_name":"AuthorId"}},"custom_column_names":{"id":"AuthorId"}}},{"table":"article"}]}]}`,
		op:   "create_array_relationship",
		args: `{"name":"AuthorId","table":"author","using":{"foreign_key_constraint_on":{"table":"article","column":"author_id"}}}`,
		err: apiErr(CodeInvalidConfiguration, "$.args",
			`Inconsistent object: field definition conflicts with custom field name for postgres column "id"`),
	}, {
		name: "array relationship needs the referencing table",
		op:   "create_array_relationship", args: `{"table":"author","name":"x","using":{"foreign_key_constraint_on":"id"}}`,
		err: apiErr(CodeParseFailed, "$.args.using.foreign_key_constraint_on",
			"an array relationship's foreign_key_constraint_on must be {table, column} or {table, columns}"),
	}, {
		name: "relationship of a table not tracked",
		op:   "create_object_relationship", args: `{"table":"city","name":"x","using":{"foreign_key_constraint_on":"zip"}}`,
		err: apiErr(CodeNotExists, "$.args", `table "city" does not exist in source: default`),
	}, {
		name: "drop a relationship a permission uses",
		op:   "drop_relationship", args: `{"table":"article","relationship":"author"}`,
		err: apiErr(CodeDependencyError, "$.args",
			`cannot drop due to the following dependent objects: permission article.user.select in source "default"`),
	}, {
		name: "drop with cascade",
		op:   "pg_drop_relationship", args: `{"table":"article","relationship":"author","cascade":true}`,
		check: func(t *testing.T, md *Metadata) {
			wantEqual(t, "article", entryJSON(t, md, "article"), `{"table":{"schema":"public","name":"article"}}`)
		},
	}, {
		name: "drop a relationship nothing uses",
		op:   "drop_relationship", args: `{"table":"author","relationship":"articles"}`,
		check: func(t *testing.T, md *Metadata) {
			if md.source(DefaultSource).Tables[0].ArrayRelationships != nil {
				t.Error("relationship still there")
			}
		},
	}, {
		name: "drop a missing relationship",
		op:   "drop_relationship", args: `{"table":"article","relationship":"nope"}`,
		err: apiErr(CodeNotExists, "$.args", `relationship "nope" does not exist`),
	}, {
		name: "drop a column",
		op:   "drop_relationship", args: `{"table":"article","relationship":"title"}`,
		err: apiErr(CodeUnexpectedPayload, "$.args", `expecting a relationship; but, "title" is a postgres column; `),
	}, {
		name: "rename rewrites the permissions",
		op:   "rename_relationship", args: `{"table":"article","name":"author","new_name":"writer"}`,
		check: func(t *testing.T, md *Metadata) {
			wantEqual(t, "article", entryJSON(t, md, "article"), `{"table":{"schema":"public","name":"article"},`+
				`"object_relationships":[{"name":"writer","using":{"foreign_key_constraint_on":"author_id"}}],`+
				`"select_permissions":[{"role":"user","permission":{"columns":"*","filter":{"_or":[{"writer":{"id":{"_eq":"X-Hasura-User-Id"}}},{"id":{"_eq":1}}]}}}]}`)
		},
	}, {
		name: "rename onto a column",
		op:   "pg_rename_relationship", args: `{"table":"article","name":"author","new_name":"title"}`,
		err: apiErr(CodeAlreadyExists, "$.args",
			`cannot rename relationship "author" to "title" in table "article" as a column/relationship with the name already exists`),
	}, {
		name: "set a relationship's comment",
		op:   "set_relationship_comment", args: `{"table":"article","relationship":"author","comment":"who wrote it"}`,
		check: func(t *testing.T, md *Metadata) {
			if c := md.source(DefaultSource).Tables[1].ObjectRelationships[0].Comment; c != "who wrote it" {
				t.Errorf("comment = %q", c)
			}
		},
	}})
}

func TestPermissionOps(t *testing.T) {
	runOpCases(t, []opCase{{
		name: "create a select permission",
		op:   "create_select_permission", args: `{"table":"comment","role":"user","permission":{"columns":"*"},"comment":"all"}`,
		check: func(t *testing.T, md *Metadata) {
			wantEqual(t, "comment", entryJSON(t, md, "comment"), `{"table":{"schema":"public","name":"comment"},`+
				`"select_permissions":[{"role":"user","permission":{"columns":"*","filter":{}},"comment":"all"}]}`)
		},
	}, {
		name: "create an insert permission",
		op:   "pg_create_insert_permission",
		args: `{"table":"comment","role":"user","permission":{"columns":["article_id"],"set":{"id":"X-Hasura-User-Id"}}}`,
		check: func(t *testing.T, md *Metadata) {
			wantEqual(t, "comment", entryJSON(t, md, "comment"), `{"table":{"schema":"public","name":"comment"},`+
				`"insert_permissions":[{"role":"user","permission":{"columns":["article_id"],"set":{"id":"X-Hasura-User-Id"},"check":{}}}]}`)
		},
	}, {
		name: "the admin role has every permission",
		op:   "create_select_permission", args: `{"table":"author","role":"admin","permission":{"columns":"*","filter":{"id":"X-Hasura-User-Id"}}}`,
		err: apiErr(CodeAlreadyExists, "$.args", `select permission already defined on table "author" with role "admin"`),
	}, {
		name: "permission already defined",
		op:   "create_select_permission", args: `{"table":"author","role":"user","permission":{"columns":"*"}}`,
		err: apiErr(CodeAlreadyExists, "$.args", `select permission already defined on table "author" with role "user"`),
	}, {
		name: "select permission needs columns",
		op:   "create_select_permission", args: `{"table":"comment","role":"user","permission":{"filter":{}}}`,
		err: apiErr(CodeParseFailed, "$.args.permission", `key "columns" not found`),
	}, {
		name: "columns of the wrong type",
		op:   "create_update_permission", args: `{"table":"comment","role":"user","permission":{"columns":"id"}}`,
		err: apiErr(CodeParseFailed, "$.args.permission.columns", `expected "*" or an array of column names, encountered String`),
	}, {
		name: "a missing column",
		op:   "create_select_permission", args: `{"table":"comment","role":"user","permission":{"columns":["id","nope"],"filter":{}}}`,
		err: apiErr(CodeInvalidConfiguration, "$.args",
			`Inconsistent object: in table "comment": in permission for role "user": column "nope" does not exist`),
		internal: `[{"type":"select_permission","name":"select_permission user in table comment in source default",` +
			`"reason":"Inconsistent object: in table \"comment\": in permission for role \"user\": column \"nope\" does not exist",` +
			`"definition":{"source":"default","table":{"schema":"public","name":"comment"},"role":"user",` +
			`"permission":{"columns":["id","nope"],"filter":{}},"comment":null}}]`,
	}, {
		name: "a missing preset column",
		op:   "create_update_permission", args: `{"table":"comment","role":"user","permission":{"columns":["id"],"set":{"nope":1}}}`,
		err: apiErr(CodeInvalidConfiguration, "$.args",
			`Inconsistent object: in table "comment": in permission for role "user": column "nope" does not exist`),
	}, {
		name: "drop a permission",
		op:   "drop_select_permission", args: `{"table":"author","role":"user"}`,
		check: func(t *testing.T, md *Metadata) {
			wantEqual(t, "author", entryJSON(t, md, "author"), `{"table":{"schema":"public","name":"author"},`+
				`"array_relationships":[{"name":"articles","using":{"foreign_key_constraint_on":{"table":{"schema":"public","name":"article"},"column":"author_id"}}}]}`)
		},
	}, {
		name: "drop a missing permission",
		op:   "pg_drop_update_permission", args: `{"table":"author","role":"user"}`,
		err: apiErr(CodePermissionDenied, "$.args", `'update' permission on "author" for role "user" does not exist`),
	}, {
		name: "drop a permission of a table not tracked",
		op:   "drop_delete_permission", args: `{"table":"city","role":"user"}`,
		err: apiErr(CodeNotExists, "$.args", `table "city" does not exist in source: default`),
	}, {
		name: "set a permission's comment",
		op:   "set_permission_comment", args: `{"table":"author","role":"user","type":"select","comment":"own row"}`,
		check: func(t *testing.T, md *Metadata) {
			wantEqual(t, "permission", string(md.source(DefaultSource).Tables[0].SelectPermissions[0]),
				`{"role":"user","permission":{"columns":["id","name"],"filter":{"id":{"_eq":"X-Hasura-User-Id"}}},"comment":"own row"}`)
		},
	}})
}
