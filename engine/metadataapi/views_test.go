package metadataapi_test

import (
	"testing"

	"github.com/trellis-gql/trellis/engine/pgtest"
)

// TestTrackedViews serves views and materialized views like tables, with
// no _by_pk field since a view has no primary key, and relationships
// defined by hand.
func TestTrackedViews(t *testing.T) {
	e := startEngine(t, pgtest.NewDatabase(t))
	e.must(t, "/v2/query", setupSQL, "")
	e.must(t, "/v2/query", `{"type":"run_sql","args":{"sql":"`+
		`CREATE VIEW article_stats AS SELECT author_id, count(*) AS articles, max(title) AS last_title FROM article GROUP BY author_id; `+
		`CREATE MATERIALIZED VIEW author_names AS SELECT id, upper(name) AS shout FROM author"}}`, `{"result_type":"CommandOk","result":null}`)
	e.must(t, "/v1/metadata", `{"type":"bulk","args":[`+
		`{"type":"pg_track_table","args":{"table":"author"}},`+
		`{"type":"pg_track_table","args":{"table":"article_stats"}},`+
		`{"type":"pg_track_table","args":{"table":"author_names"}},`+
		`{"type":"pg_create_object_relationship","args":{"table":"article_stats","name":"author","using":{"manual_configuration":{"remote_table":"author","column_mapping":{"author_id":"id"}}}}}]}`,
		`[{"message":"success"},{"message":"success"},{"message":"success"},{"message":"success"}]`)

	e.must(t, "/v1/graphql", `{"query":"{ article_stats(order_by: {author_id: asc}) { articles last_title author { name } } author_names(where: {id: {_eq: 2}}) { shout } }"}`,
		`{"data":{"article_stats":[{"articles":2,"last_title":"A2","author":{"name":"Ann"}},{"articles":1,"last_title":"B1","author":{"name":"Bo"}}],"author_names":[{"shout":"BO"}]}}`)
	e.must(t, "/v1/graphql", `{"query":"{ article_stats_aggregate { aggregate { sum { articles } } } }"}`,
		`{"data":{"article_stats_aggregate":{"aggregate":{"sum":{"articles":3}}}}}`)
	e.must(t, "/v1/graphql", `{"query":"{ __schema { queryType { fields { name } } } }"}`,
		`{"data":{"__schema":{"queryType":{"fields":[{"name":"article_stats"},{"name":"article_stats_aggregate"},{"name":"author"},{"name":"author_aggregate"},{"name":"author_by_pk"},{"name":"author_names"},{"name":"author_names_aggregate"}]}}}}`)
	status, got := e.post(t, "/v1/graphql", `{"query":"{ article_stats_by_pk(author_id: 1) { articles } }"}`)
	if want := `{"errors":[{"extensions":{"path":"$.selectionSet.article_stats_by_pk","code":"validation-failed"},"message":"field 'article_stats_by_pk' not found in type: 'query_root'"}]}`; status != 200 || got != want {
		t.Errorf("a view's _by_pk => %d %s\nwant 200 %s", status, got, want)
	}
}
