package server_test

import (
	"encoding/json"
	"net/http"
	"slices"
	"strings"
	"testing"
)

// TestOrderByAggregates sorts by aggregates of array relationships
// (https://hasura.io/docs/latest/queries/postgres/sorting/): at the root,
// through an object relationship and inside a nested array, with the NULL
// placement of each direction. Every query ends with a tie-breaker so that
// the order is fully determined.
func TestOrderByAggregates(t *testing.T) {
	s := newTestServer(t, serverOptions{})
	cases := []struct{ name, query, want string }{
		{
			name:  "count ascending: rows without related rows count 0",
			query: `{ tutors(order_by: [{matches_aggregate: {count: asc}}, {id: asc}], limit: 3) { id matches_aggregate { aggregate { count } } } }`,
			want:  `{"data":{"tutors":[{"id":281,"matches_aggregate":{"aggregate":{"count":0}}},{"id":282,"matches_aggregate":{"aggregate":{"count":0}}},{"id":283,"matches_aggregate":{"aggregate":{"count":0}}}]}}`,
		},
		{
			name:  "count descending",
			query: `{ tutors(order_by: [{matches_aggregate: {count: desc}}, {id: asc}], limit: 3) { id } }`,
			want:  `{"data":{"tutors":[{"id":1},{"id":6},{"id":7}]}}`,
		},
		{
			name:  "max ascending",
			query: `{ subjects(order_by: [{courses_aggregate: {max: {starts_on: asc}}}, {id: asc}], limit: 3) { id name } }`,
			want:  `{"data":{"subjects":[{"id":19,"name":"Art History"},{"id":8,"name":"Computer Science"},{"id":17,"name":"Philosophy"}]}}`,
		},
		{
			name:  "max descending puts NULL (no ended match) first",
			query: `{ tutors(order_by: [{matches_aggregate: {max: {ended_at: desc}}}, {id: asc}], limit: 3) { id } }`,
			want:  `{"data":{"tutors":[{"id":1},{"id":3},{"id":4}]}}`,
		},
		{
			name:  "desc_nulls_last",
			query: `{ tutors(order_by: [{matches_aggregate: {max: {ended_at: desc_nulls_last}}}, {id: asc}], limit: 3) { id matches_aggregate { aggregate { max { ended_at } } } } }`,
			want: `{"data":{"tutors":[{"id":215,"matches_aggregate":{"aggregate":{"max":{"ended_at":"2024-04-06T10:47:00+00:00"}}}},` +
				`{"id":202,"matches_aggregate":{"aggregate":{"max":{"ended_at":"2024-04-05T05:34:00+00:00"}}}},` +
				`{"id":85,"matches_aggregate":{"aggregate":{"max":{"ended_at":"2024-03-25T06:37:00+00:00"}}}}]}}`,
		},
		{
			name:  "sum then stddev_samp",
			query: `{ subjects(order_by: [{courses_aggregate: {sum: {price: desc}}}, {courses_aggregate: {stddev_samp: {capacity: desc}}}, {id: asc}], limit: 4) { id } }`,
			want:  `{"data":{"subjects":[{"id":5},{"id":13},{"id":16},{"id":6}]}}`,
		},
		{
			name:  "through an object relationship",
			query: `{ courses(order_by: [{tutor: {matches_aggregate: {count: asc}}}, {id: asc}], limit: 3) { id tutor_id } }`,
			want:  `{"data":{"courses":[{"id":18,"tutor_id":290},{"id":36,"tutor_id":296},{"id":53,"tutor_id":285}]}}`,
		},
		{
			name:  "inside a nested array relationship",
			query: `{ subjects_by_pk(id: 7) { courses(order_by: [{lectures_aggregate: {sum: {duration_minutes: asc}}}, {id: desc}]) { id } } }`,
			want:  `{"data":{"subjects_by_pk":{"courses":[{"id":102},{"id":42},{"id":92},{"id":67},{"id":32},{"id":7}]}}}`,
		},
		{
			name:  "from a variable",
			query: `query($o: [subjects_order_by!]) { subjects(order_by: $o, limit: 2) { id } }`,
			want:  `{"data":{"subjects":[{"id":19},{"id":8}]}}`,
		},
		{
			name:  "an operator the columns do not allow",
			query: `{ subjects(order_by: {courses_aggregate: {sum: {title: asc}}}) { id } }`,
			want:  `{"errors":[{"extensions":{"path":"$.selectionSet.subjects.args.order_by.courses_aggregate.sum.title","code":"validation-failed"},"message":"field 'title' not found in type: 'courses_sum_order_by'"}]}`,
		},
		{
			name:  "an unknown operator",
			query: `{ subjects(order_by: {courses_aggregate: {median: {price: asc}}}) { id } }`,
			want:  `{"errors":[{"extensions":{"path":"$.selectionSet.subjects.args.order_by.courses_aggregate.median","code":"validation-failed"},"message":"field 'median' not found in type: 'courses_aggregate_order_by'"}]}`,
		},
		{
			name:  "a bad direction",
			query: `{ subjects(order_by: {courses_aggregate: {count: up}}) { id } }`,
			want:  `{"errors":[{"extensions":{"path":"$.selectionSet.subjects.args.order_by.courses_aggregate.count","code":"validation-failed"},"message":"expected one of the values ['asc', 'asc_nulls_first', 'asc_nulls_last', 'desc', 'desc_nulls_first', 'desc_nulls_last'] for type 'order_by', but found 'up'"}]}`,
		},
		{
			name:  "distinct_on after an aggregate order item",
			query: `{ subjects(distinct_on: category, order_by: [{courses_aggregate: {count: desc}}, {category: asc}]) { id } }`,
			want:  `{"errors":[{"extensions":{"path":"$.selectionSet.subjects.args","code":"validation-failed"},"message":"\"distinct_on\" columns must match initial \"order_by\" columns"}]}`,
		},
		{
			name:  "distinct_on after a column through an object relationship",
			query: `{ courses(distinct_on: subject_id, order_by: [{subject: {id: asc}}, {subject_id: asc}]) { id } }`,
			want:  `{"errors":[{"extensions":{"path":"$.selectionSet.courses.args","code":"validation-failed"},"message":"\"distinct_on\" columns must match initial \"order_by\" columns"}]}`,
		},
		{
			name:  "distinct_on with fewer order_by items",
			query: `{ courses(distinct_on: [subject_id, tutor_id], order_by: {subject_id: asc}) { id } }`,
			want:  `{"errors":[{"extensions":{"path":"$.selectionSet.courses.args","code":"validation-failed"},"message":"\"distinct_on\" columns must match initial \"order_by\" columns"}]}`,
		},
		{
			name:  "distinct_on with an aggregate order item after the distinct columns",
			query: `{ subjects(distinct_on: category, order_by: [{category: asc}, {courses_aggregate: {sum: {price: desc}}}, {id: asc}]) { category id } }`,
			want:  `{"data":{"subjects":[{"category":"Arts","id":18},{"category":"General","id":20},{"category":"Humanities","id":14},{"category":"Languages","id":13},{"category":"Mathematics","id":4},{"category":"Science","id":5}]}}`,
		},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			var vars any
			if c.name == "from a variable" {
				vars = map[string]any{"o": []any{map[string]any{"courses_aggregate": map[string]any{"max": map[string]any{"starts_on": "asc"}}}, map[string]any{"id": "asc"}}}
			}
			status, body := s.query(t, c.query, vars)
			if status != http.StatusOK {
				t.Fatalf("status %d: %s", status, body)
			}
			if got := compact(t, body); got != c.want {
				t.Errorf("got  %s\nwant %s", got, c.want)
			}
		})
	}
}

