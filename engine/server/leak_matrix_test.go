package server_test

import (
	"encoding/json"
	"fmt"
	"strconv"
	"strings"
	"testing"
)

// leakCase is one read and what every identity must get. want is keyed by
// identity name or, failing that, by role. A value is the exact response,
// or adminSays(q): the response admin gets for q, the same read with the
// role's permission written out by hand (with ids rather than the
// permission's user_id paths where that is the same thing). <U>, <S> and
// <T> stand for the identity's user, student and tutor ids, in queries
// and answers. check, when set, asserts structurally on the data.
type leakCase struct {
	name  string
	query string
	want  map[string]string
	check func(t *testing.T, id identity, data any)
}

const adminPrefix = "admin says: "

// adminSays is an expectation: what admin answers for query.
func adminSays(query string) string { return adminPrefix + query }

// notFound is the validation error of a field a role's schema lacks.
func notFound(path, field, typ string) string {
	return `{"errors":[{"extensions":{"path":"` + path + `","code":"validation-failed"},"message":"field '` + field + `' not found in type: '` + typ + `'"}]}`
}

// noRoot is the error of a root field the role's schema lacks.
func noRoot(field string) string {
	return notFound("$.selectionSet."+field, field, "query_root")
}

// fill replaces the placeholders with id's ids.
func fill(id identity, s string) string {
	return strings.NewReplacer("<U>", strconv.Itoa(id.userID), "<S>", strconv.Itoa(id.studentID), "<T>", strconv.Itoa(id.tutorID)).Replace(s)
}

// data is the decoded "data" of a response.
func data(t *testing.T, body string) any {
	t.Helper()
	var r struct {
		Data   any             `json:"data"`
		Errors json.RawMessage `json:"errors"`
	}
	if err := json.Unmarshal([]byte(body), &r); err != nil {
		t.Fatalf("%v: %s", err, body)
	}
	return r.Data
}

// valuesOf collects the values of key in every object within v.
func valuesOf(v any, key string) []any {
	var out []any
	switch v := v.(type) {
	case map[string]any:
		for k, x := range v {
			if k == key {
				out = append(out, x)
			}
			out = append(out, valuesOf(x, key)...)
		}
	case []any:
		for _, x := range v {
			out = append(out, valuesOf(x, key)...)
		}
	}
	return out
}

// allAre checks that every value of key in data is want, and that there
// is at least one (a check that never looks at anything proves nothing).
func allAre(t *testing.T, data any, key string, want int) {
	t.Helper()
	vs := valuesOf(data, key)
	if len(vs) == 0 {
		t.Errorf("no %q in the answer", key)
	}
	for _, v := range vs {
		if f, ok := v.(float64); !ok || int(f) != want {
			t.Errorf("%s = %v, want only %d", key, v, want)
		}
	}
}

// ownRows checks the ids a student or tutor may see in rows of matches
// and course participants: its own student id, or matches of its own.
func ownRows(t *testing.T, id identity, data any) {
	switch id.role {
	case "student":
		allAre(t, data, "student_id", id.studentID)
	case "tutor":
		allAre(t, data, "tutor_id", id.tutorID)
	}
}

func (s *leakServer) runCase(t *testing.T, c leakCase) {
	for _, id := range everyone {
		want, ok := c.want[id.name]
		if !ok {
			if want, ok = c.want[id.role]; !ok {
				t.Fatalf("%s: no expectation for %s", c.name, id.name)
			}
		}
		want = fill(id, want)
		if q, isOracle := strings.CutPrefix(want, adminPrefix); isOracle {
			want = s.admin(t, q)
			if !strings.HasPrefix(want, `{"data"`) {
				t.Fatalf("%s: the oracle query for %s fails: %s", c.name, id.name, want)
			}
		}
		for _, cred := range credentials(id) {
			got := s.as(t, id, cred, fill(id, c.query), nil)
			if got != want {
				t.Errorf("%s as %s (%s):\ngot  %.2000s\nwant %.2000s", c.name, id.name, cred, got, want)
				continue
			}
			if c.check != nil && strings.HasPrefix(got, `{"data"`) {
				c.check(t, id, data(t, got))
			}
		}
	}
}

// TestLeakMatrix reads every kind of root field, relationship and
// argument as every role, and compares exact answers: rows and columns
// outside a role's permission never appear. Each student and tutor is one
// of two, and their requests alternate on the same query text, so a plan
// cached for one and rebound for the other must not carry the first one's
// session.
func TestLeakMatrix(t *testing.T) {
	s := newLeakServer(t)
	for _, c := range leakCases() {
		t.Run(c.name, func(t *testing.T) { s.runCase(t, c) })
	}
	if hits, _ := s.engine.CacheStats(); hits == 0 {
		t.Error("the plan cache answered nothing: the matrix did not exercise rebinding")
	}
}

