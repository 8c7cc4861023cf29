package metadataapi_test

import (
	"fmt"
	"net/http"
	"strings"
	"testing"

	"github.com/trellis-gql/trellis/engine/pgtest"
)

// BenchmarkTrackTableAmongMany tracks one more table in a database whose
// metadata already tracks n tables (the yardstick: n = 5000).
func BenchmarkTrackTableAmongMany(b *testing.B) {
	for _, n := range []int{500, 5000} {
		b.Run(fmt.Sprint(n), func(b *testing.B) {
			e := startEngine(b, pgtest.NewDatabase(b))
			e.must(b, "/v2/query", fmt.Sprintf(`{"type":"run_sql","args":{"sql":"DO $$ BEGIN FOR i IN 1..%d LOOP EXECUTE format('CREATE TABLE t%%s (id int PRIMARY KEY, name text, parent int REFERENCES t1(id))', i); END LOOP; END $$;"}}`, n+b.N+1), "")
			var tables []string
			for i := 1; i <= n; i++ {
				tables = append(tables, fmt.Sprintf(`{"table":{"schema":"public","name":"t%d"}}`, i))
			}
			e.must(b, "/v1/metadata", `{"type":"replace_metadata","args":{"version":3,"sources":[{"name":"default","kind":"postgres","tables":[`+strings.Join(tables, ",")+`],"configuration":{"connection_info":{"database_url":{"from_env":"HASURA_GRAPHQL_DATABASE_URL"}}}}]}}`, "")
			// The first GraphQL request builds the admin schema.
			e.must(b, "/v1/graphql", `{"query":"{ t1 { id } }"}`, `{"data":{"t1":[]}}`)
			b.ResetTimer()
			for i := 0; i < b.N; i++ {
				status, body := e.post(b, "/v1/metadata", fmt.Sprintf(`{"type":"pg_track_table","args":{"table":"t%d"}}`, n+1+i))
				if status != http.StatusOK {
					b.Fatalf("%d %s", status, body)
				}
			}
		})
	}
}
