package metadataapi_test

import (
	"testing"

	"github.com/trellis-gql/trellis/engine/pgtest"
)

// Enum tables (is_enum: true) through /v1/metadata and /v1/graphql:
// validation with Hasura's messages, the <t>_enum type of referencing
// columns, enum literals and variables in where, and when the values are
// read again.

const enumSchema = `{"type":"run_sql","args":{"sql":"` +
	`CREATE TABLE colors (value text PRIMARY KEY, comment text); ` +
	`INSERT INTO colors VALUES ('red', 'Red'), ('blue', NULL), ('green', 'Green'); ` +
	`CREATE TABLE users (id serial PRIMARY KEY, name text NOT NULL, favorite_color text NOT NULL REFERENCES colors); ` +
	`INSERT INTO users (name, favorite_color) VALUES ('Alyssa', 'red'), ('Ben', 'blue'); ` +
	`CREATE TABLE empty_enum (value text PRIMARY KEY); ` +
	`CREATE TABLE bad_names (value text PRIMARY KEY, comment text); ` +
	`INSERT INTO bad_names VALUES ('ok', NULL), ('not ok', NULL), ('true', NULL);"}}`

func gqlBody(query, vars string) string {
	if vars == "" {
		vars = "null"
	}
	return `{"query":"` + query + `","variables":` + vars + `}`
}

