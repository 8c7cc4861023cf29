package metadataapi_test

import (
	"encoding/json"
	"slices"
	"strings"
	"testing"

	"github.com/trellis-gql/trellis/engine/pgtest"
)

// TestComputedFieldsInWhereAndOrderBy filters and sorts by computed fields
// whose function takes only the row (and the session), as Hasura allows:
// a scalar one compares and sorts by its value, a table one filters like a
// relationship and sorts by aggregates of its rows. Computed fields that
// take client arguments are in neither input.
func TestComputedFieldsInWhereAndOrderBy(t *testing.T) {
	e := startEngine(t, pgtest.NewDatabase(t))
	e.must(t, "/v2/query", fnSchema, rqCmdOk)
	e.must(t, "/v2/query", `{"type":"run_sql","args":{"sql":"`+
		`INSERT INTO author (name) VALUES ('Cy'); `+
		`CREATE FUNCTION author_name_len(author) RETURNS int LANGUAGE sql STABLE AS $$ SELECT length($1.name) $$; `+
		`CREATE FUNCTION author_articles(a author) RETURNS SETOF article LANGUAGE sql STABLE AS $$ SELECT * FROM article WHERE author_id = a.id $$;"}}`, rqCmdOk)
	rqRun(t, e, []rqCase{
		{name: "track", path: "/v1/metadata", body: `{"type":"bulk","args":[` +
			`{"type":"pg_track_table","args":{"table":"author"}},{"type":"pg_track_table","args":{"table":"article"}},` +
			`{"type":"pg_create_object_relationship","args":{"table":"article","name":"author","using":{"foreign_key_constraint_on":"author_id"}}},` +
			`{"type":"pg_add_computed_field","args":{"table":"author","name":"name_len","definition":{"function":"author_name_len"}}},` +
			`{"type":"pg_add_computed_field","args":{"table":"author","name":"all_articles","definition":{"function":"author_articles"}}},` +
			`{"type":"pg_add_computed_field","args":{"table":"author","name":"label","definition":{"function":"author_label","table_argument":"author_row"}}},` +
			`{"type":"pg_add_computed_field","args":{"table":"author","name":"rated","definition":{"function":"author_rated"}}},` +
			`{"type":"pg_add_computed_field","args":{"table":"author","name":"role","definition":{"function":"author_role","session_argument":"hasura_session"}}}]}`,
			want: `[{"message":"success"},{"message":"success"},{"message":"success"},{"message":"success"},{"message":"success"},{"message":"success"},{"message":"success"},{"message":"success"}]`},

		gqlCase("where on a scalar computed field",
			`{ author(where: {name_len: {_gt: 2}}) { id name name_len } }`,
			`{"data":{"author":[{"id":1,"name":"Ann","name_len":3}]}}`),
		gqlCase("where on a scalar computed field with _in",
			`{ author(where: {name_len: {_in: [2]}}, order_by: {id: asc}) { id } }`,
			`{"data":{"author":[{"id":2},{"id":3}]}}`),
		gqlCase("where on a computed field with a session argument",
			`{ yes: author(where: {role: {_eq: "admin"}}, order_by: {id: asc}) { id } no: author(where: {role: {_eq: "user"}}) { id } }`,
			`{"data":{"yes":[{"id":1},{"id":2},{"id":3}],"no":[]}}`),
		gqlCase("where on a scalar computed field through a relationship",
			`{ article(where: {author: {name_len: {_eq: 2}}}, order_by: {id: asc}) { title } }`,
			`{"data":{"article":[{"title":"Bananas"}]}}`),
		gqlCase("where on a table computed field: some returned row matches",
			`{ author(where: {all_articles: {rating: {_gte: 4}}}, order_by: {id: asc}) { id } }`,
			`{"data":{"author":[{"id":1},{"id":2}]}}`),
		gqlCase("where on a table computed field under _not",
			`{ author(where: {_not: {all_articles: {}}}) { id } }`,
			`{"data":{"author":[{"id":3}]}}`),
		gqlCase("order_by a scalar computed field",
			`{ author(order_by: [{name_len: desc}, {id: desc}]) { id } }`,
			`{"data":{"author":[{"id":1},{"id":3},{"id":2}]}}`),
		gqlCase("order_by a scalar computed field through a relationship",
			`{ article(order_by: [{author: {name_len: asc}}, {id: asc}]) { id } }`,
			`{"data":{"article":[{"id":3},{"id":1},{"id":2}]}}`),
		gqlCase("order_by the count of a table computed field's rows",
			`{ author(order_by: [{all_articles_aggregate: {count: asc}}, {id: asc}]) { id } }`,
			`{"data":{"author":[{"id":3},{"id":2},{"id":1}]}}`),
		gqlCase("order_by max over a table computed field's rows, NULL last",
			`{ author(order_by: {all_articles_aggregate: {max: {rating: desc_nulls_last}}}) { id } }`,
			`{"data":{"author":[{"id":1},{"id":2},{"id":3}]}}`),
		gqlCase("distinct_on after a computed field order item",
			`{ author(distinct_on: name, order_by: [{name_len: asc}, {name: asc}]) { id } }`,
			`{"errors":[{"extensions":{"path":"$.selectionSet.author.args","code":"validation-failed"},"message":"\"distinct_on\" columns must match initial \"order_by\" columns"}]}`),
		gqlCase("a computed field with client arguments is not in bool_exp",
			`{ author(where: {label: {_eq: "Ann!"}}) { id } }`,
			`{"errors":[{"extensions":{"path":"$.selectionSet.author.args.where.label","code":"validation-failed"},"message":"field 'label' not found in type: 'author_bool_exp'"}]}`),
		gqlCase("a computed field with client arguments is not in order_by",
			`{ author(order_by: {label: asc}) { id } }`,
			`{"errors":[{"extensions":{"path":"$.selectionSet.author.args.order_by.label","code":"validation-failed"},"message":"field 'label' not found in type: 'author_order_by'"}]}`),
		gqlCase("nor its aggregate",
			`{ author(order_by: {rated_aggregate: {count: asc}}) { id } }`,
			`{"errors":[{"extensions":{"path":"$.selectionSet.author.args.order_by.rated_aggregate","code":"validation-failed"},"message":"field 'rated_aggregate' not found in type: 'author_order_by'"}]}`),
		gqlCase("a comparison the computed field's type does not have",
			`{ author(where: {name_len: {_like: "3"}}) { id } }`,
			`{"errors":[{"extensions":{"path":"$.selectionSet.author.args.where.name_len._like","code":"validation-failed"},"message":"field '_like' not found in type: 'Int_comparison_exp'"}]}`),
	})

	// The inputs' fields, compared as sets (their order is the
	// introspection code's business).
	for typ, want := range map[string]string{
		"author_bool_exp": "_and _not _or all_articles id name name_len role",
		"author_order_by": "all_articles_aggregate id name name_len role",
	} {
		_, body := e.post(t, "/v1/graphql", `{"query":"{ __type(name: \"`+typ+`\") { inputFields { name type { name } } } }"}`)
		var got struct {
			Data struct {
				Type struct{ InputFields []struct{ Name string } } `json:"__type"`
			}
		}
		if err := json.Unmarshal([]byte(body), &got); err != nil {
			t.Fatalf("%v: %s", err, body)
		}
		var names []string
		for _, f := range got.Data.Type.InputFields {
			names = append(names, f.Name)
		}
		slices.Sort(names)
		if strings.Join(names, " ") != want {
			t.Errorf("%s: got %s, want %s", typ, strings.Join(names, " "), want)
		}
	}
}
