package server_test

import (
	"encoding/json"
	"net/http"
	"strings"
	"testing"
)

// TestGraphQL drives /v1/graphql over the tutoring example and checks
// whole responses, key order included.
func TestGraphQL(t *testing.T) {
	s := newTestServer(t, serverOptions{})

	cases := []struct {
		name  string
		query string
		vars  any
		want  string
	}{
		{
			name:  "nested object and array relationships",
			query: `{ tutors(limit: 2, order_by: {id: asc}) { id user { name } matches(order_by: {id: asc}) { student { user { name } } } } }`,
			want: `{"data":{"tutors":[{"id":1,"user":{"name":"Elif Patel"},"matches":[{"student":{"user":{"name":"Hamza Dubois"}}},{"student":{"user":{"name":"Priya Lopez"}}},{"student":{"user":{"name":"Liam Patel"}}},{"student":{"user":{"name":"Hamza Brennan"}}},{"student":{"user":{"name":"Daniel Andersen"}}},{"student":{"user":{"name":"Nadia Sato"}}}]},` +
				`{"id":2,"user":{"name":"Liam Lindqvist"},"matches":[{"student":{"user":{"name":"Grace Adeyemi"}}},{"student":{"user":{"name":"Chloe Tanaka"}}},{"student":{"user":{"name":"Keiko Brennan"}}},{"student":{"user":{"name":"Grace Andersen"}}},{"student":{"user":{"name":"Chloe Sato"}}}]}]}}`,
		},
		{
			name:  "order, limit and offset",
			query: `{ subjects(order_by: {name: desc}, limit: 3, offset: 1) { id name category } }`,
			want:  `{"data":{"subjects":[{"id":4,"name":"Statistics","category":"Mathematics"},{"id":11,"name":"Spanish","category":"Languages"},{"id":10,"name":"Reading Comprehension","category":"Languages"}]}}`,
		},
		{
			name:  "distinct_on",
			query: `{ subjects(distinct_on: category, order_by: [{category: asc}, {id: desc}]) { category id } }`,
			want:  `{"data":{"subjects":[{"category":"Arts","id":19},{"category":"General","id":20},{"category":"Humanities","id":17},{"category":"Languages","id":13},{"category":"Mathematics","id":4},{"category":"Science","id":8}]}}`,
		},
		{
			name:  "by_pk with a nested array",
			query: `{ subjects_by_pk(id: 7) { id name courses(order_by: {id: asc}, limit: 2) { id title price starts_on } } }`,
			want:  `{"data":{"subjects_by_pk":{"id":7,"name":"Physics","courses":[{"id":7,"title":"Physics: Study Group","price":29.50,"starts_on":"2024-09-23"},{"id":32,"title":"Physics: Foundations","price":50.00,"starts_on":"2024-08-19"}]}}}`,
		},
		{
			name:  "by_pk without a row",
			query: `{ subjects_by_pk(id: 99999) { id } }`,
			want:  `{"data":{"subjects_by_pk":null}}`,
		},
		{
			name:  "enum, jsonb and timestamptz columns",
			query: `{ users(where: {role: {_eq: "coordinator"}}, order_by: {id: asc}, limit: 2) { id email role profile created_at } }`,
			want: `{"data":{"users":[{"id":15,"email":"zoe.schmidt@tutoring.example.org","role":"coordinator","profile":{"timezone":"America/Chicago","languages":["de"],"newsletter":true},"created_at":"2022-01-06T15:15:00+00:00"},` +
				`{"id":30,"email":"keiko.nguyen@tutoring.example.org","role":"coordinator","profile":{"timezone":"Europe/Berlin","languages":["en","yo"],"newsletter":true},"created_at":"2022-01-09T22:30:00+00:00"}]}}`,
		},
		{
			name:  "filter through relationships and _in",
			query: `{ tutor_subjects(where: {subject: {name: {_eq: "Physics"}}, level: {_in: ["advanced", "expert"]}}, order_by: [{tutor_id: asc}], limit: 3) { tutor_id level subject { name } tutor { user { name } } } }`,
			want:  `{"data":{"tutor_subjects":[{"tutor_id":38,"level":"advanced","subject":{"name":"Physics"},"tutor":{"user":{"name":"Farah Adeyemi"}}},{"tutor_id":43,"level":"advanced","subject":{"name":"Physics"},"tutor":{"user":{"name":"Ivan Weber"}}},{"tutor_id":48,"level":"advanced","subject":{"name":"Physics"},"tutor":{"user":{"name":"Hannah Murphy"}}}]}}`,
		},
		{
			name:  "_or, _not, _is_null and nulls ordering",
			query: `{ courses(where: {_or: [{price: {_gte: 45}}, {price: {_is_null: true}}], _not: {capacity: {_lt: 20}}}, order_by: {price: desc_nulls_last, id: asc}, limit: 3) { id price capacity } }`,
			want:  `{"data":{"courses":[{"id":32,"price":50.00,"capacity":22},{"id":68,"price":50.00,"capacity":25},{"id":104,"price":50.00,"capacity":28}]}}`,
		},
		{
			name:  "aggregates",
			query: `{ courses_aggregate { aggregate { count sum { price capacity } avg { capacity } max { price starts_on title } min { price } } } }`,
			want:  `{"data":{"courses_aggregate":{"aggregate":{"count":120,"sum":{"price":2595.00,"capacity":2274},"avg":{"capacity":18.95},"max":{"price":50.00,"starts_on":"2024-10-07","title":"Study Skills: Weekend Workshop"},"min":{"price":0.00}}}}}`,
		},
		{
			name:  "count with columns and distinct",
			query: `{ matches_aggregate(where: {status: {_in: ["active", "paused"]}}) { aggregate { count(columns: [notes], distinct: true) all: count } } }`,
			want:  `{"data":{"matches_aggregate":{"aggregate":{"count":7,"all":1050}}}}`,
		},
		{
			name:  "relationship aggregate with nodes",
			query: `{ tutors(where: {id: {_in: [1, 2]}}, order_by: {id: asc}) { id matches_aggregate(where: {status: {_eq: "active"}}, order_by: {id: desc}) { aggregate { count } nodes { id status } } } }`,
			want:  `{"data":{"tutors":[{"id":1,"matches_aggregate":{"aggregate":{"count":6},"nodes":[{"id":1401,"status":"active"},{"id":1121,"status":"active"},{"id":841,"status":"active"},{"id":561,"status":"active"},{"id":281,"status":"active"},{"id":1,"status":"active"}]}},{"id":2,"matches_aggregate":{"aggregate":{"count":0},"nodes":[]}}]}}`,
		},
		{
			name:  "custom column name",
			query: `{ courses(limit: 1, order_by: {id: asc}) { id participants(order_by: {student_id: asc}, limit: 2) { joinedAt student_id } } }`,
			want:  `{"data":{"courses":[{"id":1,"participants":[{"joinedAt":"2024-03-10T08:17:00+00:00","student_id":21},{"joinedAt":"2024-03-23T09:00:00+00:00","student_id":54}]}]}}`,
		},
		{
			name:  "filter three relationships deep",
			query: `{ lectures(where: {course: {tutor: {user: {name: {_ilike: "elif%"}}}}}, order_by: {id: asc}, limit: 2) { id title course { title tutor { user { name } } } } }`,
			want:  `{"data":{"lectures":[{"id":1,"title":"Session 1: Introduction and goals","course":{"title":"German: Problem Solving Circle","tutor":{"user":{"name":"Elif Patel"}}}},{"id":2,"title":"Session 2: Key concepts","course":{"title":"German: Problem Solving Circle","tutor":{"user":{"name":"Elif Patel"}}}}]}}`,
		},
		{
			name:  "variables, aliases, directives, fragments, __typename",
			query: `query Q($id: Int!, $with: Boolean!) { s: subjects_by_pk(id: $id) { __typename name category @include(if: $with) } t: subjects_by_pk(id: 2) { ...F } __typename } fragment F on subjects { id name }`,
			vars:  map[string]any{"id": 3, "with": false},
			want:  `{"data":{"s":{"__typename":"subjects","name":"Calculus"},"t":{"id":2,"name":"Geometry"},"__typename":"query_root"}}`,
		},
		{
			name:  "order_by through an object relationship",
			query: `{ lectures(order_by: [{course: {title: asc}}, {id: asc}], limit: 3) { id course { title } } }`,
			want:  `{"data":{"lectures":[{"id":278,"course":{"title":"Algebra: Beginners Course"}},{"id":279,"course":{"title":"Algebra: Beginners Course"}},{"id":280,"course":{"title":"Algebra: Beginners Course"}}]}}`,
		},
		{
			name:  "null column values",
			query: `{ students(where: {guardian_email: {_is_null: true}}, limit: 2, order_by: {id: asc}) { id guardian_email grade } }`,
			want:  `{"data":{"students":[{"id":3,"guardian_email":null,"grade":10},{"id":5,"guardian_email":null,"grade":12}]}}`,
		},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			status, body := s.query(t, c.query, c.vars)
			if status != http.StatusOK {
				t.Fatalf("status %d: %s", status, body)
			}
			if got := compact(t, body); got != c.want {
				t.Errorf("got  %s\nwant %s", got, c.want)
			}
		})
	}
}

