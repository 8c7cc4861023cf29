package metadataapi_test

import (
	"strings"
	"testing"

	"github.com/trellis-gql/trellis/engine/pgtest"
)

// descrSchema has tables with and without database comments, one in
// another schema, and foreign keys on nullable and NOT NULL columns.
const descrSchema = `{"type":"run_sql","args":{"sql":"` +
	`CREATE TABLE author (id serial PRIMARY KEY, name text NOT NULL, bio text); ` +
	`COMMENT ON TABLE author IS 'Writers in the DB'; ` +
	`COMMENT ON COLUMN author.name IS 'Name in the DB'; ` +
	`COMMENT ON COLUMN author.bio IS 'Bio in the DB'; ` +
	`CREATE TABLE article (id serial PRIMARY KEY, title text NOT NULL, author_id int NOT NULL REFERENCES author(id), editor_id int REFERENCES author(id), UNIQUE (title, author_id)); ` +
	`COMMENT ON TABLE article IS 'Hidden by the metadata'; ` +
	`COMMENT ON COLUMN article.title IS 'Hidden title comment'; ` +
	`CREATE TABLE cover (article_id int PRIMARY KEY REFERENCES article(id), url text NOT NULL); ` +
	`CREATE TABLE review (id serial PRIMARY KEY, article_title text NOT NULL, article_author int, ` +
	`FOREIGN KEY (article_title, article_author) REFERENCES article (title, author_id)); ` +
	`CREATE SCHEMA extra; ` +
	`CREATE TABLE extra.note (id serial PRIMARY KEY, body text)` +
	`"}}`

