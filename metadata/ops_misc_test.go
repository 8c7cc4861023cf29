package metadata

import "testing"

func TestFunctionOps(t *testing.T) {
	withCF := `{"version":3,"sources":[{"name":"default","kind":"postgres","tables":[{"table":"author",` +
		`"computed_fields":[{"name":"full_name","definition":{"function":"author_full_name"}}],` +
		`"select_permissions":[{"role":"user","permission":{"columns":"*","filter":{},"computed_fields":["full_name"]}}]}]}]}`
	runOpCases(t, []opCase{{
		name: "add a computed field",
		op:   "add_computed_field",
		args: `{"table":"author","name":"full_name","definition":{"function":"author_full_name","table_argument":"author_row"},"comment":"first and last"}`,
		check: func(t *testing.T, md *Metadata) {
			wantEqual(t, "computed field", string(md.source(DefaultSource).Tables[0].ComputedFields[0]),
				`{"name":"full_name","definition":{"function":"author_full_name","table_argument":"author_row"},"comment":"first and last"}`)
		},
	}, {
		name: "computed field named like a column",
		op:   "pg_add_computed_field", args: `{"table":"author","name":"name","definition":{"function":"f"}}`,
		err: apiErr(CodeAlreadyExists, "$.args.name", `column/relationship "name" of table "author" already exists`),
	}, {
		name: "computed field of a table not tracked",
		op:   "add_computed_field", args: `{"table":"city","name":"x","definition":{"function":"f"}}`,
		err: apiErr(CodeNotExists, "$.args.table", `table "city" does not exist in source: default`),
	}, {
		name: "computed field without a function",
		op:   "add_computed_field", args: `{"table":"author","name":"x","definition":{}}`,
		err: apiErr(CodeParseFailed, "$.args.definition", `key "function" not found`),
	}, {
		name: "drop a computed field a permission uses",
		doc:  withCF,
		op:   "drop_computed_field", args: `{"table":"author","name":"full_name"}`,
		err: apiErr(CodeDependencyError, "$.args",
			`cannot drop due to the following dependent objects: permission author.user.select in source "default"`),
	}, {
		name: "drop it with cascade",
		doc:  withCF,
		op:   "pg_drop_computed_field", args: `{"table":"author","name":"full_name","cascade":true}`,
		check: func(t *testing.T, md *Metadata) {
			wantEqual(t, "author", entryJSON(t, md, "author"), `{"table":{"schema":"public","name":"author"}}`)
		},
	}, {
		name: "drop a missing computed field",
		op:   "drop_computed_field", args: `{"table":"author","name":"nope"}`,
		err: apiErr(CodeNotExists, "$.args.name", `computed field "nope" does not exist`),
	}, {
		name: "drop a column as a computed field",
		op:   "drop_computed_field", args: `{"table":"author","name":"name"}`,
		err: apiErr(CodeUnexpectedPayload, "$.args.name", `expecting a computed field; but, "name" is a column`),
	}, {
		// Tracking functions the catalog has: TestTrackFunction.
		name: "a table of the same name",
		op:   "track_function", args: `{"name":"author"}`,
		err: apiErr(CodeNotSupported, "$.args", `table with name "author" already exists`),
	}, {
		name: "function already tracked",
		doc:  `{"version":3,"sources":[{"name":"default","kind":"postgres","tables":[],"functions":[{"function":{"schema":"public","name":"f"}}]}]}`,
		op:   "track_function", args: `"f"`,
		err: apiErr(CodeAlreadyTracked, "$.args", `function already tracked: "f"`),
	}, {
		name: "untrack a function",
		doc:  `{"version":3,"sources":[{"name":"default","kind":"postgres","tables":[],"functions":[{"function":{"schema":"public","name":"f"}}]}]}`,
		op:   "pg_untrack_function", args: `{"source":"default","function":{"schema":"public","name":"f"}}`,
		check: func(t *testing.T, md *Metadata) {
			if md.Sources[0].Functions != nil {
				t.Error("function still tracked")
			}
		},
	}, {
		name: "untrack a function not tracked",
		op:   "untrack_function", args: `{"schema":"public","name":"f"}`,
		err: apiErr(CodeNotExists, "$.args", `function "f" does not exist in source: default`),
	}})
}