func leakCases() []leakCase {
	const (
		users         = `{ users(order_by: {id: asc}, limit: 20) { id name email profile created_at } }`
		students      = `{ students(order_by: {id: asc}, limit: 20) { id user_id grade school } }`
		matchesList   = `{ matches(order_by: {id: asc}, limit: 30) { id student_id tutor_id subject_id status started_at ended_at student { id user { id name } } tutor { id bio } subject { name } } }`
		matchesAgg    = `{ matches_aggregate(order_by: {id: asc}) { aggregate { count max { started_at } } nodes { id status } } }`
		tutorsRels    = `{ tutors(where: {id: {_in: [1, 18, 45]}}, order_by: {id: asc}) { id matches(order_by: {id: asc}) { id student_id } matches_aggregate { aggregate { count } } } }`
		nested        = `{ students(order_by: {id: asc}, limit: 10) { id user { id } matches(order_by: {id: asc}) { id tutor { id matches_aggregate { aggregate { count } } } } } }`
		participants  = `{ course_participants(order_by: [{course_id: asc}, {student_id: asc}]) { course_id student_id joinedAt } }`
		coursePartics = `{ courses(where: {id: {_in: [1, 2, 69]}}, order_by: {id: asc}) { id participants(order_by: {student_id: asc}) { student_id } } }`
	)
	return []leakCase{
		{name: "list: users", query: users, want: map[string]string{
			"student":   adminSays(`{ users(where: {id: {_eq: <U>}}, order_by: {id: asc}, limit: 20) { id name email profile created_at } }`),
			"tutor":     adminSays(`{ users(where: {_or: [{id: {_eq: <U>}}, {student: {matches: {tutor_id: {_eq: <T>}}}}]}, order_by: {id: asc}, limit: 20) { id name email profile created_at } }`),
			"anonymous": noRoot("users"),
			"admin":     adminSays(users),
		}, check: func(t *testing.T, id identity, data any) {
			if id.role == "student" {
				allAre(t, data, "id", id.userID)
			}
		}},
		{name: "list: a column no role may read", query: `{ users(limit: 1) { id role } }`, want: map[string]string{
			"student":   notFound("$.selectionSet.users.selectionSet.role", "role", "users"),
			"tutor":     notFound("$.selectionSet.users.selectionSet.role", "role", "users"),
			"anonymous": noRoot("users"),
			"admin":     adminSays(`{ users(limit: 1) { id role } }`),
		}},
		{name: "by_pk: users", query: `{ a: users_by_pk(id: 1) { id name } b: users_by_pk(id: 69) { id name } c: users_by_pk(id: 12) { id name } d: users_by_pk(id: 89) { id name } }`, want: map[string]string{
			"student A": `{"data":{"a":{"id":1,"name":"Hamza Dubois"},"b":null,"c":null,"d":null}}`,
			"student B": `{"data":{"a":null,"b":{"id":69,"name":"Daniel Moreau"},"c":null,"d":null}}`,
			"tutor A":   `{"data":{"a":{"id":1,"name":"Hamza Dubois"},"b":null,"c":{"id":12,"name":"Elif Patel"},"d":null}}`,
			"tutor B":   `{"data":{"a":null,"b":null,"c":null,"d":{"id":89,"name":"Ximena Richter"}}}`,
			"anonymous": notFound("$.selectionSet.a", "users_by_pk", "query_root"),
			"admin":     `{"data":{"a":{"id":1,"name":"Hamza Dubois"},"b":{"id":69,"name":"Daniel Moreau"},"c":{"id":12,"name":"Elif Patel"},"d":{"id":89,"name":"Ximena Richter"}}}`,
		}},
		{name: "aggregate: users (no role may aggregate)", query: `{ users_aggregate { aggregate { count } } }`, want: map[string]string{
			"student": noRoot("users_aggregate"), "tutor": noRoot("users_aggregate"), "anonymous": noRoot("users_aggregate"),
			"admin": `{"data":{"users_aggregate":{"aggregate":{"count":1500}}}}`,
		}},
		{name: "list: students with the guardian's e-mail", query: `{ students(order_by: {id: asc}, limit: 20) { id user_id grade school guardian_email } }`, want: map[string]string{
			"student":   adminSays(`{ students(where: {user_id: {_eq: <U>}}, order_by: {id: asc}, limit: 20) { id user_id grade school guardian_email } }`),
			"tutor":     notFound("$.selectionSet.students.selectionSet.guardian_email", "guardian_email", "students"),
			"anonymous": noRoot("students"),
			"admin":     adminSays(`{ students(order_by: {id: asc}, limit: 20) { id user_id grade school guardian_email } }`),
		}, check: func(t *testing.T, id identity, data any) {
			if id.role == "student" {
				allAre(t, data, "id", id.studentID)
			}
		}},
		{name: "list: students", query: students, want: map[string]string{
			"student":   adminSays(`{ students(where: {user_id: {_eq: <U>}}, order_by: {id: asc}, limit: 20) { id user_id grade school } }`),
			"tutor":     adminSays(`{ students(where: {matches: {tutor_id: {_eq: <T>}}}, order_by: {id: asc}, limit: 20) { id user_id grade school } }`),
			"anonymous": noRoot("students"),
			"admin":     adminSays(students),
		}},
		{name: "by_pk: students", query: `{ a: students_by_pk(id: 1) { id user_id } b: students_by_pk(id: 53) { id } c: students_by_pk(id: 602) { id } }`, want: map[string]string{
			"student A": `{"data":{"a":{"id":1,"user_id":1},"b":null,"c":null}}`,
			"student B": `{"data":{"a":null,"b":{"id":53},"c":null}}`,
			"tutor A":   `{"data":{"a":{"id":1,"user_id":1},"b":null,"c":null}}`,
			"tutor B":   `{"data":{"a":null,"b":null,"c":{"id":602}}}`,
			"anonymous": notFound("$.selectionSet.a", "students_by_pk", "query_root"),
			"admin":     `{"data":{"a":{"id":1,"user_id":1},"b":{"id":53},"c":{"id":602}}}`,
		}},
		{name: "aggregate: students (no role may aggregate)", query: `{ students_aggregate { aggregate { count } } }`, want: map[string]string{
			"student": noRoot("students_aggregate"), "tutor": noRoot("students_aggregate"), "anonymous": noRoot("students_aggregate"),
			"admin": `{"data":{"students_aggregate":{"aggregate":{"count":1100}}}}`,
		}},
		{name: "list: matches with object relationships", query: matchesList, want: map[string]string{
			"student":   adminSays(strings.Replace(matchesList, "matches(", "matches(where: {student: {user_id: {_eq: <U>}}}, ", 1)),
			"tutor":     adminSays(strings.Replace(matchesList, "matches(", "matches(where: {tutor_id: {_eq: <T>}}, ", 1)),
			"anonymous": noRoot("matches"),
			"admin":     adminSays(matchesList),
		}, check: ownRows},
		{name: "list: the tutor's notes", query: `{ matches(order_by: {id: asc}, limit: 30) { id tutor_id notes } }`, want: map[string]string{
			"student":   notFound("$.selectionSet.matches.selectionSet.notes", "notes", "matches"),
			"tutor":     adminSays(`{ matches(where: {tutor_id: {_eq: <T>}}, order_by: {id: asc}, limit: 30) { id tutor_id notes } }`),
			"anonymous": noRoot("matches"),
			"admin":     adminSays(`{ matches(order_by: {id: asc}, limit: 30) { id tutor_id notes } }`),
		}, check: ownRows},
		{name: "by_pk: matches", query: `{ a: matches_by_pk(id: 1) { id student_id tutor_id } b: matches_by_pk(id: 69) { id student_id tutor_id } c: matches_by_pk(id: 110) { id student_id tutor_id } }`, want: map[string]string{
			"student A": `{"data":{"a":{"id":1,"student_id":1,"tutor_id":1},"b":null,"c":null}}`,
			"student B": `{"data":{"a":null,"b":{"id":69,"student_id":53,"tutor_id":45},"c":null}}`,
			"tutor A":   `{"data":{"a":{"id":1,"student_id":1,"tutor_id":1},"b":null,"c":null}}`,
			"tutor B":   `{"data":{"a":null,"b":null,"c":{"id":110,"student_id":602,"tutor_id":18}}}`,
			"anonymous": notFound("$.selectionSet.a", "matches_by_pk", "query_root"),
			"admin":     `{"data":{"a":{"id":1,"student_id":1,"tutor_id":1},"b":{"id":69,"student_id":53,"tutor_id":45},"c":{"id":110,"student_id":602,"tutor_id":18}}}`,
		}},
		{name: "aggregate: matches with nodes", query: matchesAgg, want: map[string]string{
			"student":   adminSays(strings.Replace(matchesAgg, "(order_by", "(where: {student: {user_id: {_eq: <U>}}}, order_by", 1)),
			"tutor":     adminSays(strings.Replace(matchesAgg, "(order_by", "(where: {tutor_id: {_eq: <T>}}, order_by", 1)),
			"anonymous": noRoot("matches_aggregate"),
			"admin":     adminSays(matchesAgg),
		}},
		{name: "list: which tutors a role sees", query: `{ tutors(where: {id: {_in: [1, 9, 18, 21, 45, 65]}}, order_by: {id: asc}) { id verified } }`, want: map[string]string{
			"student A": `{"data":{"tutors":[{"id":1,"verified":true},{"id":21,"verified":true},{"id":65,"verified":true}]}}`,
			"student B": `{"data":{"tutors":[{"id":1,"verified":true},{"id":21,"verified":true},{"id":45,"verified":false},{"id":65,"verified":true}]}}`,
			"tutor":     `{"data":{"tutors":[{"id":1,"verified":true},{"id":9,"verified":false},{"id":18,"verified":false},{"id":21,"verified":true},{"id":45,"verified":false},{"id":65,"verified":true}]}}`,
			"anonymous": `{"data":{"tutors":[{"id":1,"verified":true},{"id":21,"verified":true},{"id":65,"verified":true}]}}`,
			"admin":     `{"data":{"tutors":[{"id":1,"verified":true},{"id":9,"verified":false},{"id":18,"verified":false},{"id":21,"verified":true},{"id":45,"verified":false},{"id":65,"verified":true}]}}`,
		}},
		{name: "aggregate: tutors", query: `{ tutors_aggregate { aggregate { count } } }`, want: map[string]string{
			"student A": `{"data":{"tutors_aggregate":{"aggregate":{"count":267}}}}`,
			"student B": `{"data":{"tutors_aggregate":{"aggregate":{"count":268}}}}`,
			"tutor":     `{"data":{"tutors_aggregate":{"aggregate":{"count":300}}}}`,
			"anonymous": noRoot("tutors_aggregate"),
			"admin":     `{"data":{"tutors_aggregate":{"aggregate":{"count":300}}}}`,
		}},
		{name: "list: tutors' columns per role", query: `{ tutors(where: {id: {_eq: 1}}) { id bio verified user_id hourly_capacity joined_on } }`, want: map[string]string{
			"student":   notFound("$.selectionSet.tutors.selectionSet.joined_on", "joined_on", "tutors"),
			"tutor":     `{"data":{"tutors":[{"id":1,"bio":"Physics PhD candidate. Patient, structured, and fond of worked examples.","verified":true,"user_id":12,"hourly_capacity":6,"joined_on":"2021-10-08"}]}}`,
			"anonymous": notFound("$.selectionSet.tutors.selectionSet.user_id", "user_id", "tutors"),
			"admin":     `{"data":{"tutors":[{"id":1,"bio":"Physics PhD candidate. Patient, structured, and fond of worked examples.","verified":true,"user_id":12,"hourly_capacity":6,"joined_on":"2021-10-08"}]}}`,
		}},
		{name: "by_pk: tutors", query: `{ a: tutors_by_pk(id: 1) { id verified } b: tutors_by_pk(id: 45) { id verified } c: tutors_by_pk(id: 18) { id verified } }`, want: map[string]string{
			"student A": `{"data":{"a":{"id":1,"verified":true},"b":null,"c":null}}`,
			"student B": `{"data":{"a":{"id":1,"verified":true},"b":{"id":45,"verified":false},"c":null}}`,
			"tutor":     `{"data":{"a":{"id":1,"verified":true},"b":{"id":45,"verified":false},"c":{"id":18,"verified":false}}}`,
			"anonymous": `{"data":{"a":{"id":1,"verified":true},"b":null,"c":null}}`,
			"admin":     `{"data":{"a":{"id":1,"verified":true},"b":{"id":45,"verified":false},"c":{"id":18,"verified":false}}}`,
		}},
		{name: "array relationship and its aggregate", query: tutorsRels, want: map[string]string{
			"student": adminSays(`{ tutors(where: {_and: [{id: {_in: [1, 18, 45]}}, {_or: [{verified: {_eq: true}}, {matches: {student: {user_id: {_eq: <U>}}}}]}]}, order_by: {id: asc}) { id ` +
				`matches(where: {student: {user_id: {_eq: <U>}}}, order_by: {id: asc}) { id student_id } matches_aggregate(where: {student: {user_id: {_eq: <U>}}}) { aggregate { count } } } }`),
			"tutor": adminSays(`{ tutors(where: {id: {_in: [1, 18, 45]}}, order_by: {id: asc}) { id ` +
				`matches(where: {tutor_id: {_eq: <T>}}, order_by: {id: asc}) { id student_id } matches_aggregate(where: {tutor_id: {_eq: <T>}}) { aggregate { count } } } }`),
			"anonymous": notFound("$.selectionSet.tutors.selectionSet.matches", "matches", "tutors"),
			"admin":     adminSays(tutorsRels),
		}, check: func(t *testing.T, id identity, data any) {
			if id.role == "student" {
				allAre(t, data, "student_id", id.studentID)
			}
		}},
		{name: "object relationship to a row the role cannot see is null", query: `{ courses(where: {id: {_in: [1, 2]}}, order_by: {id: asc}) { id tutor_id tutor { id } } }`, want: map[string]string{
			"student":   `{"data":{"courses":[{"id":1,"tutor_id":1,"tutor":{"id":1}},{"id":2,"tutor_id":18,"tutor":null}]}}`,
			"anonymous": `{"data":{"courses":[{"id":1,"tutor_id":1,"tutor":{"id":1}},{"id":2,"tutor_id":18,"tutor":null}]}}`,
			"tutor":     `{"data":{"courses":[{"id":1,"tutor_id":1,"tutor":{"id":1}},{"id":2,"tutor_id":18,"tutor":{"id":18}}]}}`,
			"admin":     `{"data":{"courses":[{"id":1,"tutor_id":1,"tutor":{"id":1}},{"id":2,"tutor_id":18,"tutor":{"id":18}}]}}`,
		}},
		{name: "object relationship from by_pk", query: `{ tutors_by_pk(id: 1) { id user { id name } } }`, want: map[string]string{
			"student":   `{"data":{"tutors_by_pk":{"id":1,"user":null}}}`,
			"tutor A":   `{"data":{"tutors_by_pk":{"id":1,"user":{"id":12,"name":"Elif Patel"}}}}`,
			"tutor B":   `{"data":{"tutors_by_pk":{"id":1,"user":null}}}`,
			"anonymous": notFound("$.selectionSet.tutors_by_pk.selectionSet.user", "user", "tutors"),
			"admin":     `{"data":{"tutors_by_pk":{"id":1,"user":{"id":12,"name":"Elif Patel"}}}}`,
		}},
		{name: "object relationship from a list", query: `{ tutor_subjects(where: {tutor_id: {_in: [1, 9]}}, order_by: [{tutor_id: asc}, {subject_id: asc}]) { tutor_id subject_id level tutor { id } } }`, want: map[string]string{
			"student":   tutorSubjects("null"),
			"anonymous": tutorSubjects("null"),
			"tutor":     tutorSubjects(`{"id":9}`),
			"admin":     tutorSubjects(`{"id":9}`),
		}},
		{name: "nested three levels", query: nested, want: map[string]string{
			"student A": `{"data":{"students":[{"id":1,"user":{"id":1},"matches":[{"id":1,"tutor":{"id":1,"matches_aggregate":{"aggregate":{"count":1}}}},{"id":1101,"tutor":{"id":21,"matches_aggregate":{"aggregate":{"count":1}}}}]}]}}`,
			"student B": adminSays(`{ students(where: {user_id: {_eq: <U>}}, order_by: {id: asc}, limit: 10) { id user { id } matches(order_by: {id: asc}) { id tutor { id matches_aggregate(where: {student: {user_id: {_eq: <U>}}}) { aggregate { count } } } } } }`),
			"tutor": adminSays(`{ students(where: {matches: {tutor_id: {_eq: <T>}}}, order_by: {id: asc}, limit: 10) { id user { id } ` +
				`matches(where: {tutor_id: {_eq: <T>}}, order_by: {id: asc}) { id tutor { id matches_aggregate(where: {tutor_id: {_eq: <T>}}) { aggregate { count } } } } } }`),
			"anonymous": noRoot("students"),
			"admin":     adminSays(nested),
		}},
		{name: "where through an array relationship", query: `{ tutors(where: {matches: {student_id: {_eq: 21}}}, order_by: {id: asc}) { id } }`, want: map[string]string{
			"student":   `{"data":{"tutors":[]}}`,
			"tutor A":   `{"data":{"tutors":[{"id":1}]}}`,
			"tutor B":   `{"data":{"tutors":[]}}`,
			"anonymous": notFound("$.selectionSet.tutors.args.where.matches", "matches", "tutors_bool_exp"),
			"admin":     `{"data":{"tutors":[{"id":1},{"id":21}]}}`,
		}},
		{name: "where through an array relationship to hidden rows", query: `{ courses(where: {participants: {student_id: {_eq: 21}}}, order_by: {id: asc}) { id } }`, want: map[string]string{
			"student":   `{"data":{"courses":[]}}`,
			"tutor A":   `{"data":{"courses":[{"id":1}]}}`,
			"tutor B":   `{"data":{"courses":[]}}`,
			"anonymous": notFound("$.selectionSet.courses.args.where.participants", "participants", "courses_bool_exp"),
			"admin":     adminSays(`{ courses(where: {participants: {student_id: {_eq: 21}}}, order_by: {id: asc}) { id } }`),
		}},
		{name: "where through object relationships", query: `{ course_participants(where: {course: {tutor: {id: {_eq: 1}}}}, order_by: {student_id: asc}) { course_id student_id } }`, want: map[string]string{
			"student":   `{"data":{"course_participants":[]}}`,
			"tutor A":   adminSays(`{ course_participants(where: {course_id: {_eq: 1}}, order_by: {student_id: asc}) { course_id student_id } }`),
			"tutor B":   `{"data":{"course_participants":[]}}`,
			"anonymous": noRoot("course_participants"),
			"admin":     adminSays(`{ course_participants(where: {course_id: {_eq: 1}}, order_by: {student_id: asc}) { course_id student_id } }`),
		}},
		{name: "where on a hidden column", query: `{ matches(where: {notes: {_is_null: false}}, order_by: {id: asc}) { id } }`, want: map[string]string{
			"student":   notFound("$.selectionSet.matches.args.where.notes", "notes", "matches_bool_exp"),
			"tutor":     adminSays(`{ matches(where: {notes: {_is_null: false}, tutor_id: {_eq: <T>}}, order_by: {id: asc}) { id } }`),
			"anonymous": noRoot("matches"),
			"admin":     adminSays(`{ matches(where: {notes: {_is_null: false}}, order_by: {id: asc}) { id } }`),
		}},
		{name: "where on a hidden column through a relationship", query: `{ users(where: {student: {guardian_email: {_is_null: false}}}, order_by: {id: asc}, limit: 20) { id } }`, want: map[string]string{
			"student A": `{"data":{"users":[{"id":1}]}}`,
			"student B": `{"data":{"users":[{"id":69}]}}`,
			"tutor":     notFound("$.selectionSet.users.args.where.student.guardian_email", "guardian_email", "students_bool_exp"),
			"anonymous": noRoot("users"),
			"admin":     adminSays(`{ users(where: {student: {guardian_email: {_is_null: false}}}, order_by: {id: asc}, limit: 20) { id } }`),
		}},
		{name: "where: aggregate predicate over hidden rows", query: `{ tutors(where: {matches_aggregate: {count: {predicate: {_gt: 0}}}}, order_by: {id: asc}, limit: 5) { id } }`, want: map[string]string{
			"student A": `{"data":{"tutors":[{"id":1},{"id":21}]}}`,
			"student B": `{"data":{"tutors":[{"id":45},{"id":65}]}}`,
			"tutor A":   `{"data":{"tutors":[{"id":1}]}}`,
			"tutor B":   `{"data":{"tutors":[{"id":18}]}}`,
			"anonymous": notFound("$.selectionSet.tutors.args.where.matches_aggregate", "matches_aggregate", "tutors_bool_exp"),
			"admin":     `{"data":{"tutors":[{"id":1},{"id":2},{"id":3},{"id":4},{"id":5}]}}`,
		}},
		{name: "order_by a hidden column", query: `{ matches(order_by: [{notes: asc}, {id: asc}], limit: 5) { id } }`, want: map[string]string{
			"student":   notFound("$.selectionSet.matches.args.order_by[0].notes", "notes", "matches_order_by"),
			"tutor":     adminSays(`{ matches(where: {tutor_id: {_eq: <T>}}, order_by: [{notes: asc}, {id: asc}], limit: 5) { id } }`),
			"anonymous": noRoot("matches"),
			"admin":     adminSays(`{ matches(order_by: [{notes: asc}, {id: asc}], limit: 5) { id } }`),
		}},
		{name: "order_by a hidden column through a relationship", query: `{ matches(order_by: [{tutor: {joined_on: asc}}, {id: asc}], limit: 5) { id } }`, want: map[string]string{
			"student":   notFound("$.selectionSet.matches.args.order_by[0].tutor.joined_on", "joined_on", "tutors_order_by"),
			"tutor":     adminSays(`{ matches(where: {tutor_id: {_eq: <T>}}, order_by: [{tutor: {joined_on: asc}}, {id: asc}], limit: 5) { id } }`),
			"anonymous": noRoot("matches"),
			"admin":     adminSays(`{ matches(order_by: [{tutor: {joined_on: asc}}, {id: asc}], limit: 5) { id } }`),
		}},
		// Courses 1, 2 and 3 are taught by tutors 1 (Physics PhD
		// candidate), 18 (Librarian, unverified) and 35 (Accountant): a
		// role that cannot see tutor 18 sorts course 2 as if it had no
		// tutor (NULLS LAST), not by the hidden bio.
		{name: "order_by through an object relationship to a hidden row", query: `{ courses(where: {id: {_in: [1, 2, 3]}}, order_by: [{tutor: {bio: asc}}, {id: asc}]) { id } }`, want: map[string]string{
			"student":   `{"data":{"courses":[{"id":3},{"id":1},{"id":2}]}}`,
			"anonymous": `{"data":{"courses":[{"id":3},{"id":1},{"id":2}]}}`,
			"tutor":     `{"data":{"courses":[{"id":3},{"id":2},{"id":1}]}}`,
			"admin":     `{"data":{"courses":[{"id":3},{"id":2},{"id":1}]}}`,
		}},
		{name: "order_by an array relationship's count", query: `{ tutors(order_by: [{matches_aggregate: {count: desc}}, {id: asc}], limit: 3) { id } }`, want: map[string]string{
			"student A": `{"data":{"tutors":[{"id":1},{"id":21},{"id":2}]}}`,
			"student B": `{"data":{"tutors":[{"id":45},{"id":65},{"id":1}]}}`,
			"tutor A":   `{"data":{"tutors":[{"id":1},{"id":2},{"id":3}]}}`,
			"tutor B":   `{"data":{"tutors":[{"id":18},{"id":1},{"id":2}]}}`,
			"anonymous": notFound("$.selectionSet.tutors.args.order_by[0].matches_aggregate", "matches_aggregate", "tutors_order_by"),
			"admin":     `{"data":{"tutors":[{"id":1},{"id":6},{"id":7}]}}`,
		}},
		{name: "order_by an array relationship's max", query: `{ tutors(order_by: [{matches_aggregate: {max: {started_at: desc_nulls_last}}}, {id: asc}], limit: 2) { id } }`, want: map[string]string{
			"student A": `{"data":{"tutors":[{"id":21},{"id":1}]}}`,
			"student B": `{"data":{"tutors":[{"id":65},{"id":45}]}}`,
			"tutor A":   `{"data":{"tutors":[{"id":1},{"id":2}]}}`,
			"tutor B":   `{"data":{"tutors":[{"id":18},{"id":1}]}}`,
			"anonymous": notFound("$.selectionSet.tutors.args.order_by[0].matches_aggregate", "matches_aggregate", "tutors_order_by"),
			"admin":     `{"data":{"tutors":[{"id":168},{"id":155}]}}`,
		}},
		{name: "distinct_on", query: `{ matches(distinct_on: [status], order_by: [{status: asc}, {id: asc}]) { status id student_id tutor_id } }`, want: map[string]string{
			"student":   adminSays(`{ matches(where: {student: {user_id: {_eq: <U>}}}, distinct_on: [status], order_by: [{status: asc}, {id: asc}]) { status id student_id tutor_id } }`),
			"tutor":     adminSays(`{ matches(where: {tutor_id: {_eq: <T>}}, distinct_on: [status], order_by: [{status: asc}, {id: asc}]) { status id student_id tutor_id } }`),
			"anonymous": noRoot("matches"),
			"admin":     adminSays(`{ matches(distinct_on: [status], order_by: [{status: asc}, {id: asc}]) { status id student_id tutor_id } }`),
		}, check: ownRows},
		{name: "distinct_on through permissions", query: `{ course_participants(distinct_on: [course_id], order_by: [{course_id: asc}, {student_id: asc}]) { course_id student_id } }`, want: map[string]string{
			"student A": `{"data":{"course_participants":[{"course_id":69,"student_id":1},{"course_id":116,"student_id":1}]}}`,
			"student B": `{"data":{"course_participants":[{"course_id":37,"student_id":53},{"course_id":84,"student_id":53}]}}`,
			"tutor":     adminSays(`{ course_participants(where: {course: {tutor_id: {_eq: <T>}}}, distinct_on: [course_id], order_by: [{course_id: asc}, {student_id: asc}]) { course_id student_id } }`),
			"anonymous": noRoot("course_participants"),
			"admin":     adminSays(`{ course_participants(distinct_on: [course_id], order_by: [{course_id: asc}, {student_id: asc}]) { course_id student_id } }`),
		}},
		{name: "distinct_on a hidden column", query: `{ matches(distinct_on: [notes], order_by: [{notes: asc}, {id: asc}], limit: 3) { id } }`, want: map[string]string{
			"student": `{"errors":[{"extensions":{"path":"$.selectionSet.matches.args.distinct_on[0]","code":"validation-failed"},"message":"expected one of the values ` +
				`['id', 'student_id', 'tutor_id', 'subject_id', 'status', 'started_at', 'ended_at'] for type 'matches_select_column', but found 'notes'"}]}`,
			"tutor":     adminSays(`{ matches(where: {tutor_id: {_eq: <T>}}, distinct_on: [notes], order_by: [{notes: asc}, {id: asc}], limit: 3) { id } }`),
			"anonymous": noRoot("matches"),
			"admin":     adminSays(`{ matches(distinct_on: [notes], order_by: [{notes: asc}, {id: asc}], limit: 3) { id } }`),
		}},
		{name: "list: course participants", query: participants, want: map[string]string{
			"student":   adminSays(strings.Replace(participants, "(order_by", "(where: {student: {user_id: {_eq: <U>}}}, order_by", 1)),
			"tutor":     adminSays(strings.Replace(participants, "(order_by", "(where: {course: {tutor_id: {_eq: <T>}}}, order_by", 1)),
			"anonymous": noRoot("course_participants"),
			"admin":     adminSays(participants),
		}, check: func(t *testing.T, id identity, data any) {
			if id.role == "student" {
				allAre(t, data, "student_id", id.studentID)
			}
		}},
		{name: "aggregate: course participants", query: `{ course_participants_aggregate { aggregate { count } } }`, want: map[string]string{
			"student":   noRoot("course_participants_aggregate"),
			"tutor A":   `{"data":{"course_participants_aggregate":{"aggregate":{"count":12}}}}`,
			"tutor B":   `{"data":{"course_participants_aggregate":{"aggregate":{"count":14}}}}`,
			"anonymous": noRoot("course_participants_aggregate"),
			"admin":     adminSays(`{ course_participants_aggregate { aggregate { count } } }`),
		}},
		{name: "array relationship to rows of others", query: coursePartics, want: map[string]string{
			"student":   adminSays(strings.Replace(coursePartics, "participants(", "participants(where: {student: {user_id: {_eq: <U>}}}, ", 1)),
			"tutor":     adminSays(strings.Replace(coursePartics, "participants(", "participants(where: {course: {tutor_id: {_eq: <T>}}}, ", 1)),
			"anonymous": notFound("$.selectionSet.courses.selectionSet.participants", "participants", "courses"),
			"admin":     adminSays(coursePartics),
		}},
		{name: "array relationship aggregate only where allowed", query: `{ courses(order_by: {id: asc}, limit: 2) { id participants_aggregate { aggregate { count } } } }`, want: map[string]string{
			"student":   notFound("$.selectionSet.courses.selectionSet.participants_aggregate", "participants_aggregate", "courses"),
			"tutor A":   `{"data":{"courses":[{"id":1,"participants_aggregate":{"aggregate":{"count":12}}},{"id":2,"participants_aggregate":{"aggregate":{"count":0}}}]}}`,
			"tutor B":   `{"data":{"courses":[{"id":1,"participants_aggregate":{"aggregate":{"count":0}}},{"id":2,"participants_aggregate":{"aggregate":{"count":14}}}]}}`,
			"anonymous": notFound("$.selectionSet.courses.selectionSet.participants_aggregate", "participants_aggregate", "courses"),
			"admin":     `{"data":{"courses":[{"id":1,"participants_aggregate":{"aggregate":{"count":12}}},{"id":2,"participants_aggregate":{"aggregate":{"count":14}}}]}}`,
		}},
		{name: "the permission's row limit", query: `{ courses(order_by: {id: asc}, limit: 100) { id } }`, want: map[string]string{
			"student":   adminSays(`{ courses(order_by: {id: asc}, limit: 100) { id } }`),
			"tutor":     adminSays(`{ courses(order_by: {id: asc}, limit: 100) { id } }`),
			"anonymous": adminSays(`{ courses(order_by: {id: asc}, limit: 50) { id } }`),
			"admin":     adminSays(`{ courses(order_by: {id: asc}, limit: 100) { id } }`),
		}, check: func(t *testing.T, id identity, data any) {
			n := len(valuesOf(data, "id"))
			if want := map[bool]int{true: 50, false: 100}[id.role == "anonymous"]; n != want {
				t.Errorf("%d courses, want %d", n, want)
			}
		}},
		{name: "aggregate: courses and lectures", query: `{ courses_aggregate { aggregate { count } } }`, want: map[string]string{
			"student":   `{"data":{"courses_aggregate":{"aggregate":{"count":120}}}}`,
			"tutor":     `{"data":{"courses_aggregate":{"aggregate":{"count":120}}}}`,
			"anonymous": noRoot("courses_aggregate"),
			"admin":     `{"data":{"courses_aggregate":{"aggregate":{"count":120}}}}`,
		}},
		{name: "aggregate: lectures (only admin)", query: `{ lectures_aggregate { aggregate { count } } }`, want: map[string]string{
			"student": noRoot("lectures_aggregate"), "tutor": noRoot("lectures_aggregate"), "anonymous": noRoot("lectures_aggregate"),
			"admin": `{"data":{"lectures_aggregate":{"aggregate":{"count":900}}}}`,
		}},
	}
}