// TestDescriptionsFromMetadata follows Hasura's graphql_introspection
// descriptions tests: a comment in the table configuration, column_config
// or custom_root_fields replaces the database comment or the generated
// description, and an empty one removes it. It also checks Hasura's
// nullability of object relationships (nullable_object_relationship): only
// one that follows a foreign key on NOT NULL columns of its own table is
// non-null.
func TestDescriptionsFromMetadata(t *testing.T) {
	e := startEngine(t, pgtest.NewDatabase(t))
	e.must(t, "/v2/query", descrSchema, rqCmdOk)
	rqRun(t, e, []rqCase{
		{name: "track with comments", path: "/v1/metadata", body: `{"type":"bulk","args":[` +
			`{"type":"pg_track_table","args":{"table":"author","configuration":{` +
			`"custom_root_fields":{"select":{"name":"writers","comment":"All writers"},"select_by_pk":{"comment":"One writer"},"select_aggregate":"writers_stats","insert":{"name":"add_writers","comment":"Adds writers"}},` +
			`"column_config":{"bio":{"comment":"Bio in metadata"}}}}},` +
			`{"type":"pg_track_table","args":{"table":"article","configuration":{"comment":"",` +
			`"custom_root_fields":{"select":{"name":null,"comment":""},"select_by_pk":{"name":null,"comment":""},"select_aggregate":{"comment":""}},` +
			`"column_config":{"title":{"comment":""},"id":{"comment":"Article key"}}}}},` +
			`{"type":"pg_track_table","args":{"table":"cover","configuration":{"comment":"Cover images"}}},` +
			`{"type":"pg_track_table","args":{"table":"review"}},` +
			`{"type":"pg_track_table","args":{"table":{"schema":"extra","name":"note"}}}]}`,
			want: `[{"message":"success"},{"message":"success"},{"message":"success"},{"message":"success"},{"message":"success"}]`},
		{name: "relationships", path: "/v1/metadata", body: `{"type":"bulk","args":[` +
			`{"type":"pg_create_object_relationship","args":{"table":"article","name":"author","using":{"foreign_key_constraint_on":"author_id"}}},` +
			`{"type":"pg_create_object_relationship","args":{"table":"article","name":"editor","using":{"foreign_key_constraint_on":"editor_id"}}},` +
			`{"type":"pg_create_object_relationship","args":{"table":"article","name":"cover","using":{"foreign_key_constraint_on":{"table":"cover","columns":["article_id"]}}}},` +
			`{"type":"pg_create_object_relationship","args":{"table":"cover","name":"article","using":{"foreign_key_constraint_on":"article_id"}}},` +
			`{"type":"pg_create_object_relationship","args":{"table":"cover","name":"by_hand","using":{"manual_configuration":{"remote_table":"article","column_mapping":{"article_id":"id"}}}}},` +
			`{"type":"pg_create_object_relationship","args":{"table":"review","name":"article","using":{"foreign_key_constraint_on":["article_title","article_author"]}}},` +
			`{"type":"pg_create_array_relationship","args":{"table":"author","name":"articles","using":{"foreign_key_constraint_on":{"table":"article","column":"author_id"}}}}]}`,
			want: `[{"message":"success"},{"message":"success"},{"message":"success"},{"message":"success"},{"message":"success"},{"message":"success"},{"message":"success"}]`},

		gqlCase("automatic: database comments, a column_config comment wins",
			`{ __type(name: "author") { name description fields { name description } } }`,
			`{"data":{"__type":{"name":"author","description":"Writers in the DB","fields":[{"name":"articles","description":"An array relationship"},`+
				`{"name":"articles_aggregate","description":"An aggregate relationship"},{"name":"bio","description":"Bio in metadata"},`+
				`{"name":"id","description":null},{"name":"name","description":"Name in the DB"}]}}}`),
		gqlCase("explicit empty comments hide the database's",
			`{ __type(name: "article") { description fields { name description } } }`,
			`{"data":{"__type":{"description":null,"fields":[{"name":"author","description":"An object relationship"},{"name":"author_id","description":null},`+
				`{"name":"cover","description":"An object relationship"},{"name":"editor","description":"An object relationship"},`+
				`{"name":"editor_id","description":null},{"name":"id","description":"Article key"},{"name":"title","description":null}]}}}`),
		gqlCase("a table comment in metadata, no database comment",
			`{ __type(name: "cover") { description } }`,
			`{"data":{"__type":{"description":"Cover images"}}}`),
		gqlCase("generated descriptions name the schema when it is not public",
			`{ t: __type(name: "extra_note") { description } b: __type(name: "extra_note_bool_exp") { description } o: __type(name: "extra_note_order_by") { description } }`,
			`{"data":{"t":{"description":"columns and relationships of \"extra.note\""},`+
				`"b":{"description":"Boolean expression to filter rows from the table \"extra.note\". All fields are combined with a logical 'AND'."},`+
				`"o":{"description":"Ordering options when selecting data from \"extra.note\"."}}}`),
		gqlCase("other generated descriptions keep the table name",
			`{ b: __type(name: "article_bool_exp") { description } o: __type(name: "article_order_by") { description } a: __type(name: "article_aggregate") { description } `+
				`m: __type(name: "article_max_order_by") { inputFields { name description } } }`,
			`{"data":{"b":{"description":"Boolean expression to filter rows from the table \"article\". All fields are combined with a logical 'AND'."},`+
				`"o":{"description":"Ordering options when selecting data from \"article\"."},"a":{"description":"aggregated selection of \"article\""},`+
				`"m":{"inputFields":[{"name":"author_id","description":null},{"name":"editor_id","description":null},{"name":"id","description":"Article key"},`+
				`{"name":"title","description":null}]}}}`),
		gqlCase("root field comments",
			`{ __type(name: "query_root") { fields { name description } } }`,
			`{"data":{"__type":{"fields":[{"name":"article","description":null},{"name":"article_aggregate","description":null},`+
				`{"name":"article_by_pk","description":null},{"name":"author_by_pk","description":"One writer"},`+
				`{"name":"cover","description":"fetch data from the table: \"cover\""},`+
				`{"name":"cover_aggregate","description":"fetch aggregated fields from the table: \"cover\""},`+
				`{"name":"cover_by_pk","description":"fetch data from the table: \"cover\" using primary key columns"},`+
				`{"name":"extra_note","description":"fetch data from the table: \"extra.note\""},`+
				`{"name":"extra_note_aggregate","description":"fetch aggregated fields from the table: \"extra.note\""},`+
				`{"name":"extra_note_by_pk","description":"fetch data from the table: \"extra.note\" using primary key columns"},`+
				`{"name":"review","description":"fetch data from the table: \"review\""},`+
				`{"name":"review_aggregate","description":"fetch aggregated fields from the table: \"review\""},`+
				`{"name":"review_by_pk","description":"fetch data from the table: \"review\" using primary key columns"},`+
				`{"name":"writers","description":"All writers"},{"name":"writers_stats","description":"fetch aggregated fields from the table: \"author\""}]}}}`),
		gqlCase("object relationships on NOT NULL foreign key columns are non-null",
			`{ a: __type(name: "article") { fields { name type { kind name ofType { name } } } } `+
				`c: __type(name: "cover") { fields { name type { kind name ofType { name } } } } `+
				`r: __type(name: "review") { fields { name type { kind name } } } }`,
			`{"data":{"a":{"fields":[{"name":"author","type":{"kind":"NON_NULL","name":null,"ofType":{"name":"author"}}},`+
				`{"name":"author_id","type":{"kind":"NON_NULL","name":null,"ofType":{"name":"Int"}}},`+
				`{"name":"cover","type":{"kind":"OBJECT","name":"cover","ofType":null}},{"name":"editor","type":{"kind":"OBJECT","name":"author","ofType":null}},`+
				`{"name":"editor_id","type":{"kind":"SCALAR","name":"Int","ofType":null}},{"name":"id","type":{"kind":"NON_NULL","name":null,"ofType":{"name":"Int"}}},`+
				`{"name":"title","type":{"kind":"NON_NULL","name":null,"ofType":{"name":"String"}}}]},`+
				`"c":{"fields":[{"name":"article","type":{"kind":"NON_NULL","name":null,"ofType":{"name":"article"}}},`+
				`{"name":"article_id","type":{"kind":"NON_NULL","name":null,"ofType":{"name":"Int"}}},`+
				`{"name":"by_hand","type":{"kind":"OBJECT","name":"article","ofType":null}},`+
				`{"name":"url","type":{"kind":"NON_NULL","name":null,"ofType":{"name":"String"}}}]},`+
				`"r":{"fields":[{"name":"article","type":{"kind":"OBJECT","name":"article"}},{"name":"article_author","type":{"kind":"SCALAR","name":"Int"}},`+
				`{"name":"article_title","type":{"kind":"NON_NULL","name":null}},{"name":"id","type":{"kind":"NON_NULL","name":null}}]}}}`),
		{name: "export keeps the comments, an empty one too", path: "/v1/metadata", body: `{"type":"export_metadata","args":{}}`,
			want: `{"version":3,"sources":[{"name":"default","kind":"postgres","tables":[{"table":{"schema":"extra","name":"note"}},` +
				`{"table":{"schema":"public","name":"article"},"configuration":{"custom_root_fields":{"select":{"name":null,"comment":""},` +
				`"select_by_pk":{"name":null,"comment":""},"select_aggregate":{"name":null,"comment":""}},"column_config":{"id":{"comment":"Article key"},` +
				`"title":{"comment":""}},"comment":""},"object_relationships":[{"name":"author","using":{"foreign_key_constraint_on":"author_id"}},` +
				`{"name":"editor","using":{"foreign_key_constraint_on":"editor_id"}},` +
				`{"name":"cover","using":{"foreign_key_constraint_on":{"table":{"schema":"public","name":"cover"},"column":"article_id"}}}]},` +
				`{"table":{"schema":"public","name":"author"},"configuration":{"custom_root_fields":{"select":{"name":"writers","comment":"All writers"},` +
				`"select_by_pk":{"name":null,"comment":"One writer"},"select_aggregate":"writers_stats","insert":{"name":"add_writers","comment":"Adds writers"}},` +
				`"column_config":{"bio":{"comment":"Bio in metadata"}}},` +
				`"array_relationships":[{"name":"articles","using":{"foreign_key_constraint_on":{"table":{"schema":"public","name":"article"},` +
				`"column":"author_id"}}}]},{"table":{"schema":"public","name":"cover"},"configuration":{"comment":"Cover images"},` +
				`"object_relationships":[{"name":"article","using":{"foreign_key_constraint_on":"article_id"}},` +
				`{"name":"by_hand","using":{"manual_configuration":{"remote_table":{"schema":"public","name":"article"},"column_mapping":{"article_id":"id"}}}}]},` +
				`{"table":{"schema":"public","name":"review"},` +
				`"object_relationships":[{"name":"article","using":{"foreign_key_constraint_on":{"columns":["article_title","article_author"]}}}]}],` +
				`"configuration":{"connection_info":{"database_url":{"from_env":"HASURA_GRAPHQL_DATABASE_URL"}}}}]}`},
	})
	// Mutation root fields take their comments too.
	_, got := e.post(t, "/v1/graphql", `{"query":"{ __type(name: \"mutation_root\") { fields { name description } } }"}`)
	for _, want := range []string{
		`{"name":"add_writers","description":"Adds writers"}`,
		`{"name":"delete_author","description":"delete data from the table: \"author\""}`,
		`{"name":"delete_extra_note","description":"delete data from the table: \"extra.note\""}`,
	} {
		if !strings.Contains(got, want) {
			t.Errorf("mutation_root lacks %s:\n%s", want, got)
		}
	}
}
