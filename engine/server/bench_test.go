package server_test

import (
	"net/http"
	"strings"
	"testing"
)

// BenchmarkQuery measures whole requests through the HTTP handler against
// the tutoring example: parse, plan, one statement, bytes out.
func BenchmarkQuery(b *testing.B) {
	s := newTestServer(b, serverOptions{})
	queries := map[string]string{
		"by_pk":  `{"query":"{ subjects_by_pk(id: 7) { id name category } }"}`,
		"nested": `{"query":"{ tutors(limit: 10, order_by: {id: asc}) { id user { name } matches(order_by: {id: asc}) { status student { user { name } } } } }"}`,
		"aggregate": `{"query":"{ matches_aggregate(where: {status: {_eq: \"active\"}}) { aggregate { count } } ` +
			`courses_aggregate { aggregate { avg { price } max { starts_on } } } }"}`,
	}
	for name, body := range queries {
		b.Run(name, func(b *testing.B) {
			b.ReportAllocs()
			for i := 0; i < b.N; i++ {
				resp, err := http.Post(s.URL+"/v1/graphql", "application/json", strings.NewReader(body))
				if err != nil {
					b.Fatal(err)
				}
				if resp.StatusCode != http.StatusOK {
					b.Fatalf("status %d", resp.StatusCode)
				}
				resp.Body.Close()
			}
		})
	}
}
