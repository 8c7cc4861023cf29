package server_test

import (
	"io"
	"net/http"
	"strings"
	"testing"
)

// TestErrors checks Hasura's error shapes, codes, messages and paths for bad
// requests: they answer HTTP 200 with {"errors":[…]}.
func TestErrors(t *testing.T) {
	s := newTestServer(t, serverOptions{})
	cases := []struct {
		name string
		body string
		want string
	}{
		{
			name: "malformed JSON",
			body: `{"query":`,
			want: `{"errors":[{"extensions":{"path":"$","code":"invalid-json"},"message":"Error in $: Failed reading: not a valid json value"}]}`,
		},
		{
			name: "body not an object",
			body: `"hello"`,
			want: `{"errors":[{"extensions":{"path":"$","code":"parse-failed"},"message":"parsing Object failed, expected Object, but encountered String"}]}`,
		},
		{
			name: "no query",
			body: `{"variables":{}}`,
			want: `{"errors":[{"extensions":{"path":"$","code":"parse-failed"},"message":"key \"query\" not found"}]}`,
		},
		{
			name: "query not a string",
			body: `{"query":["x"]}`,
			want: `{"errors":[{"extensions":{"path":"$.query","code":"parse-failed"},"message":"parsing Text failed, expected String, but encountered Array"}]}`,
		},
		{
			name: "syntax error",
			body: `{"query":"{ subjects { name "}`,
			want: `{"errors":[{"extensions":{"path":"$.query","code":"validation-failed"},"message":"not a valid graphql query"}]}`,
		},
		{
			name: "unknown root field",
			body: `{"query":"{ random { id } }"}`,
			want: `{"errors":[{"extensions":{"path":"$.selectionSet.random","code":"validation-failed"},"message":"field 'random' not found in type: 'query_root'"}]}`,
		},
		{
			name: "unknown nested field",
			body: `{"query":"{ tutors { id user { nme } } }"}`,
			want: `{"errors":[{"extensions":{"path":"$.selectionSet.tutors.selectionSet.user.selectionSet.nme","code":"validation-failed"},"message":"field 'nme' not found in type: 'users'"}]}`,
		},
		{
			name: "unknown argument",
			body: `{"query":"{ subjects(limt: 1) { name } }"}`,
			want: `{"errors":[{"extensions":{"path":"$.selectionSet.subjects","code":"validation-failed"},"message":"'subjects' has no argument named 'limt'"}]}`,
		},
		{
			name: "unknown field in where",
			body: `{"query":"{ subjects(where: {nam: {_eq: \"x\"}}) { name } }"}`,
			want: `{"errors":[{"extensions":{"path":"$.selectionSet.subjects.args.where.nam","code":"validation-failed"},"message":"field 'nam' not found in type: 'subjects_bool_exp'"}]}`,
		},
		{
			name: "variable of the wrong declared type",
			body: `{"query":"query ($l: String) { subjects(limit: $l) { name } }","variables":{"l":"x"}}`,
			want: `{"errors":[{"extensions":{"path":"$.selectionSet.subjects.args.limit","code":"validation-failed"},"message":"variable 'l' is declared as 'String', but used where 'Int' is expected"}]}`,
		},
		{
			// Hasura takes a string for an integer column and lets Postgres
			// parse it.
			name: "variable value of the wrong type",
			body: `{"query":"query ($id: Int!) { subjects_by_pk(id: $id) { name } }","variables":{"id":"seven"}}`,
			want: `{"errors":[{"extensions":{"path":"$","code":"data-exception"},"message":"invalid input syntax for type integer: \"seven\""}]}`,
		},
		{
			name: "a boolean for an integer column",
			body: `{"query":"query ($id: Int!) { subjects_by_pk(id: $id) { name } }","variables":{"id":true}}`,
			want: `{"errors":[{"extensions":{"path":"$.selectionSet.subjects_by_pk.args.id","code":"validation-failed"},"message":"expected a 32-bit integer for type 'Int', but found a boolean"}]}`,
		},
		{
			name: "a string literal for an integer column",
			body: `{"query":"{ subjects_by_pk(id: \"7\") { name } }"}`,
			want: `{"data":{"subjects_by_pk":{"name":"Physics"}}}`,
		},
		{
			name: "integer overflow",
			body: `{"query":"{ subjects(limit: 2147483648) { name } }"}`,
			want: `{"errors":[{"extensions":{"path":"$.selectionSet.subjects.args.limit","code":"parse-failed"},"message":"The value 2.147483648e9 lies outside the bounds or is not an integer. Maybe it is a float, or is there integer overflow?"}]}`,
		},
		{
			name: "explicit null operand (Hasura v2 refuses it instead of matching every row)",
			body: `{"query":"query ($id: Int) { subjects(where: {id: {_eq: $id}}) { name } }","variables":{"id":null}}`,
			want: `{"errors":[{"extensions":{"path":"$.selectionSet.subjects.args.where.id._eq","code":"validation-failed"},"message":"unexpected null value for type 'Int'"}]}`,
		},
		{
			name: "missing non-null variable",
			body: `{"query":"query ($id: Int!) { subjects_by_pk(id: $id) { name } }"}`,
			want: `{"errors":[{"extensions":{"path":"$","code":"validation-failed"},"message":"expecting a value for non-nullable variable: \"id\""}]}`,
		},
		{
			name: "unknown directive",
			body: `{"query":"{ subjects { id @exclude(if: true) name } }"}`,
			want: `{"errors":[{"extensions":{"path":"$.selectionSet.subjects.selectionSet","code":"validation-failed"},"message":"directive \"exclude\" is not defined in the schema"}]}`,
		},
		{
			name: "repeated directive",
			body: `{"query":"{ subjects { id @include(if: true) @include(if: true) } }"}`,
			want: `{"errors":[{"extensions":{"path":"$.selectionSet.subjects.selectionSet","code":"validation-failed"},"message":"the following directives are used more than once: include"}]}`,
		},
		{
			name: "fragment cycle",
			body: `{"query":"{ tutors { ...T } } fragment T on tutors { id matches { ...M } } fragment M on matches { tutor { ...T } }"}`,
			want: `{"errors":[{"extensions":{"path":"$.selectionSet.tutors.selectionSet.T.selectionSet.matches.selectionSet.M.selectionSet.tutor.selectionSet","code":"validation-failed"},"message":"the fragment definition(s) T and M form a cycle"}]}`,
		},
		{
			name: "distinct_on not leading order_by",
			body: `{"query":"{ subjects(distinct_on: category, order_by: {id: asc}) { id } }"}`,
			want: `{"errors":[{"extensions":{"path":"$.selectionSet.subjects.args","code":"validation-failed"},"message":"\"distinct_on\" columns must match initial \"order_by\" columns"}]}`,
		},
		{
			name: "bad input for a type reported by Postgres",
			body: `{"query":"{ matches(where: {status: {_eq: \"nope\"}}) { id } }"}`,
			want: `{"errors":[{"extensions":{"path":"$","code":"data-exception"},"message":"invalid input value for enum match_status: \"nope\""}]}`,
		},
		{
			name: "LIKE pattern error reported by Postgres",
			body: `{"query":"{ users(where: {name: {_like: \"Elif\\\\\"}}) { id } }"}`,
			want: `{"errors":[{"extensions":{"path":"$","code":"bad-request"},"message":"LIKE pattern must not end with escape character"}]}`,
		},
		{
			name: "unknown mutation field",
			body: `{"query":"mutation { x }"}`,
			want: `{"errors":[{"extensions":{"path":"$.selectionSet.x","code":"validation-failed"},"message":"field 'x' not found in type: 'mutation_root'"}]}`,
		},
		{
			name: "persisted query",
			body: `{"query":"{ __typename }","extensions":{"persistedQuery":{"version":1,"sha256Hash":"x"}}}`,
			want: `{"errors":[{"extensions":{"path":"$","code":"not-supported"},"message":"Automatic Persisted Queries is not enabled"}]}`,
		},
		{
			name: "unknown operation name",
			body: `{"query":"query A { __typename }","operationName":"B"}`,
			want: `{"errors":[{"extensions":{"path":"$","code":"validation-failed"},"message":"no such operation found in the document: \"B\""}]}`,
		},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			status, body := s.post(t, c.body, nil)
			if status != http.StatusOK {
				t.Fatalf("status %d, want 200: %s", status, body)
			}
			if got := compact(t, body); got != c.want {
				t.Errorf("got  %s\nwant %s", got, c.want)
			}
		})
	}
}

