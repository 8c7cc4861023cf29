package server_test

import (
	"testing"
)

// TestMutations drives mutation_root over the tutoring example; the cases
// run in order on one database, each seeing the writes of the ones before.
func TestMutations(t *testing.T) {
	s := newTestServer(t, serverOptions{})
	cases := []struct {
		name, query, want string
		vars              any
	}{
		{
			name:  "insert with returning and typenames",
			query: `mutation { insert_subjects(objects: [{name: "Astronomy", category: "Science"}, {name: "Latin", category: "Languages"}]) { affected_rows returning { id name category } __typename } __typename }`,
			want:  `{"data":{"insert_subjects":{"affected_rows":2,"returning":[{"id":21,"name":"Astronomy","category":"Science"},{"id":22,"name":"Latin","category":"Languages"}],"__typename":"subjects_mutation_response"},"__typename":"mutation_root"}}`,
		},
		{
			name:  "insert of no objects",
			query: `mutation { insert_subjects(objects: []) { affected_rows returning { id } } }`,
			want:  `{"data":{"insert_subjects":{"affected_rows":0,"returning":[]}}}`,
		},
		{
			name:  "insert_one from variables, returning a relationship",
			query: `mutation ($o: subjects_insert_input!) { insert_subjects_one(object: $o) { id name courses { id } } }`,
			vars:  map[string]any{"o": map[string]any{"name": "Geology", "category": "Science"}},
			want:  `{"data":{"insert_subjects_one":{"id":23,"name":"Geology","courses":[]}}}`,
		},
		{
			name:  "delete",
			query: `mutation { delete_subjects(where: {name: {_eq: "Geology"}}) { affected_rows returning { id name } } }`,
			want:  `{"data":{"delete_subjects":{"affected_rows":1,"returning":[{"id":23,"name":"Geology"}]}}}`,
		},
		{
			name:  "delete_by_pk",
			query: `mutation { delete_subjects_by_pk(id: 21) { id name } missing: delete_subjects_by_pk(id: 21) { id } }`,
			want:  `{"data":{"delete_subjects_by_pk":{"id":21,"name":"Astronomy"},"missing":null}}`,
		},
		{
			name:  "update with _set",
			query: `mutation { update_subjects(where: {id: {_eq: 22}}, _set: {category: "Ancient"}) { affected_rows returning { id name category } } }`,
			want:  `{"data":{"update_subjects":{"affected_rows":1,"returning":[{"id":22,"name":"Latin","category":"Ancient"}]}}}`,
		},
		{
			name:  "update_by_pk with _inc",
			query: `mutation { update_tutors_by_pk(pk_columns: {id: 1}, _inc: {hourly_capacity: 3}) { id hourly_capacity } }`,
			want:  `{"data":{"update_tutors_by_pk":{"id":1,"hourly_capacity":9}}}`,
		},
		{
			name:  "jsonb operators",
			query: `mutation { a: update_users_by_pk(pk_columns: {id: 1}, _set: {profile: {k: [1, 2], x: {y: 1}}}) { profile } b: update_users_by_pk(pk_columns: {id: 1}, _append: {profile: {z: true}}) { profile } c: update_users_by_pk(pk_columns: {id: 1}, _delete_key: {profile: "z"}) { profile } d: update_users_by_pk(pk_columns: {id: 1}, _delete_at_path: {profile: ["x", "y"]}) { profile } e: update_users_by_pk(pk_columns: {id: 1}, _prepend: {profile: {p: 0}}) { profile } }`,
			want:  `{"data":{"a":{"profile":{"k": [1, 2], "x": {"y": 1}}},"b":{"profile":{"k": [1, 2], "x": {"y": 1}, "z": true}},"c":{"profile":{"k": [1, 2], "x": {"y": 1}}},"d":{"profile":{"k": [1, 2], "x": {}}},"e":{"profile":{"k": [1, 2], "p": 0, "x": {}}}}}`,
		},
		{
			name:  "update_many runs in order",
			query: `mutation { update_subjects_many(updates: [{where: {id: {_eq: 22}}, _set: {category: "A"}}, {where: {category: {_eq: "A"}}, _set: {name: "B"}}]) { affected_rows returning { id name category } } }`,
			want:  `{"data":{"update_subjects_many":[{"affected_rows":1,"returning":[{"id":22,"name":"Latin","category":"A"}]},{"affected_rows":1,"returning":[{"id":22,"name":"B","category":"A"}]}]}}`,
		},
		{
			name:  "upsert updates the listed columns",
			query: `mutation { insert_subjects(objects: [{name: "B", category: "X"}], on_conflict: {constraint: subjects_name_key, update_columns: [category]}) { affected_rows returning { id name category } } }`,
			want:  `{"data":{"insert_subjects":{"affected_rows":1,"returning":[{"id":22,"name":"B","category":"X"}]}}}`,
		},
		{
			name:  "upsert with a where that excludes the row does nothing",
			query: `mutation { insert_subjects(objects: [{name: "B", category: "Y"}], on_conflict: {constraint: subjects_name_key, update_columns: [category], where: {category: {_eq: "nope"}}}) { affected_rows } }`,
			want:  `{"data":{"insert_subjects":{"affected_rows":0}}}`,
		},
		{
			name:  "upsert without update_columns ignores the conflict",
			query: `mutation { insert_subjects(objects: [{name: "B", category: "Z"}], on_conflict: {constraint: subjects_name_key}) { affected_rows returning { id } } }`,
			want:  `{"data":{"insert_subjects":{"affected_rows":0,"returning":[]}}}`,
		},
		{
			name:  "nested insert: object relationship first, array relationship after",
			query: `mutation { insert_courses(objects: [{title: "T", starts_on: "2024-01-01", capacity: 3, tutor_id: 1, subject: {data: {name: "Nested", category: "N"}}, lectures: {data: [{position: 1, title: "L1", scheduled_at: "2024-01-01T10:00:00Z"}, {position: 2, title: "L2", scheduled_at: "2024-01-02T10:00:00Z"}]}}]) { affected_rows returning { title subject { name } lectures(order_by: {position: asc}) { position title } lectures_aggregate { aggregate { count } } } } }`,
			want:  `{"data":{"insert_courses":{"affected_rows":4,"returning":[{"title":"T","subject":{"name":"Nested"},"lectures":[{"position":1,"title":"L1"},{"position":2,"title":"L2"}],"lectures_aggregate":{"aggregate":{"count":2}}}]}}}`,
		},
		{
			name:  "unique violation",
			query: `mutation { insert_subjects(objects: [{name: "B", category: "X"}]) { affected_rows } }`,
			want:  `{"errors":[{"extensions":{"path":"$.selectionSet.insert_subjects.args.objects","code":"constraint-violation"},"message":"Uniqueness violation. duplicate key value violates unique constraint \"subjects_name_key\""}]}`,
		},
		{
			name:  "foreign key violation",
			query: `mutation { insert_courses_one(object: {title: "T", starts_on: "2024-01-01", capacity: 3, tutor_id: 1, subject_id: 999}) { id } }`,
			want:  `{"errors":[{"extensions":{"path":"$.selectionSet.insert_courses_one.args.object","code":"constraint-violation"},"message":"Foreign key violation. insert or update on table \"courses\" violates foreign key constraint \"courses_subject_id_fkey\""}]}`,
		},
		{
			name:  "not-null violation",
			query: `mutation { insert_subjects_one(object: {name: "C"}) { id } }`,
			want:  `{"errors":[{"extensions":{"path":"$.selectionSet.insert_subjects_one.args.object","code":"constraint-violation"},"message":"Not-NULL violation. null value in column \"category\" of relation \"subjects\" violates not-null constraint"}]}`,
		},
		{
			name:  "check violation",
			query: `mutation { update_tutors(where: {id: {_eq: 1}}, _set: {hourly_capacity: -1}) { affected_rows } }`,
			want:  `{"errors":[{"extensions":{"path":"$","code":"permission-error"},"message":"Check constraint violation. new row for relation \"tutors\" violates check constraint \"tutors_hourly_capacity_check\""}]}`,
		},
		{
			name:  "data exception",
			query: `mutation { update_courses(where: {id: {_eq: 1}}, _set: {starts_on: "not a date"}) { affected_rows } }`,
			want:  `{"errors":[{"extensions":{"path":"$","code":"data-exception"},"message":"invalid input syntax for type date: \"not a date\""}]}`,
		},
		{
			name:  "unknown column",
			query: `mutation { insert_subjects(objects: [{nope: 1}]) { affected_rows } }`,
			want:  `{"errors":[{"extensions":{"path":"$.selectionSet.insert_subjects.args.objects[0].nope","code":"validation-failed"},"message":"field 'nope' not found in type: 'subjects_insert_input'"}]}`,
		},
		{
			name:  "wrong type",
			query: `mutation { insert_subjects(objects: [{name: 1}]) { affected_rows } }`,
			want:  `{"errors":[{"extensions":{"path":"$.selectionSet.insert_subjects.args.objects[0].name","code":"parse-failed"},"message":"parsing Text failed, expected String, but encountered Number"}]}`,
		},
		{
			name:  "missing argument",
			query: `mutation { delete_subjects { affected_rows } }`,
			want:  `{"errors":[{"extensions":{"path":"$.selectionSet.delete_subjects","code":"validation-failed"},"message":"missing required field 'where'"}]}`,
		},
		{
			name:  "unknown constraint",
			query: `mutation { insert_subjects(objects: [{name: "Q", category: "Q"}], on_conflict: {constraint: nope}) { affected_rows } }`,
			want:  `{"errors":[{"extensions":{"path":"$.selectionSet.insert_subjects.args.on_conflict.constraint","code":"validation-failed"},"message":"expected one of the values ['subjects_pkey', 'subjects_name_key'] for type 'subjects_constraint', but found 'nope'"}]}`,
		},
		{
			name:  "update without an operator",
			query: `mutation { update_subjects(where: {}) { affected_rows } }`,
			want:  `{"errors":[{"extensions":{"path":"$.selectionSet.update_subjects","code":"validation-failed"},"message":"at least any one of _inc, _set, _append, _prepend, _delete_key, _delete_elem, _delete_at_path is expected"}]}`,
		},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			_, body := s.query(t, c.query, c.vars)
			if got := compact(t, body); got != compact(t, c.want) {
				t.Errorf("got  %s\nwant %s", got, compact(t, c.want))
			}
		})
	}
}