func TestEnumTables(t *testing.T) {
	dsn := pgtest.NewDatabase(t)
	e := startEngine(t, dsn)
	e.must(t, "/v2/query", enumSchema, rqCmdOk)
	emptyReason := `Inconsistent object: the table \"empty_enum\" cannot be used as an enum because the table must have at least one row`
	badReason := `Inconsistent object: the table \"bad_names\" cannot be used as an enum because the values \"not ok\" and \"true\" are not valid GraphQL enum value names`
	rqRun(t, e, []rqCase{
		{name: "pg_track_table is_enum", path: "/v1/metadata", body: `{"type":"pg_track_table","args":{"table":"colors","is_enum":true}}`, want: rqSuccess},
		{name: "pg_track_table users", path: "/v1/metadata", body: `{"type":"pg_track_table","args":{"table":"users"}}`, want: rqSuccess},
		{name: "pg_track_table is_enum without rows", path: "/v1/metadata", body: `{"type":"pg_track_table","args":{"table":"empty_enum","is_enum":true}}`,
			status: 400, want: `{"code":"invalid-configuration","error":"` + emptyReason + `","internal":[{"type":"table","name":"table empty_enum in source default","reason":"` + emptyReason + `","definition":{"schema":"public","name":"empty_enum"}}],"path":"$.args"}`},
		{name: "track_table then set_table_is_enum with bad names", path: "/v1/metadata", body: `{"type":"bulk","args":[{"type":"pg_track_table","args":{"table":"bad_names"}},{"type":"pg_set_table_is_enum","args":{"table":"bad_names","is_enum":true}}]}`,
			status: 400, want: `{"code":"invalid-configuration","error":"` + badReason + `","internal":[{"type":"table","name":"table bad_names in source default","reason":"` + badReason + `","definition":{"schema":"public","name":"bad_names"}}],"path":"$.args[1].args"}`},

		{name: "where with an enum literal", path: "/v1/graphql", body: gqlBody(`{ users(where: {favorite_color: {_eq: red}}) { name favorite_color } }`, ""),
			want: `{"data":{"users":[{"name":"Alyssa","favorite_color":"red"}]}}`},
		{name: "where with a variable", path: "/v1/graphql", body: gqlBody(`query ($c: colors_enum) { users(where: {favorite_color: {_eq: $c}}) { name } }`, `{"c":"blue"}`),
			want: `{"data":{"users":[{"name":"Ben"}]}}`},
		{name: "where with _in and _nin", path: "/v1/graphql", body: gqlBody(`{ a: users(where: {favorite_color: {_in: [red, blue]}}, order_by: {id: asc}) { name } b: users(where: {favorite_color: {_nin: [red]}}) { name } }`, ""),
			want: `{"data":{"a":[{"name":"Alyssa"},{"name":"Ben"}],"b":[{"name":"Ben"}]}}`},
		{name: "a value that is not in the enum", path: "/v1/graphql", body: gqlBody(`{ users(where: {favorite_color: {_eq: purple}}) { name } }`, ""),
			want: `{"errors":[{"extensions":{"path":"$.selectionSet.users.args.where.favorite_color._eq","code":"validation-failed"},"message":"expected one of the values ['blue', 'green', 'red'] for type 'colors_enum', but found 'purple'"}]}`},
		{name: "a variable value that is not in the enum", path: "/v1/graphql", body: gqlBody(`query ($c: [colors_enum!]) { users(where: {favorite_color: {_in: $c}}) { name } }`, `{"c":["red","Red"]}`),
			want: `{"errors":[{"extensions":{"path":"$.selectionSet.users.args.where.favorite_color._in[1]","code":"validation-failed"},"message":"expected one of the values ['blue', 'green', 'red'] for type 'colors_enum', but found 'Red'"}]}`},
		{name: "a number for an enum", path: "/v1/graphql", body: gqlBody(`{ users(where: {favorite_color: {_eq: 1}}) { name } }`, ""),
			want: `{"errors":[{"extensions":{"path":"$.selectionSet.users.args.where.favorite_color._eq","code":"validation-failed"},"message":"expected an enum value for type 'colors_enum', but found an integer"}]}`},
		{name: "no ordering operators", path: "/v1/graphql", body: gqlBody(`{ users(where: {favorite_color: {_gt: red}}) { name } }`, ""),
			want: `{"errors":[{"extensions":{"path":"$.selectionSet.users.args.where.favorite_color._gt","code":"validation-failed"},"message":"field '_gt' not found in type: 'colors_enum_comparison_exp'"}]}`},
		{name: "a String variable for an enum", path: "/v1/graphql", body: gqlBody(`query ($c: String) { users(where: {favorite_color: {_eq: $c}}) { name } }`, `{"c":"red"}`),
			want: `{"errors":[{"extensions":{"path":"$.selectionSet.users.args.where.favorite_color._eq","code":"validation-failed"},"message":"variable 'c' is declared as 'String', but used where 'colors_enum' is expected"}]}`},
		{name: "a string literal for an enum", path: "/v1/graphql", body: gqlBody(`{ users(where: { favorite_color: { _eq: \"not_a_real_color\" }}) { name } }`, ""),
			want: `{"errors":[{"extensions":{"path":"$.selectionSet.users.args.where.favorite_color._eq","code":"validation-failed"},"message":"expected an enum value for type 'colors_enum', but found a string"}]}`},
		{name: "a string literal of a known value", path: "/v1/graphql", body: gqlBody(`{ users(where: {_and: [{favorite_color: {_neq: \"red\"}}]}) { name } }`, ""),
			want: `{"errors":[{"extensions":{"path":"$.selectionSet.users.args.where._and[0].favorite_color._neq","code":"validation-failed"},"message":"expected an enum value for type 'colors_enum', but found a string"}]}`},
		{name: "string literals in a list", path: "/v1/graphql", body: gqlBody(`{ users(where: {favorite_color: {_in: [red, \"blue\"]}}) { name } }`, ""),
			want: `{"errors":[{"extensions":{"path":"$.selectionSet.users.args.where.favorite_color._in[1]","code":"validation-failed"},"message":"expected an enum value for type 'colors_enum', but found a string"}]}`},
		{name: "a list variable of strings", path: "/v1/graphql", body: gqlBody(`query ($c: [colors_enum!]) { users(where: {favorite_color: {_in: $c}}, order_by: {id: asc}) { name } }`, `{"c":["red","blue"]}`),
			want: `{"data":{"users":[{"name":"Alyssa"},{"name":"Ben"}]}}`},
		{name: "variables as items of a list", path: "/v1/graphql", body: gqlBody(`query ($c: colors_enum!) { users(where: {favorite_color: {_nin: [green, $c]}}) { name } }`, `{"c":"red"}`),
			want: `{"data":{"users":[{"name":"Ben"}]}}`},
		{name: "strings inside a variable's boolean expression", path: "/v1/graphql", body: gqlBody(`query ($w: users_bool_exp) { users(where: $w) { name } }`, `{"w":{"favorite_color":{"_eq":"blue"}}}`),
			want: `{"data":{"users":[{"name":"Ben"}]}}`},
		{name: "a variable's comparison expression", path: "/v1/graphql", body: gqlBody(`query ($e: colors_enum_comparison_exp) { users(where: {favorite_color: $e}) { name } }`, `{"e":{"_in":["red"]}}`),
			want: `{"data":{"users":[{"name":"Alyssa"}]}}`},
		{name: "a key column referencing an enum table", path: "/v2/query", want: rqCmdOk,
			body: `{"type":"run_sql","args":{"sql":"CREATE TABLE favorites (color text PRIMARY KEY REFERENCES colors ON DELETE CASCADE); INSERT INTO favorites VALUES ('red')"}}`},
		{name: "pg_track_table favorites", path: "/v1/metadata", body: `{"type":"pg_track_table","args":{"table":"favorites"}}`, want: rqSuccess},
		{name: "by_pk with an enum literal", path: "/v1/graphql", body: gqlBody(`{ favorites_by_pk(color: red) { color } }`, ""),
			want: `{"data":{"favorites_by_pk":{"color":"red"}}}`},
		{name: "by_pk with a string literal", path: "/v1/graphql", body: gqlBody(`{ favorites_by_pk(color: \"red\") { color } }`, ""),
			want: `{"errors":[{"extensions":{"path":"$.selectionSet.favorites_by_pk.args.color","code":"validation-failed"},"message":"expected an enum value for type 'colors_enum', but found a string"}]}`},
		{name: "by_pk with a variable", path: "/v1/graphql", body: gqlBody(`query ($c: colors_enum!) { favorites_by_pk(color: $c) { color } }`, `{"c":"red"}`),
			want: `{"data":{"favorites_by_pk":{"color":"red"}}}`},
		{name: "the enum table is a table too", path: "/v1/graphql", body: gqlBody(`{ colors(order_by: {value: asc}) { value comment } colors_by_pk(value: \"red\") { comment } }`, ""),
			want: `{"data":{"colors":[{"value":"blue","comment":null},{"value":"green","comment":"Green"},{"value":"red","comment":"Red"}],"colors_by_pk":{"comment":"Red"}}}`},

		{name: "introspection of the enum", path: "/v1/graphql", body: gqlBody(`{ __type(name: \"colors_enum\") { name kind description enumValues { name description isDeprecated } } }`, ""),
			want: `{"data":{"__type":{"name":"colors_enum","kind":"ENUM","description":null,"enumValues":[{"name":"blue","description":null,"isDeprecated":false},{"name":"green","description":"Green","isDeprecated":false},{"name":"red","description":"Red","isDeprecated":false}]}}}`},
		{name: "introspection of the referencing column", path: "/v1/graphql", body: gqlBody(`{ users: __type(name: \"users\") { fields { name type { kind ofType { name kind } } } } cmp: __type(name: \"colors_enum_comparison_exp\") { name description } colors: __type(name: \"colors\") { fields { name type { ofType { name } } } } }`, ""),
			want: `{"data":{"users":{"fields":[{"name":"favorite_color","type":{"kind":"NON_NULL","ofType":{"name":"colors_enum","kind":"ENUM"}}},{"name":"id","type":{"kind":"NON_NULL","ofType":{"name":"Int","kind":"SCALAR"}}},{"name":"name","type":{"kind":"NON_NULL","ofType":{"name":"String","kind":"SCALAR"}}}]},` +
				`"cmp":{"name":"colors_enum_comparison_exp","description":"Boolean expression to compare columns of type \"colors_enum\". All fields are combined with logical 'AND'."},` +
				`"colors":{"fields":[{"name":"comment","type":{"ofType":null}},{"name":"value","type":{"ofType":{"name":"String"}}}]}}}`},
	})

	// Rows changed behind the API's back show after reload_metadata only.
	rqSQL(t, dsn, "INSERT INTO colors VALUES ('yellow', NULL)")
	rqRun(t, e, []rqCase{
		{name: "a new row before reload", path: "/v1/graphql", body: gqlBody(`{ users(where: {favorite_color: {_eq: yellow}}) { name } }`, ""),
			want: `{"errors":[{"extensions":{"path":"$.selectionSet.users.args.where.favorite_color._eq","code":"validation-failed"},"message":"expected one of the values ['blue', 'green', 'red'] for type 'colors_enum', but found 'yellow'"}]}`},
		{name: "reload_metadata", path: "/v1/metadata", body: `{"type":"reload_metadata","args":{}}`, want: `{"is_consistent":true,"message":"success"}`},
		{name: "a new row after reload", path: "/v1/graphql", body: gqlBody(`{ users(where: {favorite_color: {_eq: yellow}}) { name } }`, ""),
			want: `{"data":{"users":[]}}`},
		{name: "custom_name names the enum", path: "/v1/metadata", body: `{"type":"pg_set_table_customization","args":{"table":"colors","configuration":{"custom_name":"colours"}}}`, want: rqSuccess},
		{name: "the enum under its custom name", path: "/v1/graphql", body: gqlBody(`query ($c: colours_enum!) { users(where: {favorite_color: {_eq: $c}}) { name } }`, `{"c":"red"}`),
			want: `{"data":{"users":[{"name":"Alyssa"}]}}`},
		{name: "run_sql changing rows", path: "/v2/query", body: `{"type":"run_sql","args":{"sql":"INSERT INTO colors VALUES ('purple', NULL)"}}`, want: rqCmdOk},
		{name: "the rows are not read again", path: "/v1/graphql", body: gqlBody(`{ users(where: {favorite_color: {_eq: purple}}) { name } }`, ""),
			want: `{"errors":[{"extensions":{"path":"$.selectionSet.users.args.where.favorite_color._eq","code":"validation-failed"},"message":"expected one of the values ['blue', 'green', 'red', 'yellow'] for type 'colours_enum', but found 'purple'"}]}`},
		{name: "run_sql with DDL", path: "/v2/query", body: `{"type":"run_sql","args":{"sql":"COMMENT ON TABLE colors IS 'colours'"}}`, want: rqCmdOk},
		{name: "the rows are read again", path: "/v1/graphql", body: gqlBody(`{ users(where: {favorite_color: {_eq: purple}}) { name } }`, ""),
			want: `{"data":{"users":[]}}`},
	})

	// A table that stops being a valid enum table is reported, not fatal.
	rqSQL(t, dsn, "DELETE FROM users; DELETE FROM colors")
	colorsReason := `Inconsistent object: the table \"colors\" cannot be used as an enum because the table must have at least one row`
	colorsInc := `{"type":"table","name":"table colors in source default","reason":"` + colorsReason + `","definition":{"schema":"public","name":"colors"}}`
	rqRun(t, e, []rqCase{
		{name: "reload_metadata reports the empty enum table", path: "/v1/metadata", body: `{"type":"reload_metadata","args":{}}`,
			want: `{"inconsistent_objects":[` + colorsInc + `],"is_consistent":false,"message":"success"}`},
		{name: "get_inconsistent_metadata", path: "/v1/metadata", body: `{"type":"get_inconsistent_metadata","args":{}}`,
			want: `{"inconsistent_objects":[` + colorsInc + `],"is_consistent":false}`},
		{name: "the column is a String again", path: "/v1/graphql", body: gqlBody(`{ __type(name: \"users\") { fields { name type { ofType { name } } } } }`, ""),
			want: `{"data":{"__type":{"fields":[{"name":"favorite_color","type":{"ofType":{"name":"String"}}},{"name":"id","type":{"ofType":{"name":"Int"}}},{"name":"name","type":{"ofType":{"name":"String"}}}]}}}`},
	})
}
