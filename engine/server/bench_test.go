package server_test

import (
	"bytes"
	"io"
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
				// Read the body so that the connection is reused: the
				// benchmark measures requests, not dialling.
				if _, err := io.Copy(io.Discard, resp.Body); err != nil {
					b.Fatal(err)
				}
				resp.Body.Close()
			}
		})
	}
}

// BenchmarkQueryRole is BenchmarkQuery's by_pk under a role with a row
// filter, next to the same request as admin: the permission's cost is the
// difference (the target is within 10 %). users_by_pk's student filter is
// a column comparison (id = X-Hasura-User-Id), matches_by_pk's follows a
// relationship (student.user_id = X-Hasura-User-Id, an EXISTS). Roles are
// chosen with x-hasura-role headers (no admin secret), so authentication
// costs the same on both sides.
func BenchmarkQueryRole(b *testing.B) {
	s := newTestServer(b, serverOptions{})
	admin := map[string]string{}
	student := map[string]string{"X-Hasura-Role": "student", "X-Hasura-User-Id": "1"}
	cases := []struct {
		name, body string
		headers    map[string]string
	}{
		{"users_by_pk/admin", `{"query":"{ users_by_pk(id: 1) { id name email } }"}`, admin},
		{"users_by_pk/student", `{"query":"{ users_by_pk(id: 1) { id name email } }"}`, student},
		{"matches_by_pk/admin", `{"query":"{ matches_by_pk(id: 1) { id status student_id tutor_id } }"}`, admin},
		{"matches_by_pk/student", `{"query":"{ matches_by_pk(id: 1) { id status student_id tutor_id } }"}`, student},
	}
	for _, c := range cases {
		b.Run(c.name, func(b *testing.B) {
			b.ReportAllocs()
			for i := 0; i < b.N; i++ {
				req, err := http.NewRequest(http.MethodPost, s.URL+"/v1/graphql", strings.NewReader(c.body))
				if err != nil {
					b.Fatal(err)
				}
				req.Header.Set("Content-Type", "application/json")
				for k, v := range c.headers {
					req.Header.Set(k, v)
				}
				resp, err := http.DefaultClient.Do(req)
				if err != nil {
					b.Fatal(err)
				}
				body, err := io.ReadAll(resp.Body)
				resp.Body.Close()
				if err != nil || resp.StatusCode != http.StatusOK || !bytes.HasPrefix(body, []byte(`{"data":{`)) || bytes.Contains(body, []byte(":null")) {
					b.Fatalf("status %d: %s (%v)", resp.StatusCode, body, err)
				}
			}
		})
	}
}
