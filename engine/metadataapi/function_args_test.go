package metadataapi_test

import (
	"testing"

	"github.com/trellis-gql/trellis/engine/pgtest"
)

// fnArgsSchema has functions whose arguments are row types (of a tracked
// table, of a bare composite type), one with unnamed arguments with
// defaults, and a function to overload and redefine.
const fnArgsSchema = `{"type":"run_sql","args":{"sql":"` +
	`CREATE TABLE author (id serial PRIMARY KEY, name text NOT NULL); ` +
	`CREATE TABLE article (id serial PRIMARY KEY, title text NOT NULL, author_id int REFERENCES author(id)); ` +
	`CREATE TYPE probe AS (id int, label text); ` +
	`INSERT INTO author (name) VALUES ('Ann'), ('Bo'); ` +
	`INSERT INTO article (title, author_id) VALUES ('Apples', 1), ('Avocados', 1), ('Bananas', 2); ` +
	`CREATE FUNCTION fetch_articles(search text, author_row author) RETURNS SETOF article LANGUAGE sql STABLE AS $$ SELECT * FROM article WHERE title ILIKE search || '%' AND author_id = author_row.id ORDER BY id $$; ` +
	`CREATE FUNCTION by_probe(p probe) RETURNS SETOF article LANGUAGE sql STABLE AS $$ SELECT * FROM article WHERE id = p.id OR title = p.label ORDER BY id $$; ` +
	`CREATE FUNCTION get_articles(search text, integer DEFAULT 10, boolean DEFAULT false, \"onlyAnn\" boolean DEFAULT null) RETURNS SETOF article LANGUAGE sql STABLE AS ` +
	`$$ SELECT * FROM article WHERE title ILIKE search || '%' AND ($4 IS NULL OR (author_id = 1) = $4) AND NOT $3 ORDER BY id LIMIT $2 $$; ` +
	`CREATE FUNCTION search_articles(search text) RETURNS SETOF article LANGUAGE sql STABLE AS $$ SELECT * FROM article WHERE title ILIKE search || '%' $$;` +
	`"}}`

