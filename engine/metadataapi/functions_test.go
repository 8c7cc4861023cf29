package metadataapi_test

import (
	"encoding/json"
	"testing"

	"github.com/trellis-gql/trellis/engine/pgtest"
)

// fnSchema has authors and articles, a view, and SQL functions for
// computed fields (scalar and table-returning, one with a session
// argument) and for tracked functions (with a default argument, with a
// session argument, volatile).
const fnSchema = `{"type":"run_sql","args":{"sql":"` +
	`CREATE TABLE author (id serial PRIMARY KEY, name text NOT NULL); ` +
	`CREATE TABLE article (id serial PRIMARY KEY, title text NOT NULL, author_id int REFERENCES author(id), rating int NOT NULL); ` +
	`CREATE VIEW article_title AS SELECT id, title FROM article; ` +
	`INSERT INTO author (name) VALUES ('Ann'), ('Bo'); ` +
	`INSERT INTO article (title, author_id, rating) VALUES ('Apples', 1, 3), ('Avocados', 1, 5), ('Bananas', 2, 4); ` +
	`CREATE FUNCTION author_label(author_row author, suffix text DEFAULT '!') RETURNS text LANGUAGE sql STABLE AS $$ SELECT author_row.name || suffix $$; ` +
	`CREATE FUNCTION author_rated(author_row author, min_rating int) RETURNS SETOF article LANGUAGE sql STABLE AS $$ SELECT * FROM article WHERE author_id = author_row.id AND rating >= min_rating $$; ` +
	`CREATE FUNCTION author_role(a author, hasura_session json) RETURNS text LANGUAGE sql STABLE AS $$ SELECT hasura_session->>'x-hasura-role' $$; ` +
	`CREATE FUNCTION search_articles(search text, lim int DEFAULT 10) RETURNS SETOF article LANGUAGE sql STABLE AS $$ SELECT * FROM article WHERE title ILIKE search || '%' ORDER BY id LIMIT lim $$; ` +
	`CREATE FUNCTION my_articles(hasura_session json) RETURNS SETOF article LANGUAGE sql STABLE AS $$ SELECT * FROM article WHERE author_id = (hasura_session->>'x-hasura-user-id')::int $$; ` +
	`CREATE FUNCTION bump() RETURNS SETOF article LANGUAGE sql VOLATILE AS $$ SELECT * FROM article $$; ` +
	`CREATE FUNCTION volatile_label(a author) RETURNS text LANGUAGE sql VOLATILE AS $$ SELECT a.name $$; ` +
	`CREATE FUNCTION no_table() RETURNS SETOF int LANGUAGE sql STABLE AS $$ SELECT 1 $$;` +
	`"}}`

// gqlCase posts a GraphQL query as admin.
func gqlCase(name, query, want string) rqCase {
	q, _ := json.Marshal(query)
	return rqCase{name: name, path: "/v1/graphql", body: `{"query":` + string(q) + `}`, want: want}
}

