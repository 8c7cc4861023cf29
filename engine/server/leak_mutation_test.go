package server_test

import (
	"net/http"
	"testing"
)

// leakStep is one request of a sequence and its exact answer (or
// adminSays, for the oracle).
type leakStep struct {
	name  string
	id    identity
	query string
	want  string
}

func (s *leakServer) runSteps(t *testing.T, steps []leakStep) {
	t.Helper()
	for i, st := range steps {
		cred := credentials(st.id)[i%len(credentials(st.id))]
		got := s.as(t, st.id, cred, st.query, nil)
		if got != st.want {
			t.Errorf("%s (as %s via %s):\ngot  %s\nwant %s", st.name, st.id.name, cred, got, st.want)
		}
	}
}

// TestLeakMutations writes through update and delete permissions: a
// filter narrows the rows a role can touch to its own, whatever the
// where says, and admin then finds nobody else's row changed.
func TestLeakMutations(t *testing.T) {
	s := newLeakServer(t)
	noMutations := `{"errors":[{"extensions":{"path":"$","code":"validation-failed"},"message":"no mutations exist"}]}`
	s.runSteps(t, []leakStep{
		// A student updates only their own user and student rows.
		{"another's user", studentA, `mutation { update_users(where: {id: {_eq: 69}}, _set: {name: "Leaked"}) { affected_rows } }`,
			`{"data":{"update_users":{"affected_rows":0}}}`},
		{"another's user by key", studentA, `mutation { update_users_by_pk(pk_columns: {id: 69}, _set: {name: "Leaked"}) { id } }`,
			`{"data":{"update_users_by_pk":null}}`},
		{"every user", studentA, `mutation { update_users(where: {}, _set: {profile: {}}) { affected_rows returning { id profile tutor { id } student { id matches(order_by: {id: asc}) { id tutor_id } } } } }`,
			`{"data":{"update_users":{"affected_rows":1,"returning":[{"id":1,"profile":{},"tutor":null,"student":{"id":1,"matches":[{"id":1,"tutor_id":1},{"id":1101,"tutor_id":21}]}}]}}}`},
		{"every student", studentB, `mutation { update_students(where: {grade: {_gte: 1}}, _set: {school: "Own School"}) { affected_rows returning { id user_id } } }`,
			`{"data":{"update_students":{"affected_rows":1,"returning":[{"id":53,"user_id":69}]}}}`},
		{"a column outside the update permission", studentA, `mutation { update_users(where: {}, _set: {email: "x@example.org"}) { affected_rows } }`,
			notFound("$.selectionSet.update_users.args._set.email", "email", "users_set_input")},
		{"a table without an update permission", studentA, `mutation { update_matches(where: {}, _set: {notes: "Leaked"}) { affected_rows } }`,
			notFound("$.selectionSet.update_matches", "update_matches", "mutation_root")},
		{"returning a column outside the select permission", tutorA, `mutation { update_matches(where: {id: {_eq: 1}}, _set: {status: active}) { returning { id student { guardian_email } } } }`,
			notFound("$.selectionSet.update_matches.selectionSet.returning.selectionSet.student.selectionSet.guardian_email", "guardian_email", "students")},
		// A student deletes only their own enrolments.
		{"another's enrolments", studentA, `mutation { delete_course_participants(where: {course_id: {_eq: 1}}) { affected_rows } }`,
			`{"data":{"delete_course_participants":{"affected_rows":0}}}`},
		{"another's enrolment by key", studentA, `mutation { delete_course_participants_by_pk(course_id: 1, student_id: 21) { course_id } }`,
			`{"data":{"delete_course_participants_by_pk":null}}`},
		{"every enrolment", studentA, `mutation { delete_course_participants(where: {}) { affected_rows returning { course_id student_id } } }`,
			`{"data":{"delete_course_participants":{"affected_rows":2,"returning":[{"course_id":69,"student_id":1},{"course_id":116,"student_id":1}]}}}`},
		// A tutor changes only their own matches, bio, courses and lectures.
		{"another tutor's match", tutorA, `mutation { update_matches(where: {id: {_eq: 110}}, _set: {notes: "Leaked"}) { affected_rows } }`,
			`{"data":{"update_matches":{"affected_rows":0}}}`},
		{"every match", tutorA, `mutation { update_matches(where: {}, _set: {notes: "Mine"}) { affected_rows returning { tutor_id } } }`,
			`{"data":{"update_matches":{"affected_rows":6,"returning":[{"tutor_id":1},{"tutor_id":1},{"tutor_id":1},{"tutor_id":1},{"tutor_id":1},{"tutor_id":1}]}}}`},
		{"another tutor's bio", tutorA, `mutation { update_tutors(where: {id: {_eq: 18}}, _set: {bio: "Leaked"}) { affected_rows } }`,
			`{"data":{"update_tutors":{"affected_rows":0}}}`},
		{"another tutor's bio by key", tutorB, `mutation { update_tutors_by_pk(pk_columns: {id: 1}, _set: {bio: "Leaked"}) { id } }`,
			`{"data":{"update_tutors_by_pk":null}}`},
		{"own bio by key", tutorB, `mutation { update_tutors_by_pk(pk_columns: {id: 18}, _set: {bio: "Mine"}) { id bio } }`,
			`{"data":{"update_tutors_by_pk":{"id":18,"bio":"Mine"}}}`},
		{"another tutor's user", tutorB, `mutation { update_users(where: {id: {_eq: 12}}, _set: {name: "Leaked"}) { affected_rows } }`,
			`{"data":{"update_users":{"affected_rows":0}}}`},
		{"every course", tutorA, `mutation { update_courses(where: {}, _set: {title: "Mine"}) { affected_rows returning { id tutor_id } } }`,
			`{"data":{"update_courses":{"affected_rows":1,"returning":[{"id":1,"tutor_id":1}]}}}`},
		{"lectures of two courses", tutorA, `mutation { update_lectures(where: {course_id: {_in: [1, 2]}}, _set: {title: "Mine"}) { affected_rows } }`,
			`{"data":{"update_lectures":{"affected_rows":7}}}`},
		{"another tutor's course", tutorA, `mutation { delete_courses(where: {id: {_eq: 2}}) { affected_rows } }`,
			`{"data":{"delete_courses":{"affected_rows":0}}}`},
		{"another tutor's lectures", tutorA, `mutation { delete_lectures(where: {course_id: {_eq: 2}}) { affected_rows } }`,
			`{"data":{"delete_lectures":{"affected_rows":0}}}`},
		{"another tutor's subjects", tutorA, `mutation { delete_tutor_subjects(where: {tutor_id: {_eq: 18}}) { affected_rows } }`,
			`{"data":{"delete_tutor_subjects":{"affected_rows":0}}}`},
		{"another tutor's subject by key", tutorB, `mutation { delete_tutor_subjects_by_pk(tutor_id: 1, subject_id: 8) { tutor_id } }`,
			`{"data":{"delete_tutor_subjects_by_pk":null}}`},
		{"anonymous", anonymous, `mutation { update_users(where: {}, _set: {name: "Leaked"}) { affected_rows } }`, noMutations},
	})

	// Nobody else's rows changed.
	s.runSteps(t, []leakStep{
		{"no user was renamed", admin, `{ users_aggregate(where: {name: {_eq: "Leaked"}}) { aggregate { count } } }`,
			`{"data":{"users_aggregate":{"aggregate":{"count":0}}}}`},
		{"one profile emptied", admin, `{ users(where: {profile: {_eq: {}}}) { id } }`, `{"data":{"users":[{"id":1}]}}`},
		{"one school changed", admin, `{ students(where: {school: {_eq: "Own School"}}) { id } }`, `{"data":{"students":[{"id":53}]}}`},
		{"tutor A's matches only", admin, `{ matches_aggregate(where: {notes: {_in: ["Mine", "Leaked"]}}) { aggregate { count } nodes { tutor_id } } }`,
			`{"data":{"matches_aggregate":{"aggregate":{"count":6},"nodes":[{"tutor_id":1},{"tutor_id":1},{"tutor_id":1},{"tutor_id":1},{"tutor_id":1},{"tutor_id":1}]}}}`},
		{"bios", admin, `{ tutors(where: {bio: {_in: ["Mine", "Leaked"]}}) { id bio } }`, `{"data":{"tutors":[{"id":18,"bio":"Mine"}]}}`},
		{"course titles", admin, `{ courses(where: {title: {_eq: "Mine"}}) { id } }`, `{"data":{"courses":[{"id":1}]}}`},
		{"lectures", admin, `{ mine: lectures_aggregate(where: {title: {_eq: "Mine"}}) { aggregate { count } } course2: lectures_aggregate(where: {course_id: {_eq: 2}}) { aggregate { count } } }`,
			`{"data":{"mine":{"aggregate":{"count":7}},"course2":{"aggregate":{"count":8}}}}`},
		{"enrolments", admin, `{ course1: course_participants_aggregate(where: {course_id: {_eq: 1}}) { aggregate { count } } student1: course_participants_aggregate(where: {student_id: {_eq: 1}}) { aggregate { count } } }`,
			`{"data":{"course1":{"aggregate":{"count":12}},"student1":{"aggregate":{"count":0}}}}`},
		{"courses and tutor subjects", admin, `{ courses_by_pk(id: 2) { id } tutor_subjects_aggregate(where: {tutor_id: {_in: [1, 18]}}) { aggregate { count } } }`,
			`{"data":{"courses_by_pk":{"id":2},"tutor_subjects_aggregate":{"aggregate":{"count":6}}}}`},
	})
}