// tutorSubjects is the answer of "object relationship from a list", with
// tutor 9 (unverified) as nine.
func tutorSubjects(nine string) string {
	row := func(tutor, subject int, level, rel string) string {
		return fmt.Sprintf(`{"tutor_id":%d,"subject_id":%d,"level":"%s","tutor":%s}`, tutor, subject, level, rel)
	}
	return `{"data":{"tutor_subjects":[` + strings.Join([]string{
		row(1, 8, "intermediate", `{"id":1}`), row(1, 13, "advanced", `{"id":1}`), row(1, 18, "introductory", `{"id":1}`),
		row(9, 4, "introductory", nine), row(9, 9, "intermediate", nine), row(9, 14, "advanced", nine),
	}, ",") + `]}}`
}

// TestLeakPlanCacheRebind alternates two students and two tutors on one
// document and its variables: the second request of each role is
// answered from the plan cache with the session rebound, and must hold
// the second identity's rows, never the first one's.
func TestLeakPlanCacheRebind(t *testing.T) {
	s := newLeakServer(t)
	const q = `query ($a: Int!, $b: Int!) { a: users_by_pk(id: $a) { id } b: users_by_pk(id: $b) { id } matches_aggregate { aggregate { count } } matches(order_by: {id: asc}, limit: 2) { student_id tutor_id } }`
	vars := map[string]any{"a": 1, "b": 69}
	want := map[string]string{
		studentA.name: `{"data":{"a":{"id":1},"b":null,"matches_aggregate":{"aggregate":{"count":2}},"matches":[{"student_id":1,"tutor_id":1},{"student_id":1,"tutor_id":21}]}}`,
		studentB.name: `{"data":{"a":null,"b":{"id":69},"matches_aggregate":{"aggregate":{"count":2}},"matches":[{"student_id":53,"tutor_id":45},{"student_id":53,"tutor_id":65}]}}`,
		tutorA.name:   `{"data":{"a":{"id":1},"b":null,"matches_aggregate":{"aggregate":{"count":6}},"matches":[{"student_id":1,"tutor_id":1},{"student_id":21,"tutor_id":1}]}}`,
		tutorB.name:   `{"data":{"a":null,"b":null,"matches_aggregate":{"aggregate":{"count":5}},"matches":[{"student_id":602,"tutor_id":18},{"student_id":622,"tutor_id":18}]}}`,
	}
	hits0, _ := s.engine.CacheStats()
	order := []identity{studentA, studentB, tutorA, tutorB, studentB, studentA, tutorB, tutorA, studentA, tutorA}
	for i, id := range order {
		cred := credentials(id)[i%2]
		if got := s.as(t, id, cred, q, vars); got != want[id.name] {
			t.Errorf("request %d as %s (%s):\ngot  %s\nwant %s", i, id.name, cred, got, want[id.name])
		}
	}
	// Each role plans once; every later request is a cache hit.
	if hits, _ := s.engine.CacheStats(); hits-hits0 != int64(len(order)-2) {
		t.Errorf("%d plan cache hits, want %d", hits-hits0, len(order)-2)
	}
}