func TestTopLevelOps(t *testing.T) {
	withAction := `{"version":3,"sources":[],"actions":[{"name":"login","definition":{"handler":"http://h","output_type":"Token"},` +
		`"permissions":[{"role":"user"}]}]}`
	runOpCases(t, []opCase{{
		name: "add inherited role",
		op:   "add_inherited_role", args: `{"role_name":"editor_user","role_set":["editor","user"]}`,
		check: func(t *testing.T, md *Metadata) {
			wantEqual(t, "inherited roles", string(md.InheritedRoles), `[{"role_name":"editor_user","role_set":["editor","user"]}]`)
		},
	}, {
		name: "an inherited role is replaced",
		doc:  `{"version":3,"sources":[],"inherited_roles":[{"role_name":"r","role_set":["a"]}]}`,
		op:   "add_inherited_role", args: `{"role_name":"r","role_set":["a","b"]}`,
		check: func(t *testing.T, md *Metadata) {
			wantEqual(t, "inherited roles", string(md.InheritedRoles), `[{"role_name":"r","role_set":["a","b"]}]`)
		},
	}, {
		name: "inherited role in its own set",
		op:   "add_inherited_role", args: `{"role_name":"r","role_set":["a","r"]}`,
		err: apiErr(CodeInvalidParams, "$.args", "an inherited role name cannot be in the role combination"),
	}, {
		name: "drop an inherited role",
		doc:  `{"version":3,"sources":[],"inherited_roles":[{"role_name":"r","role_set":["a"]}]}`,
		op:   "drop_inherited_role", args: `{"role_name":"r"}`,
		check: func(t *testing.T, md *Metadata) {
			if md.InheritedRoles != nil {
				t.Errorf("inherited roles = %s", md.InheritedRoles)
			}
		},
	}, {
		name: "drop a missing inherited role",
		op:   "drop_inherited_role", args: `{"role_name":"r"}`,
		err: apiErr(CodeNotExists, "$.args", `"r" inherited role doesn't exist`),
	}, {
		name: "create an action",
		op:   "create_action", args: `{"name":"login","definition":{"handler":"http://h","output_type":"Token"},"comment":"c"}`,
		check: func(t *testing.T, md *Metadata) {
			wantEqual(t, "actions", string(md.Actions), `[{"name":"login","definition":{"handler":"http://h","output_type":"Token"},"comment":"c"}]`)
		},
	}, {
		name: "action already exists",
		doc:  withAction,
		op:   "create_action", args: `{"name":"login","definition":{}}`,
		err: apiErr(CodeAlreadyExists, "$.args", `action with name "login" already exists`),
	}, {
		name: "update an action",
		doc:  withAction,
		op:   "update_action", args: `{"name":"login","definition":{"handler":"http://other"}}`,
		check: func(t *testing.T, md *Metadata) {
			wantEqual(t, "actions", string(md.Actions), `[{"name":"login","definition":{"handler":"http://other"},"permissions":[{"role":"user"}]}]`)
		},
	}, {
		name: "drop a missing action",
		op:   "drop_action", args: `{"name":"login","clear_data":true}`,
		err: apiErr(CodeNotExists, "$.args", `action with name "login" does not exist`),
	}, {
		name: "drop an action",
		doc:  withAction,
		op:   "drop_action", args: `{"name":"login"}`,
		check: func(t *testing.T, md *Metadata) {
			if md.Actions != nil {
				t.Errorf("actions = %s", md.Actions)
			}
		},
	}, {
		name: "create an action permission",
		doc:  withAction,
		op:   "create_action_permission", args: `{"action":"login","role":"guest"}`,
		check: func(t *testing.T, md *Metadata) {
			wantEqual(t, "actions", string(md.Actions),
				`[{"name":"login","definition":{"handler":"http://h","output_type":"Token"},"permissions":[{"role":"guest"},{"role":"user"}]}]`)
		},
	}, {
		name: "action permission already defined",
		doc:  withAction,
		op:   "create_action_permission", args: `{"action":"login","role":"user"}`,
		err: apiErr(CodeAlreadyExists, "$.args", `permission for role "user" is already defined on "login"`),
	}, {
		name: "drop a missing action permission",
		doc:  withAction,
		op:   "drop_action_permission", args: `{"action":"login","role":"guest"}`,
		err: apiErr(CodeNotExists, "$.args", `permission for role: "guest" is not defined on "login"`),
	}, {
		name: "set custom types",
		op:   "set_custom_types", args: `{"scalars":[],"objects":[{"name":"Token","fields":[{"name":"t","type":"String!"}]}],"enums":null}`,
		check: func(t *testing.T, md *Metadata) {
			wantEqual(t, "custom types", string(md.CustomTypes), `{"objects":[{"name":"Token","fields":[{"name":"t","type":"String!"}]}]}`)
		},
	}, {
		name: "clear_metadata keeps the default source's connection",
		doc: `{"version":3,"sources":[{"name":"default","kind":"postgres","tables":[{"table":"author"}],` +
			`"functions":[{"function":"f"}],` + defaultConfigJSON + `},{"name":"other","kind":"postgres","tables":[]}],` +
			`"inherited_roles":[{"role_name":"r","role_set":["a"]}]}`,
		op: "clear_metadata", args: `{}`,
		check: func(t *testing.T, md *Metadata) {
			wantEqual(t, "export", string(ExportJSON(md)),
				`{"version":3,"sources":[{"name":"default","kind":"postgres","tables":[],`+defaultConfigJSON+`}]}`)
		},
	}, {
		name: "unknown operation",
		op:   "random", args: `{}`,
		err: apiErr(CodeNotSupported, "$.type", `unknown metadata operation "random"`),
	}, {
		name: "arguments that are not JSON",
		op:   "track_table", args: `{`,
		err: apiErr(CodeParseFailed, "$.args", "invalid JSON: unexpected EOF"),
	}})
}

func TestHandles(t *testing.T) {
	for _, op := range []string{"track_table", "pg_track_table", "add_existing_table_or_view", "pg_create_delete_permission",
		"drop_insert_permission", "set_table_custom_fields", "add_inherited_role", "clear_metadata", "pg_untrack_function"} {
		if !Handles(op) {
			t.Errorf("Handles(%q) = false", op)
		}
	}
	for _, op := range []string{"run_sql", "replace_metadata", "pg_set_table_custom_fields", "pg_add_inherited_role", "pg_", "select"} {
		if Handles(op) {
			t.Errorf("Handles(%q) = true", op)
		}
	}
}