// TestLeakSessionComesFromTheToken checks that a request cannot choose
// its session beyond what its token grants: x-hasura-* headers do not
// override the token's variables, a role outside the token's allowed
// roles is refused, and a request without credentials is the
// unauthorized role whatever headers it sends.
func TestLeakSessionComesFromTheToken(t *testing.T) {
	s := newLeakServer(t)
	const me = `{ users { id } }`
	for _, cred := range []credential{viaHS256, viaJWKS} {
		h := s.headers(t, studentA, cred)
		h["X-Hasura-User-Id"] = "69"
		if _, got := s.post(t, `{"query":"`+me+`"}`, h); compact(t, got) != `{"data":{"users":[{"id":1}]}}` {
			t.Errorf("%s: a header overrode the token's user id: %s", cred, got)
		}
		h = s.headers(t, studentA, cred)
		h["X-Hasura-Role"] = "tutor"
		if status, got := s.post(t, `{"query":"`+me+`"}`, h); status != http.StatusOK ||
			compact(t, got) != authError("access-denied", "Your requested role is not in allowed roles") {
			t.Errorf("%s: a role outside the allowed roles: %d %s", cred, status, got)
		}
		h = s.headers(t, studentA, cred)
		h["X-Hasura-Role"] = "admin"
		if status, got := s.post(t, `{"query":"`+me+`"}`, h); status != http.StatusOK ||
			compact(t, got) != authError("access-denied", "Your requested role is not in allowed roles") {
			t.Errorf("%s: admin through x-hasura-role: %d %s", cred, status, got)
		}
	}
	for _, h := range []map[string]string{
		{"X-Hasura-Role": "admin"},
		{"X-Hasura-Role": "student", "X-Hasura-User-Id": "1"},
	} {
		if _, got := s.post(t, `{"query":"`+me+`"}`, h); compact(t, got) != noRoot("users") {
			t.Errorf("no credentials with %v: %s", h, got)
		}
	}
}