func TestFunctionsAndComputedFieldsInGraphQL(t *testing.T) {
	e := startEngine(t, pgtest.NewDatabase(t))
	e.must(t, "/v2/query", fnSchema, rqCmdOk)
	rqRun(t, e, []rqCase{
		{name: "track tables", path: "/v1/metadata", body: `{"type":"bulk","args":[` +
			`{"type":"pg_track_table","args":{"table":"author"}},{"type":"pg_track_table","args":{"table":"article"}},` +
			`{"type":"pg_track_table","args":{"table":"article_title"}}]}`,
			want: `[{"message":"success"},{"message":"success"},{"message":"success"}]`},
		{name: "add computed fields", path: "/v1/metadata", body: `{"type":"bulk","args":[` +
			`{"type":"pg_add_computed_field","args":{"table":"author","name":"label","definition":{"function":"author_label","table_argument":"author_row"}}},` +
			`{"type":"pg_add_computed_field","args":{"table":"author","name":"rated","definition":{"function":"author_rated"},"comment":"articles rated at least"}},` +
			`{"type":"pg_add_computed_field","args":{"table":"author","name":"role","definition":{"function":"author_role","session_argument":"hasura_session"}}}]}`,
			want: `[{"message":"success"},{"message":"success"},{"message":"success"}]`},
		{name: "track functions", path: "/v1/metadata", body: `{"type":"bulk","args":[` +
			`{"type":"pg_track_function","args":{"function":"search_articles"}},` +
			`{"type":"pg_track_function","args":{"function":"my_articles","configuration":{"session_argument":"hasura_session","custom_root_fields":{"function":"mine","function_aggregate":"mine_stats"}}}},` +
			`{"type":"pg_track_function","args":{"function":"bump"}}]}`,
			want: `[{"message":"success"},{"message":"success"},{"message":"success"}]`},

		{name: "a volatile computed field is refused", path: "/v1/metadata",
			body:   `{"type":"pg_add_computed_field","args":{"table":"author","name":"vl","definition":{"function":"volatile_label"}}}`,
			status: 400,
			want: `{"code":"invalid-configuration","error":"Inconsistent object: in table \"author\": in computed field \"vl\": the computed field \"vl\" cannot be added to table \"author\" because the function \"volatile_label\" is of type VOLATILE; cannot be added as a computed field",` +
				`"internal":[{"type":"computed_field","name":"computed_field vl in table author in source default","reason":"Inconsistent object: in table \"author\": in computed field \"vl\": the computed field \"vl\" cannot be added to table \"author\" because the function \"volatile_label\" is of type VOLATILE; cannot be added as a computed field",` +
				`"definition":{"source":"default","table":{"schema":"public","name":"author"},"name":"vl","definition":{"function":"volatile_label"},"comment":null}}],"path":"$.args"}`},
		{name: "a computed field on the wrong table is refused", path: "/v1/metadata",
			body:   `{"type":"pg_add_computed_field","args":{"table":"article","name":"label","definition":{"function":"author_label"}}}`,
			status: 400,
			want: `{"code":"invalid-configuration","error":"Inconsistent object: in table \"article\": in computed field \"label\": the computed field \"label\" cannot be added to table \"article\" because first argument of the function \"author_label\" of type \"author\" is not the table to which the computed field is being added",` +
				`"internal":[{"type":"computed_field","name":"computed_field label in table article in source default","reason":"Inconsistent object: in table \"article\": in computed field \"label\": the computed field \"label\" cannot be added to table \"article\" because first argument of the function \"author_label\" of type \"author\" is not the table to which the computed field is being added",` +
				`"definition":{"source":"default","table":{"schema":"public","name":"article"},"name":"label","definition":{"function":"author_label"},"comment":null}}],"path":"$.args"}`},
		{name: "a function that returns no table is refused", path: "/v1/metadata",
			body:   `{"type":"pg_track_function","args":{"function":"no_table"}}`,
			status: 400,
			want: `{"code":"invalid-configuration","error":"Inconsistent object: in function \"no_table\": the function \"no_table\" cannot be tracked because the function does not return a \"COMPOSITE\" type",` +
				`"internal":[{"type":"function","name":"function no_table in source default","reason":"Inconsistent object: in function \"no_table\": the function \"no_table\" cannot be tracked because the function does not return a \"COMPOSITE\" type","definition":{"schema":"public","name":"no_table"}}],"path":"$.args"}`},

		gqlCase("scalar computed fields, default and given args, session argument",
			`{ author(order_by: {id: asc}) { id label loud: label(args: {suffix: "?!"}) role } }`,
			`{"data":{"author":[{"id":1,"label":"Ann!","loud":"Ann?!","role":"admin"},{"id":2,"label":"Bo!","loud":"Bo?!","role":"admin"}]}}`),
		gqlCase("a table computed field with args, where, order_by and limit",
			`{ author_by_pk(id: 1) { name rated(args: {min_rating: 3}, where: {title: {_like: "A%"}}, order_by: {rating: desc}, limit: 1) { title rating } } }`,
			`{"data":{"author_by_pk":{"name":"Ann","rated":[{"title":"Avocados","rating":5}]}}}`),
		gqlCase("a tracked function with args, where and order_by",
			`{ search_articles(args: {search: "a"}, where: {rating: {_gt: 3}}, order_by: {id: desc}) { id title } }`,
			`{"data":{"search_articles":[{"id":2,"title":"Avocados"}]}}`),
		gqlCase("a default argument given",
			`{ search_articles(args: {search: "a", lim: 1}) { title } }`,
			`{"data":{"search_articles":[{"title":"Apples"}]}}`),
		gqlCase("the aggregate of a tracked function",
			`{ search_articles_aggregate(args: {search: ""}) { aggregate { count sum { rating } } nodes { id } } }`,
			`{"data":{"search_articles_aggregate":{"aggregate":{"count":3,"sum":{"rating":12}},"nodes":[{"id":1},{"id":2},{"id":3}]}}}`),
		{name: "a session argument and custom root fields", path: "/v1/graphql", hdr: map[string]string{"X-Hasura-User-Id": "2"},
			body: `{"query":"{ mine { title } mine_stats { aggregate { count } } }"}`,
			want: `{"data":{"mine":[{"title":"Bananas"}],"mine_stats":{"aggregate":{"count":1}}}}`},
		gqlCase("a view has no _by_pk",
			`{ article_title_by_pk(id: 1) { title } }`,
			`{"errors":[{"extensions":{"path":"$.selectionSet.article_title_by_pk","code":"validation-failed"},"message":"field 'article_title_by_pk' not found in type: 'query_root'"}]}`),
		gqlCase("a volatile function is not a query",
			`{ bump { id } }`,
			`{"errors":[{"extensions":{"path":"$.selectionSet.bump","code":"validation-failed"},"message":"field 'bump' not found in type: 'query_root'"}]}`),
		gqlCase("args missing",
			`{ search_articles { id } }`,
			`{"errors":[{"extensions":{"path":"$.selectionSet.search_articles","code":"validation-failed"},"message":"missing required field 'args'"}]}`),
		gqlCase("a required argument missing",
			`{ search_articles(args: {lim: 1}) { id } }`,
			`{"errors":[{"extensions":{"path":"$.selectionSet.search_articles.args.args","code":"not-supported"},"message":"Non default arguments cannot be omitted"}]}`),
		gqlCase("an unknown argument",
			`{ search_articles(args: {search: "a", nope: 1}) { id } }`,
			`{"errors":[{"extensions":{"path":"$.selectionSet.search_articles.args.args.nope","code":"validation-failed"},"message":"field 'nope' not found in type: 'search_articles_args'"}]}`),
		gqlCase("an argument of the wrong type",
			`{ search_articles(args: {search: 1}) { id } }`,
			`{"errors":[{"extensions":{"path":"$.selectionSet.search_articles.args.args.search","code":"parse-failed"},"message":"parsing Text failed, expected String, but encountered Number"}]}`),
		gqlCase("a computed field's required argument missing",
			`{ author { rated { id } } }`,
			`{"errors":[{"extensions":{"path":"$.selectionSet.author.selectionSet.rated","code":"validation-failed"},"message":"missing required field 'args'"}]}`),
		gqlCase("no aggregate for a computed field",
			`{ author { rated_aggregate { aggregate { count } } } }`,
			`{"errors":[{"extensions":{"path":"$.selectionSet.author.selectionSet.rated_aggregate","code":"validation-failed"},"message":"field 'rated_aggregate' not found in type: 'author'"}]}`),

		gqlCase("introspection: the args input types",
			`{ f: __type(name: "search_articles_args") { name kind } c: __type(name: "rated_author_args") { name kind } }`,
			`{"data":{"f":{"name":"search_articles_args","kind":"INPUT_OBJECT"},"c":{"name":"rated_author_args","kind":"INPUT_OBJECT"}}}`),
		gqlCase("introspection: computed fields",
			`{ __type(name: "author") { fields { name description type { kind name ofType { kind name } } } } }`,
			`{"data":{"__type":{"fields":[`+
				`{"name":"id","description":null,"type":{"kind":"NON_NULL","name":null,"ofType":{"kind":"SCALAR","name":"Int"}}},`+
				`{"name":"label","description":"A computed field, executes function \"author_label\"","type":{"kind":"SCALAR","name":"String","ofType":null}},`+
				`{"name":"name","description":null,"type":{"kind":"NON_NULL","name":null,"ofType":{"kind":"SCALAR","name":"String"}}},`+
				`{"name":"rated","description":"articles rated at least","type":{"kind":"LIST","name":null,"ofType":{"kind":"NON_NULL","name":null}}},`+
				`{"name":"role","description":"A computed field, executes function \"author_role\"","type":{"kind":"SCALAR","name":"String","ofType":null}}]}}}`),
		gqlCase("introspection: the function root fields",
			`{ s: __type(name: "query_root") { fields { name description type { kind name ofType { kind name } } } } }`,
			`{"data":{"s":{"fields":[{"name":"article","description":"fetch data from the table: \"article\"","type":{"kind":"NON_NULL","name":null,"ofType":{"kind":"LIST","name":null}}},`+
				`{"name":"article_aggregate","description":"fetch aggregated fields from the table: \"article\"","type":{"kind":"NON_NULL","name":null,"ofType":{"kind":"OBJECT","name":"article_aggregate"}}},`+
				`{"name":"article_by_pk","description":"fetch data from the table: \"article\" using primary key columns","type":{"kind":"OBJECT","name":"article","ofType":null}},`+
				`{"name":"article_title","description":"fetch data from the table: \"article_title\"","type":{"kind":"NON_NULL","name":null,"ofType":{"kind":"LIST","name":null}}},`+
				`{"name":"article_title_aggregate","description":"fetch aggregated fields from the table: \"article_title\"","type":{"kind":"NON_NULL","name":null,"ofType":{"kind":"OBJECT","name":"article_title_aggregate"}}},`+
				`{"name":"author","description":"fetch data from the table: \"author\"","type":{"kind":"NON_NULL","name":null,"ofType":{"kind":"LIST","name":null}}},`+
				`{"name":"author_aggregate","description":"fetch aggregated fields from the table: \"author\"","type":{"kind":"NON_NULL","name":null,"ofType":{"kind":"OBJECT","name":"author_aggregate"}}},`+
				`{"name":"author_by_pk","description":"fetch data from the table: \"author\" using primary key columns","type":{"kind":"OBJECT","name":"author","ofType":null}},`+
				`{"name":"mine","description":"execute function \"my_articles\" which returns \"article\"","type":{"kind":"NON_NULL","name":null,"ofType":{"kind":"LIST","name":null}}},`+
				`{"name":"mine_stats","description":"execute function \"my_articles\" and query aggregates on result of table type \"article\"","type":{"kind":"NON_NULL","name":null,"ofType":{"kind":"OBJECT","name":"article_aggregate"}}},`+
				`{"name":"search_articles","description":"execute function \"search_articles\" which returns \"article\"","type":{"kind":"NON_NULL","name":null,"ofType":{"kind":"LIST","name":null}}},`+
				`{"name":"search_articles_aggregate","description":"execute function \"search_articles\" and query aggregates on result of table type \"article\"","type":{"kind":"NON_NULL","name":null,"ofType":{"kind":"OBJECT","name":"article_aggregate"}}}]}}}`),
	})

	// The plan cache binds function arguments from variables: the same
	// document with other values answers with their rows.
	const byArgs = `query($q: String!, $n: Int) { search_articles(args: {search: $q, lim: $n}) { title } }`
	for _, c := range []struct{ vars, want string }{
		{`{"q": "a", "n": 5}`, `{"data":{"search_articles":[{"title":"Apples"},{"title":"Avocados"}]}}`},
		{`{"q": "b", "n": 5}`, `{"data":{"search_articles":[{"title":"Bananas"}]}}`},
		{`{"q": "a", "n": 1}`, `{"data":{"search_articles":[{"title":"Apples"}]}}`},
		{`{"q": "a", "n": null}`, `{"data":{"search_articles":[{"title":"Apples"},{"title":"Avocados"}]}}`}, // LIMIT NULL: no limit
		// A string for an Int column goes to Postgres, as in Hasura.
		{`{"q": "a", "n": "x"}`, `{"errors":[{"extensions":{"path":"$","code":"data-exception"},"message":"invalid input syntax for type integer: \"x\""}]}`},
	} {
		q, _ := json.Marshal(byArgs)
		e.must(t, "/v1/graphql", `{"query":`+string(q)+`,"variables":`+c.vars+`}`, c.want)
	}
}
