package server_test

import (
	"encoding/json"
	"net/http"
	"sort"
	"strings"
	"testing"
)

// TestJSONBOperators drives the jsonb operators, _cast and the path
// argument through /v1/graphql over the tutoring example's users.profile.
func TestJSONBOperators(t *testing.T) {
	s := newTestServer(t, serverOptions{})
	cases := []struct {
		name  string
		query string
		vars  any
		want  string
	}{
		{
			name:  "_contains, _has_key, _has_keys_all and the path argument",
			query: `query($c: jsonb) { users(where: {profile: {_contains: $c, _has_key: "newsletter", _has_keys_all: ["timezone", "languages"]}}, order_by: {id: asc}, limit: 2) { id tz: profile(path: "$.timezone") first: profile(path: "languages[0]") } }`,
			vars:  map[string]any{"c": map[string]any{"languages": []string{"de"}, "newsletter": true}},
			want:  `{"data":{"users":[{"id":12,"tz":"Europe/Berlin","first":"en"},{"id":15,"tz":"America/Chicago","first":"de"}]}}`,
		},
		{
			name:  "_contained_in, _has_keys_any and a path that finds nothing",
			query: `query($in: jsonb) { users_aggregate(where: {profile: {_contained_in: $in, _has_keys_any: ["nope", "timezone"]}}) { aggregate { count } } users(where: {id: {_eq: 1}}) { none: profile(path: "$['no such key'].x") } }`,
			vars:  map[string]any{"in": map[string]any{"timezone": "Asia/Kolkata", "languages": []string{"en", "hi"}, "newsletter": false}},
			want:  `{"data":{"users_aggregate":{"aggregate":{"count":71}},"users":[{"none":null}]}}`,
		},
		{
			name:  "_cast to String",
			query: `{ users_aggregate(where: {profile: {_cast: {String: {_like: "%Lagos%"}}}}) { aggregate { count } } }`,
			want:  `{"data":{"users_aggregate":{"aggregate":{"count":250}}}}`,
		},
		{
			name:  "a bad path",
			query: `{ users(limit: 1) { profile(path: "a b") } }`,
			want:  `{"errors":[{"extensions":{"path":"$.selectionSet.users.selectionSet.profile.args.path","code":"validation-failed"},"message":"parse json path error: a b. Accept letters, digits, underscore (_) or hyphen (-) only. Use quotes enclosed in bracket ([\"...\"]) if there is any special character"}]}`,
		},
		{
			name:  "an operator jsonb does not have",
			query: `{ users(where: {profile: {_st_within: {}}}) { id } }`,
			want:  `{"errors":[{"extensions":{"path":"$.selectionSet.users.args.where.profile._st_within","code":"validation-failed"},"message":"field '_st_within' not found in type: 'jsonb_comparison_exp'"}]}`,
		},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			status, body := s.query(t, tc.query, tc.vars)
			if status != http.StatusOK {
				t.Fatalf("status %d: %s", status, body)
			}
			if got := compact(t, body); got != tc.want {
				t.Errorf("got  %s\nwant %s", got, tc.want)
			}
		})
	}
}

// TestJSONBComparisonIntrospection checks the fields of jsonb_comparison_exp
// and jsonb_cast_exp as introspection shows them (graphql-go does not keep
// input fields in order, so they are compared sorted).
func TestJSONBComparisonIntrospection(t *testing.T) {
	s := newTestServer(t, serverOptions{})
	status, body := s.query(t, `{ c: __type(name: "jsonb_comparison_exp") { inputFields { name description type { name ofType { ofType { name } } } } } cast: __type(name: "jsonb_cast_exp") { inputFields { name type { name } } } }`, nil)
	if status != http.StatusOK {
		t.Fatalf("status %d: %s", status, body)
	}
	type field struct {
		Name, Description string
		Type              struct {
			Name   *string
			OfType *struct{ OfType *struct{ Name string } }
		}
	}
	var resp struct {
		Data struct{ C, Cast struct{ InputFields []field } }
	}
	if err := json.Unmarshal([]byte(body), &resp); err != nil {
		t.Fatal(err)
	}
	describe := func(fields []field) string {
		var out []string
		for _, f := range fields {
			var typ string
			switch {
			case f.Type.Name != nil:
				typ = *f.Type.Name
			case f.Type.OfType != nil && f.Type.OfType.OfType != nil:
				typ = "[" + f.Type.OfType.OfType.Name + "!]"
			}
			out = append(out, f.Name+": "+typ+" "+f.Description)
		}
		sort.Strings(out)
		return strings.Join(out, "\n")
	}
	want := strings.Join([]string{
		"_cast: jsonb_cast_exp ",
		"_contained_in: jsonb is the column contained in the given json value",
		"_contains: jsonb does the column contain the given json value at the top level",
		"_eq: jsonb ",
		"_gt: jsonb ",
		"_gte: jsonb ",
		"_has_key: String does the string exist as a top-level key in the column",
		"_has_keys_all: [String!] do all of these strings exist as top-level keys in the column",
		"_has_keys_any: [String!] do any of these strings exist as top-level keys in the column",
		"_in: [jsonb!] ",
		"_is_null: Boolean ",
		"_jsonb_path_exists: String does the jsonpath return any item for the specified JSON value",
		"_jsonb_path_match: String does the jsonpath predicate check return true for the specified JSON value",
		"_lt: jsonb ",
		"_lte: jsonb ",
		"_neq: jsonb ",
		"_nin: [jsonb!] ",
	}, "\n")
	if got := describe(resp.Data.C.InputFields); got != want {
		t.Errorf("jsonb_comparison_exp:\n%s\nwant\n%s", got, want)
	}
	if got := describe(resp.Data.Cast.InputFields); got != "String: String_comparison_exp " {
		t.Errorf("jsonb_cast_exp: %s", got)
	}
}

// TestAggregatePredicates filters rows by aggregates of an array
// relationship through /v1/graphql.
func TestAggregatePredicates(t *testing.T) {
	s := newTestServer(t, serverOptions{})
	cases := []struct{ name, query, want string }{
		{
			name:  "count with a filter",
			query: `{ tutors_aggregate(where: {matches_aggregate: {count: {predicate: {_gte: 6}, filter: {status: {_eq: "active"}}}}}) { aggregate { count } } }`,
			want:  `{"data":{"tutors_aggregate":{"aggregate":{"count":60}}}}`,
		},
		{
			name:  "distinct count of columns",
			query: `{ subjects(where: {courses_aggregate: {count: {arguments: [tutor_id], distinct: true, predicate: {_gt: 100}}}}) { id } }`,
			want:  `{"data":{"subjects":[]}}`,
		},
		{
			name:  "a missing predicate",
			query: `{ tutors(where: {matches_aggregate: {count: {distinct: true}}}) { id } }`,
			want:  `{"errors":[{"extensions":{"path":"$.selectionSet.tutors.args.where.matches_aggregate.count","code":"validation-failed"},"message":"missing required field 'predicate'"}]}`,
		},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			status, body := s.query(t, tc.query, nil)
			if status != http.StatusOK {
				t.Fatalf("status %d: %s", status, body)
			}
			if got := compact(t, body); got != tc.want {
				t.Errorf("got  %s\nwant %s", got, tc.want)
			}
		})
	}
}