// TestAdminSecret checks access control when an admin secret is set.
func TestAdminSecret(t *testing.T) {
	s := newTestServer(t, serverOptions{adminSecret: "s3cret"})
	query := `{"query":"{ subjects_by_pk(id: 1) { name } }"}`
	cases := []struct {
		name    string
		headers map[string]string
		want    string
	}{
		{"no secret", nil, `{"errors":[{"extensions":{"path":"$","code":"access-denied"},"message":"x-hasura-admin-secret/x-hasura-access-key required, but not found"}]}`},
		{"wrong secret", map[string]string{"X-Hasura-Admin-Secret": "nope"}, `{"errors":[{"extensions":{"path":"$","code":"access-denied"},"message":"invalid x-hasura-admin-secret/x-hasura-access-key"}]}`},
		{"right secret", map[string]string{"X-Hasura-Admin-Secret": "s3cret"}, `{"data":{"subjects_by_pk":{"name":"Algebra"}}}`},
		{"right secret, admin role", map[string]string{"X-Hasura-Admin-Secret": "s3cret", "X-Hasura-Role": "admin"}, `{"data":{"subjects_by_pk":{"name":"Algebra"}}}`},
		{"a role without permissions sees nothing", map[string]string{"X-Hasura-Admin-Secret": "s3cret", "X-Hasura-Role": "guest"}, `{"errors":[{"extensions":{"path":"$.selectionSet.subjects_by_pk","code":"validation-failed"},"message":"field 'subjects_by_pk' not found in type: 'query_root'"}]}`},
		{"a role with a select permission", map[string]string{"X-Hasura-Admin-Secret": "s3cret", "X-Hasura-Role": "student", "X-Hasura-User-Id": "1"}, `{"data":{"subjects_by_pk":{"name":"Algebra"}}}`},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			status, body := s.post(t, query, c.headers)
			if status != http.StatusOK {
				t.Fatalf("status %d: %s", status, body)
			}
			if got := compact(t, body); got != c.want {
				t.Errorf("got  %s\nwant %s", got, c.want)
			}
		})
	}
}