func TestFunctionArgumentsAndDDL(t *testing.T) {
	e := startEngine(t, pgtest.NewDatabase(t))
	e.must(t, "/v2/query", fnArgsSchema, rqCmdOk)
	rqRun(t, e, []rqCase{
		{name: "track tables and functions with row type arguments", path: "/v1/metadata", body: `{"type":"bulk","args":[` +
			`{"type":"pg_track_table","args":{"table":"author"}},{"type":"pg_track_table","args":{"table":"article"}},` +
			`{"type":"pg_add_computed_field","args":{"table":"author","name":"articles_like","definition":{"function":"fetch_articles","table_argument":"author_row"}}},` +
			`{"type":"pg_track_function","args":{"function":"fetch_articles"}},` +
			`{"type":"pg_track_function","args":{"function":"by_probe"}},` +
			`{"type":"pg_track_function","args":{"function":"get_articles"}},` +
			`{"type":"pg_track_function","args":{"function":"search_articles"}}]}`,
			want: `[{"message":"success"},{"message":"success"},{"message":"success"},{"message":"success"},{"message":"success"},{"message":"success"},{"message":"success"}]`},

		// Row type arguments are scalars named <type>_scalar, whose values
		// are the row's text form.
		gqlCase("introspection: row type scalars",
			`{ p: __type(name: "probe_scalar") { kind } a: __type(name: "author_scalar") { kind } args: __type(name: "fetch_articles_args") { inputFields { name type { kind name } } } }`,
			`{"data":{"p":{"kind":"SCALAR"},"a":{"kind":"SCALAR"},"args":{"inputFields":[{"name":"author_row","type":{"kind":"SCALAR","name":"author_scalar"}},{"name":"search","type":{"kind":"SCALAR","name":"String"}}]}}}`),
		gqlCase("a function of a table's row type, tracked and as a computed field",
			`{ author(order_by: {id: asc}) { name articles_like(args: {search: "a"}) { title } } fetch_articles(args: {search: "A", author_row: "(1, 'Ann')"}) { title } }`,
			`{"data":{"author":[{"name":"Ann","articles_like":[{"title":"Apples"},{"title":"Avocados"}]},{"name":"Bo","articles_like":[]}],"fetch_articles":[{"title":"Apples"},{"title":"Avocados"}]}}`),
		gqlCase("a function of a composite type",
			`{ by_probe(args: {p: "(3,Apples)"}) { id title } }`,
			`{"data":{"by_probe":[{"id":1,"title":"Apples"},{"id":3,"title":"Bananas"}]}}`),
		gqlCase("a malformed row",
			`{ by_probe(args: {p: "3"}) { id } }`,
			`{"errors":[{"extensions":{"path":"$","code":"data-exception"},"message":"malformed record literal: \"3\""}]}`),

		// Unnamed arguments (arg_1, arg_2) can only be passed by position:
		// after an omitted argument, only named ones may follow.
		gqlCase("positional arguments, the last ones omitted",
			`{ get_articles(args: {search: "a", arg_1: 1}) { title } }`,
			`{"data":{"get_articles":[{"title":"Apples"}]}}`),
		gqlCase("an omitted unnamed argument, then a named one",
			`{ get_articles(args: {search: "", arg_1: 5, onlyAnn: false}) { title } }`,
			`{"data":{"get_articles":[{"title":"Bananas"}]}}`),
		gqlCase("an unnamed argument after an omitted one",
			`{ get_articles(args: {search: "a", arg_2: true}) { title } }`,
			`{"errors":[{"extensions":{"path":"$.selectionSet.get_articles.args.args","code":"not-supported"},"message":"Only last set of positional arguments can be omitted"}]}`),
		gqlCase("a required argument omitted",
			`{ get_articles(args: {arg_2: true}) { title } }`,
			`{"errors":[{"extensions":{"path":"$.selectionSet.get_articles.args.args","code":"not-supported"},"message":"Non default arguments cannot be omitted"}]}`),

		// run_sql may neither overload a tracked function nor make it
		// VOLATILE: it is refused and rolled back.
		{name: "overloading a tracked function", path: "/v1/query",
			body:   `{"type":"run_sql","args":{"sql":"CREATE TABLE scratch (id int); CREATE FUNCTION search_articles(search text, id integer) RETURNS SETOF article LANGUAGE sql STABLE AS $$ SELECT * FROM article $$;"}}`,
			status: 400, want: `{"code":"not-supported","error":"the following tracked function(s) cannot be overloaded: search_articles","path":"$"}`},
		{name: "making a tracked function volatile", path: "/v1/query",
			body:   `{"type":"run_sql","args":{"sql":"CREATE OR REPLACE FUNCTION search_articles(search text) RETURNS SETOF article LANGUAGE sql VOLATILE AS $$ SELECT * FROM article $$;"}}`,
			status: 400, want: `{"code":"not-supported","error":"type of function \"search_articles\" is altered to \"VOLATILE\" which is not supported now","path":"$"}`},
		{name: "both were rolled back", path: "/v2/query",
			body: `{"type":"run_sql","args":{"sql":"SELECT count(*), min(provolatile::text), to_regclass('scratch') IS NULL FROM pg_proc WHERE proname = 'search_articles'"}}`,
			want: `{"result_type":"TuplesOk","result":[["count","min","?column?"],["1","s","t"]]}`},
		{name: "overloading an untracked function is fine", path: "/v2/query",
			body: `{"type":"run_sql","args":{"sql":"CREATE FUNCTION untracked(a int) RETURNS int LANGUAGE sql AS $$ SELECT a $$; CREATE FUNCTION untracked(a text) RETURNS text LANGUAGE sql AS $$ SELECT a $$;"}}`,
			want: rqCmdOk},
		{name: "without the metadata check, nothing is checked", path: "/v2/query",
			body: `{"type":"run_sql","args":{"check_metadata_consistency":false,"sql":"CREATE OR REPLACE FUNCTION search_articles(search text) RETURNS SETOF article LANGUAGE sql IMMUTABLE AS $$ SELECT * FROM article $$;"}}`,
			want: rqCmdOk},
		{name: "another volatility than VOLATILE is fine", path: "/v2/query",
			body: `{"type":"run_sql","args":{"sql":"CREATE OR REPLACE FUNCTION search_articles(search text) RETURNS SETOF article LANGUAGE sql STABLE AS $$ SELECT * FROM article WHERE title ILIKE search || '%' $$;"}}`,
			want: rqCmdOk},
		gqlCase("the tracked function still works",
			`{ search_articles(args: {search: "b"}) { title } }`,
			`{"data":{"search_articles":[{"title":"Bananas"}]}}`),
	})
}