// TestOrderByAggregateTypes checks the order_by input types Hasura
// generates for aggregates: names, descriptions and which fields each has.
// Field order is left to the introspection code, so the field names are
// compared as sets.
func TestOrderByAggregateTypes(t *testing.T) {
	s := newTestServer(t, serverOptions{})
	types := []struct{ name, desc, fields string }{
		{"matches_aggregate_order_by", `order by aggregate values of table "matches"`,
			"avg count max min stddev stddev_pop stddev_samp sum var_pop var_samp variance"},
		{"matches_max_order_by", `order by max() on columns of table "matches"`,
			"ended_at id notes started_at status student_id subject_id tutor_id"},
		{"matches_avg_order_by", `order by avg() on columns of table "matches"`,
			"id student_id subject_id tutor_id"},
		{"matches_var_samp_order_by", `order by var_samp() on columns of table "matches"`,
			"id student_id subject_id tutor_id"},
		// Each array relationship gives a <rel>_aggregate field.
		{"tutors_order_by", `Ordering options when selecting data from "tutors".`,
			"bio hourly_capacity id joined_on matches_aggregate tutor_subjects_aggregate user user_id verified"},
		{"courses_min_order_by", `order by min() on columns of table "courses"`,
			"capacity id price starts_on subject_id title tutor_id"},
	}
	for _, typ := range types {
		t.Run(typ.name, func(t *testing.T) {
			_, body := s.query(t, `query($n: String!) { __type(name: $n) { name kind description inputFields { name } } }`, map[string]any{"n": typ.name})
			var got struct {
				Data struct {
					Type struct {
						Name, Kind, Description string
						InputFields             []struct{ Name string }
					} `json:"__type"`
				}
			}
			if err := json.Unmarshal([]byte(body), &got); err != nil {
				t.Fatalf("%v: %s", err, body)
			}
			ty := got.Data.Type
			var names []string
			for _, f := range ty.InputFields {
				names = append(names, f.Name)
			}
			slices.Sort(names)
			if ty.Name != typ.name || ty.Kind != "INPUT_OBJECT" || ty.Description != typ.desc || strings.Join(names, " ") != typ.fields {
				t.Errorf("got %s", body)
			}
		})
	}
	// The price column's comment is the description of its field.
	_, body := s.query(t, `{ __type(name: "courses_sum_order_by") { inputFields { name description type { kind name } } } }`, nil)
	var got struct {
		Data struct {
			Type struct {
				InputFields []json.RawMessage
			} `json:"__type"`
		}
	}
	if err := json.Unmarshal([]byte(body), &got); err != nil {
		t.Fatal(err)
	}
	want := `{"name":"price","description":"Suggested donation in EUR; 0 means free","type":{"kind":"ENUM","name":"order_by"}}`
	if !slices.ContainsFunc(got.Data.Type.InputFields, func(f json.RawMessage) bool { return string(f) == want }) {
		t.Errorf("no %s in %s", want, body)
	}
}