// TestBatch checks that a JSON array of requests gets an array of answers.
func TestBatch(t *testing.T) {
	s := newTestServer(t, serverOptions{})
	_, body := s.post(t, `[{"query":"{ a: subjects_by_pk(id: 1) { name } }"},{"query":"{ nope }"}]`, nil)
	want := `[{"data":{"a":{"name":"Algebra"}}},{"errors":[{"extensions":{"path":"$.selectionSet.nope","code":"validation-failed"},"message":"field 'nope' not found in type: 'query_root'"}]}]`
	if got := compact(t, body); got != want {
		t.Errorf("got  %s\nwant %s", got, want)
	}
}

// TestEndpoints checks /healthz, /v1/version and the console page.
func TestEndpoints(t *testing.T) {
	s := newTestServer(t, serverOptions{})
	get := func(path string) (int, string, string) {
		resp, err := http.Get(s.URL + path)
		if err != nil {
			t.Fatal(err)
		}
		defer resp.Body.Close()
		b, _ := io.ReadAll(resp.Body)
		return resp.StatusCode, resp.Header.Get("Content-Type"), string(b)
	}
	if code, _, body := get("/healthz"); code != 200 || body != "OK" {
		t.Errorf("/healthz: %d %q", code, body)
	}
	if code, _, body := get("/v1/version"); code != 200 || body != `{"server_type":"ce","version":"v-test"}` {
		t.Errorf("/v1/version: %d %q", code, body)
	}
	code, ctype, body := get("/console")
	if code != 200 || !strings.HasPrefix(ctype, "text/html") || !strings.Contains(body, "graphiql") || !strings.Contains(body, "/v1/graphql") {
		t.Errorf("/console: %d %s\n%s", code, ctype, body)
	}
}