// TestMutationRollback checks that the root fields of a mutation share one
// transaction: when the second fails, the first one's row is not there.
func TestMutationRollback(t *testing.T) {
	s := newTestServer(t, serverOptions{})
	for _, c := range []struct{ query, want string }{
		{
			query: `mutation { a: insert_subjects_one(object: {name: "Rolled back", category: "X"}) { id } b: insert_subjects_one(object: {name: "Physics", category: "X"}) { id } }`,
			want:  `{"errors":[{"extensions":{"path":"$.selectionSet.b.args.object","code":"constraint-violation"},"message":"Uniqueness violation. duplicate key value violates unique constraint \"subjects_name_key\""}]}`,
		},
		{
			// The same with a returning that needs a second statement.
			query: `mutation { a: insert_subjects_one(object: {name: "Rolled back", category: "X"}) { courses { id } } b: delete_subjects(where: {id: {_eq: 7}}) { affected_rows } }`,
			want:  `{"errors":[{"extensions":{"path":"$","code":"constraint-violation"},"message":"Foreign key violation. update or delete on table \"subjects\" violates foreign key constraint \"tutor_subjects_subject_id_fkey\" on table \"tutor_subjects\""}]}`,
		},
		{
			query: `{ subjects(where: {name: {_eq: "Rolled back"}}) { id } }`,
			want:  `{"data":{"subjects":[]}}`,
		},
	} {
		_, body := s.query(t, c.query, nil)
		if got := compact(t, body); got != compact(t, c.want) {
			t.Errorf("%s\ngot  %s\nwant %s", c.query, got, compact(t, c.want))
		}
	}
}

