package metadataapi_test

import (
	"testing"

	"github.com/trellis-gql/trellis/engine/pgtest"
)

// TestGraphQLDefaultNaming serves a source whose customization sets
// naming_convention: graphql-default, as Hasura's naming convention tests
// do: PascalCase types, camelCase fields and arguments, _camelCase
// operators, UPPER CASE enum values; names the user chose stay as written.
func TestGraphQLDefaultNaming(t *testing.T) {
	e := startEngine(t, pgtest.NewDatabase(t))
	e.must(t, "/v2/query", `{"type":"run_sql","args":{"sql":"`+
		`CREATE TABLE author_local (id serial PRIMARY KEY, name text UNIQUE); `+
		`INSERT INTO author_local (name) VALUES ('Author 1'), ('Author 2'); `+
		`CREATE TABLE article_local (id serial PRIMARY KEY, author_id int NOT NULL, title text, rating int); `+
		`INSERT INTO article_local (author_id, title, rating) VALUES (1, 'Article 1', 3), (1, 'Article 2', NULL), (2, 'New Article 1', 5), (2, 'New Article 2', 4); `+
		`CREATE TABLE days_of_the_week (day_name text PRIMARY KEY); `+
		`INSERT INTO days_of_the_week VALUES ('Monday'), ('Sunday'); `+
		`CREATE TABLE users (id serial PRIMARY KEY, favourite_day text NOT NULL REFERENCES days_of_the_week); `+
		`INSERT INTO users (favourite_day) VALUES ('Sunday'), ('Monday')"}}`, rqCmdOk)
	e.must(t, "/v1/metadata", `{"type":"replace_metadata","args":{"version":3,"sources":[{"name":"default","kind":"postgres",`+
		`"customization":{"naming_convention":"graphql-default"},`+
		`"configuration":{"connection_info":{"database_url":{"from_env":"HASURA_GRAPHQL_DATABASE_URL"}}},"tables":[`+
		`{"table":{"schema":"public","name":"author_local"},"configuration":{"custom_name":"authorDetails","custom_root_fields":{"select_by_pk":"author_detail"}},`+
		`"array_relationships":[{"name":"articles","using":{"manual_configuration":{"remote_table":"article_local","column_mapping":{"id":"author_id"}}}}]},`+
		`{"table":{"schema":"public","name":"article_local"}},`+
		`{"table":{"schema":"public","name":"days_of_the_week"},"is_enum":true},`+
		`{"table":{"schema":"public","name":"users"}}]}]}}`, "")

	rqRun(t, e, []rqCase{
		gqlCase("custom name and generated names",
			`{ authorDetails { id name __typename } articleLocal(where: {authorId: {_eq: 1}}, orderBy: {id: ASC}) { id title __typename } }`,
			`{"data":{"authorDetails":[{"id":1,"name":"Author 1","__typename":"AuthorDetails"},{"id":2,"name":"Author 2","__typename":"AuthorDetails"}],`+
				`"articleLocal":[{"id":1,"title":"Article 1","__typename":"ArticleLocal"},{"id":2,"title":"Article 2","__typename":"ArticleLocal"}]}}`),
		gqlCase("custom root field kept, by_pk camelCase",
			`{ author_detail(id: 1) { name } articleLocalByPk(id: 3) { title __typename } }`,
			`{"data":{"author_detail":{"name":"Author 1"},"articleLocalByPk":{"title":"New Article 1","__typename":"ArticleLocal"}}}`),
		gqlCase("aggregates",
			`{ articleLocalAggregate(where: {authorId: {_eq: 2}}) { __typename aggregate { __typename count stddevPop { rating } } } }`,
			`{"data":{"articleLocalAggregate":{"__typename":"ArticleLocalAggregate","aggregate":{"__typename":"ArticleLocalAggregateFields","count":2,"stddevPop":{"rating":0.5}}}}}`),
		gqlCase("_isNull, distinctOn, enum values, relationship aggregate",
			`{ articleLocal(where: {rating: {_isNull: true}}) { id } authorDetails(orderBy: [{articlesAggregate: {count: DESC}}, {id: DESC}]) { id articlesAggregate { aggregate { count } } } `+
				`d: articleLocal(distinctOn: [AUTHOR_ID], orderBy: [{authorId: ASC}, {id: DESC}]) { id } }`,
			`{"data":{"articleLocal":[{"id":2}],"authorDetails":[{"id":2,"articlesAggregate":{"aggregate":{"count":2}}},{"id":1,"articlesAggregate":{"aggregate":{"count":2}}}],"d":[{"id":2},{"id":4}]}}`),
		gqlCase("order_by values in hasura-default spelling are refused",
			`{ articleLocal(orderBy: {id: asc}) { id } }`,
			`{"errors":[{"extensions":{"path":"$.selectionSet.articleLocal.args.orderBy.id","code":"validation-failed"},"message":"expected one of the values ['ASC', 'ASC_NULLS_FIRST', 'ASC_NULLS_LAST', 'DESC', 'DESC_NULLS_FIRST', 'DESC_NULLS_LAST'] for type 'OrderBy', but found 'asc'"}]}`),
		gqlCase("snake_case argument is unknown",
			`{ articleLocal(order_by: {id: ASC}) { id } }`,
			`{"errors":[{"extensions":{"path":"$.selectionSet.articleLocal","code":"validation-failed"},"message":"'articleLocal' has no argument named 'order_by'"}]}`),
		gqlCase("enum table values are upper case, in and out",
			`{ users(where: {favouriteDay: {_eq: SUNDAY}}) { id favouriteDay } }`,
			`{"data":{"users":[{"id":1,"favouriteDay":"SUNDAY"}]}}`),
		gqlCase("enum type introspection",
			`{ __type(name: "DaysOfTheWeekEnum") { enumValues { name } } }`,
			`{"data":{"__type":{"enumValues":[{"name":"MONDAY"},{"name":"SUNDAY"}]}}}`),
		gqlCase("type names in introspection",
			`{ t: __type(name: "ArticleLocalBoolExp") { inputFields { name type { name } } } s: __type(name: "articleLocal_bool_exp") { name } }`,
			`{"data":{"t":{"inputFields":[{"name":"_and","type":{"name":null}},{"name":"_not","type":{"name":"ArticleLocalBoolExp"}},{"name":"_or","type":{"name":null}},`+
				`{"name":"authorId","type":{"name":"IntComparisonExp"}},{"name":"id","type":{"name":"IntComparisonExp"}},{"name":"rating","type":{"name":"IntComparisonExp"}},{"name":"title","type":{"name":"StringComparisonExp"}}]},"s":null}}`),
		gqlCase("comparison operators",
			`{ __type(name: "IntComparisonExp") { inputFields { name } } }`,
			`{"data":{"__type":{"inputFields":[{"name":"_eq"},{"name":"_gt"},{"name":"_gte"},{"name":"_in"},{"name":"_isNull"},{"name":"_lt"},{"name":"_lte"},{"name":"_neq"},{"name":"_nin"}]}}}`),
	})
}