// TestOneStatement checks that an operation with several root fields and
// three levels of nesting runs as exactly one SQL statement, in one round
// trip (pipelined after the statement that sets hasura.user).
func TestOneStatement(t *testing.T) {
	s := newTestServer(t, serverOptions{})
	s.roundTrips.Store(0)
	status, body := s.query(t, `{
		tutors(limit: 3, order_by: {id: asc}) { id user { name } matches(limit: 2) { student { user { email } } } }
		courses_aggregate { aggregate { count } }
	}`, nil)
	if status != http.StatusOK || strings.Contains(body, `"errors"`) {
		t.Fatalf("status %d: %s", status, body)
	}
	if n := s.roundTrips.Load(); n != 1 {
		t.Errorf("made %d round trips, want 1", n)
	}
}

// TestStringifyNumeric checks that, when asked, bigint, numeric and double
// precision values are written as strings, columns and aggregates alike,
// while statistics of integer columns stay numbers (GraphQL Float).
func TestStringifyNumeric(t *testing.T) {
	s := newTestServer(t, serverOptions{stringify: true})
	_, body := s.query(t, `{ courses(limit: 1, order_by: {id: asc}) { id price } courses_aggregate { aggregate { sum { price capacity } avg { price capacity } } } }`, nil)
	want := `{"data":{"courses":[{"id":1,"price":"44.50"}],"courses_aggregate":{"aggregate":{"sum":{"price":"2595.00","capacity":2274},"avg":{"price":"21.6250000000000000","capacity":18.95}}}}}`
	if got := compact(t, body); got != want {
		t.Errorf("got  %s\nwant %s", got, want)
	}
}