// TestMutationStatements checks the round trips: a mutation whose
// returning reads only the written rows is one pipelined batch, one that
// follows a relationship reads its rows back in the same transaction.
func TestMutationStatements(t *testing.T) {
	s := newTestServer(t, serverOptions{})
	s.roundTrips.Store(0)
	s.query(t, `mutation { a: insert_subjects_one(object: {name: "S1", category: "X"}) { id } b: update_subjects(where: {name: {_eq: "S1"}}, _set: {category: "Y"}) { affected_rows } }`, nil)
	if n := s.roundTrips.Load(); n != 1 {
		t.Errorf("a batched mutation made %d round trips, want 1", n)
	}
	s.roundTrips.Store(0)
	s.query(t, `mutation { insert_subjects_one(object: {name: "S2", category: "X"}) { courses { id } } }`, nil)
	// begin, set_config, the write, the read-back, commit
	if n := s.roundTrips.Load(); n != 5 {
		t.Errorf("a mutation reading a relationship back ran %d statements, want 5", n)
	}
}

// TestCheckedMutationRoundTrips: a mutation whose permission has a check
// is still one round trip (the check raises inside the statement), and a
// failing check leaves nothing behind.
func TestCheckedMutationRoundTrips(t *testing.T) {
	s := newTestServer(t, serverOptions{})
	tutor := map[string]string{"X-Hasura-Role": "tutor", "X-Hasura-User-Id": "12", "X-Hasura-Tutor-Id": "1"}
	s.roundTrips.Store(0)
	_, got := s.post(t, queryBody(t, `mutation { insert_courses_one(object: {title: "Checked", subject_id: 1, starts_on: "2025-01-01", capacity: 3}) { title tutor_id } }`, nil), tutor)
	if want := `{"data":{"insert_courses_one":{"title":"Checked","tutor_id":1}}}`; compact(t, got) != want {
		t.Fatalf("got  %s\nwant %s", got, want)
	}
	if n := s.roundTrips.Load(); n != 1 {
		t.Errorf("a checked insert made %d round trips, want 1", n)
	}
	// Claiming another tutor's id fails the check: the insert is undone.
	liar := map[string]string{"X-Hasura-Role": "tutor", "X-Hasura-User-Id": "12", "X-Hasura-Tutor-Id": "18"}
	_, got = s.post(t, queryBody(t, `mutation { insert_courses_one(object: {title: "Lie", subject_id: 1, starts_on: "2025-01-01", capacity: 3}) { title } }`, nil), liar)
	if want := `{"errors":[{"extensions":{"path":"$.selectionSet.insert_courses_one.args.object","code":"permission-error"},"message":"check constraint of an insert/update permission has failed"}]}`; compact(t, got) != want {
		t.Errorf("got  %s\nwant %s", got, want)
	}
	_, got = s.query(t, `{ courses_aggregate(where: {title: {_eq: "Lie"}}) { aggregate { count } } }`, nil)
	if want := `{"data":{"courses_aggregate":{"aggregate":{"count":0}}}}`; compact(t, got) != want {
		t.Errorf("the refused insert left a row: %s", got)
	}
}