// TestDefaultNamingConvention serves the example with graphql-default as
// the server's default naming convention (HASURA_GRAPHQL_DEFAULT_NAMING_CONVENTION).
func TestDefaultNamingConvention(t *testing.T) {
	s := newTestServer(t, serverOptions{naming: "graphql-default"})
	_, got := s.query(t, `{ subjectsByPk(id: 7) { name __typename } tutorSubjects(where: {subjectId: {_eq: 7}}, orderBy: {tutorId: ASC}, limit: 1) { tutorId } }`, nil)
	if want := `{"data":{"subjectsByPk":{"name":"Physics","__typename":"Subjects"},"tutorSubjects":[{"tutorId":3}]}}`; compact(t, got) != want {
		t.Errorf("got  %s\nwant %s", got, want)
	}
	resp, err := http.Get(s.URL + "/v1alpha1/config")
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	var cfg struct {
		Naming string `json:"default_naming_convention"`
	}
	if err := json.NewDecoder(resp.Body).Decode(&cfg); err != nil || cfg.Naming != "graphql-default" {
		t.Errorf("config says %q (%v)", cfg.Naming, err)
	}
}

// TestNullLiteralsAndPaging checks null written in a query (which the
// parser learns through a rewrite), and Hasura's limit and offset checks.
func TestNullLiteralsAndPaging(t *testing.T) {
	s := newTestServer(t, serverOptions{})
	cases := []struct{ name, query, want string }{
		{"null limit, where and order_by", `{ subjects(limit: null, where: null, order_by: null, offset: 18) { id } }`,
			`{"data":{"subjects":[{"id":19},{"id":20}]}}`},
		{"null in an object", `{ subjects(where: {id: {_eq: 3}, name: null}, distinct_on: null) { name } }`,
			`{"data":{"subjects":[{"name":"Calculus"}]}}`},
		{"null operand", `{ subjects(where: {name: {_eq: null}}) { id } }`,
			`{"errors":[{"extensions":{"path":"$.selectionSet.subjects.args.where.name._eq","code":"validation-failed"},"message":"unexpected null value for type 'String'"}]}`},
		{"the word null in strings and names stays", `{ n: subjects(where: {name: {_eq: "null"}}) { id } }`,
			`{"data":{"n":[]}}`},
		{"offset as a string", `{ subjects(offset: "19", order_by: {id: asc}) { id } }`,
			`{"data":{"subjects":[{"id":20}]}}`},
		{"negative limit", `{ subjects(limit: -1) { id } }`,
			`{"errors":[{"extensions":{"path":"$.selectionSet.subjects.args.limit","code":"validation-failed"},"message":"expected a non-negative 32-bit integer for type 'Int', but found an integer"}]}`},
		{"string limit", `{ subjects(limit: "3") { id } }`,
			`{"errors":[{"extensions":{"path":"$.selectionSet.subjects.args.limit","code":"validation-failed"},"message":"expected a non-negative 32-bit integer for type 'Int', but found a string"}]}`},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			_, got := s.query(t, c.query, nil)
			if got = compact(t, got); got != c.want {
				t.Errorf("got  %s\nwant %s", got, c.want)
			}
		})
	}
}
