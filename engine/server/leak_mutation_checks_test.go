package server_test

import "testing"

// checkFailed is Hasura's answer when a written row fails the check of
// the role's insert or update permission: the path is the insert's
// objects (or object) argument, "$" for an update.
func checkFailed(path string) string {
	return `{"errors":[{"extensions":{"path":"` + path + `","code":"permission-error"},"message":"check constraint of an insert/update permission has failed"}]}`
}

// runEveryCredential runs each step once per credential of its identity.
// Only for steps that change nothing (refusals, reads), which answer the
// same every time.
func (s *leakServer) runEveryCredential(t *testing.T, steps []leakStep) {
	t.Helper()
	for _, st := range steps {
		for _, cred := range credentials(st.id) {
			if got := s.as(t, st.id, cred, st.query, nil); got != st.want {
				t.Errorf("%s (as %s via %s):\ngot  %s\nwant %s", st.name, st.id.name, cred, got, st.want)
			}
		}
	}
}

// TestLeakCoursePresets inserts courses as tutors: the tutor is preset
// from X-Hasura-Tutor-Id, is not an input field, cannot be chosen by a
// header beside the token, and a token whose tutor id is not the user's
// own fails the check.
func TestLeakCoursePresets(t *testing.T) {
	s := newLeakServer(t)
	s.runEveryCredential(t, []leakStep{
		{"tutor_id in the object", tutorA, `mutation { insert_courses_one(object: {title: "Leaked", subject_id: 1, tutor_id: 18, starts_on: "2030-01-01", capacity: 5}) { id } }`,
			notFound("$.selectionSet.insert_courses_one.args.object.tutor_id", "tutor_id", "courses_insert_input")},
		{"tutor_id in the objects", tutorB, `mutation { insert_courses(objects: [{title: "Leaked", subject_id: 1, starts_on: "2030-01-01", capacity: 5}, {title: "Leaked", subject_id: 1, tutor_id: 1, starts_on: "2030-01-01", capacity: 5}]) { affected_rows } }`,
			notFound("$.selectionSet.insert_courses.args.objects[1].tutor_id", "tutor_id", "courses_insert_input")},
		{"tutor_id in _set", tutorA, `mutation { update_courses(where: {}, _set: {tutor_id: 18}) { affected_rows } }`,
			notFound("$.selectionSet.update_courses.args._set.tutor_id", "tutor_id", "courses_set_input")},
		{"a token with another tutor's id", identity{name: "tutor A claiming tutor B", role: "tutor", userID: 12, tutorID: 18},
			`mutation { insert_courses_one(object: {title: "Leaked", subject_id: 1, starts_on: "2030-01-01", capacity: 5}) { id } }`,
			checkFailed("$.selectionSet.insert_courses_one.args.object")},
		{"students insert no course", studentA, `mutation { insert_courses_one(object: {title: "Leaked", subject_id: 1, starts_on: "2030-01-01", capacity: 5}) { id } }`,
			notFound("$.selectionSet.insert_courses_one", "insert_courses_one", "mutation_root")},
	})
	s.runSteps(t, []leakStep{
		{"tutor A's course", tutorA, `mutation { insert_courses_one(object: {title: "New A", subject_id: 1, starts_on: "2030-01-01", capacity: 5}) { title tutor_id tutor { id user_id } } }`,
			`{"data":{"insert_courses_one":{"title":"New A","tutor_id":1,"tutor":{"id":1,"user_id":12}}}}`},
		{"tutor B's courses", tutorB, `mutation { insert_courses(objects: [{title: "New B", subject_id: 2, starts_on: "2030-01-01", capacity: 5}, {title: "New B", subject_id: 3, starts_on: "2030-02-01", capacity: 9}]) { affected_rows returning { subject_id tutor_id } } }`,
			`{"data":{"insert_courses":{"affected_rows":2,"returning":[{"subject_id":2,"tutor_id":18},{"subject_id":3,"tutor_id":18}]}}}`},
	})
	// A header beside the token does not choose the preset.
	for _, cred := range []credential{viaHS256, viaJWKS} {
		h := s.headers(t, tutorA, cred)
		h["X-Hasura-Tutor-Id"] = "18"
		h["X-Hasura-User-Id"] = "89"
		body := `{"query":"mutation { insert_courses_one(object: {title: \"Header\", subject_id: 1, starts_on: \"2030-01-01\", capacity: 5}) { tutor_id } }"}`
		if _, got := s.post(t, body, h); compact(t, got) != `{"data":{"insert_courses_one":{"tutor_id":1}}}` {
			t.Errorf("%s: headers chose the preset: %s", cred, got)
		}
	}
	s.runSteps(t, []leakStep{
		{"the new courses", admin, `{ courses(where: {title: {_in: ["New A", "New B", "Header", "Leaked"]}}, order_by: [{title: asc}, {subject_id: asc}]) { title subject_id tutor_id } }`,
			`{"data":{"courses":[{"title":"Header","subject_id":1,"tutor_id":1},{"title":"Header","subject_id":1,"tutor_id":1},{"title":"New A","subject_id":1,"tutor_id":1},{"title":"New B","subject_id":2,"tutor_id":18},{"title":"New B","subject_id":3,"tutor_id":18}]}}`},
	})
}

// TestLeakLectureChecks inserts lectures: into another tutor's course the
// check fails and nothing is written, whether the lecture comes alone,
// beside one of the tutor's own, or in a later field of the same
// mutation.
func TestLeakLectureChecks(t *testing.T) {
	s := newLeakServer(t)
	const lecture = `position: 100, title: "Leaked", scheduled_at: "2030-01-01T10:00:00Z"`
	s.runEveryCredential(t, []leakStep{
		{"another tutor's course", tutorA, `mutation { insert_lectures_one(object: {course_id: 2, ` + lecture + `}) { id } }`,
			checkFailed("$.selectionSet.insert_lectures_one.args.object")},
		{"another tutor's course, in a list", tutorB, `mutation { insert_lectures(objects: [{course_id: 1, ` + lecture + `}]) { affected_rows } }`,
			checkFailed("$.selectionSet.insert_lectures.args.objects")},
		{"beside an own lecture", tutorA, `mutation { insert_lectures(objects: [{course_id: 1, position: 101, title: "Leaked", scheduled_at: "2030-01-01T10:00:00Z"}, {course_id: 2, ` + lecture + `}]) { affected_rows } }`,
			checkFailed("$.selectionSet.insert_lectures.args.objects")},
		{"after an own lecture", tutorA, `mutation { own: insert_lectures_one(object: {course_id: 1, position: 101, title: "Leaked", scheduled_at: "2030-01-01T10:00:00Z"}) { id } other: insert_lectures_one(object: {course_id: 2, ` + lecture + `}) { id } }`,
			checkFailed("$.selectionSet.other.args.object")},
		{"after a bio and a course", tutorB, `mutation { update_tutors_by_pk(pk_columns: {id: 18}, _set: {bio: "Leaked"}) { id } insert_courses_one(object: {title: "Leaked", subject_id: 1, starts_on: "2030-01-01", capacity: 5}) { id } insert_lectures(objects: [{course_id: 1, ` + lecture + `}]) { affected_rows } }`,
			checkFailed("$.selectionSet.insert_lectures.args.objects")},
		{"before a failing update", tutorA, `mutation { insert_lectures_one(object: {course_id: 1, position: 101, title: "Leaked", scheduled_at: "2030-01-01T10:00:00Z"}) { id } update_tutors(where: {}, _set: {hourly_capacity: 41}) { affected_rows } }`,
			checkFailed("$")},
	})
	s.runSteps(t, []leakStep{
		{"an own lecture", tutorA, `mutation { insert_lectures_one(object: {course_id: 1, position: 100, title: "Own", scheduled_at: "2030-01-01T10:00:00Z"}) { course_id position title course { tutor_id } } }`,
			`{"data":{"insert_lectures_one":{"course_id":1,"position":100,"title":"Own","course":{"tutor_id":1}}}}`},
		{"own lectures in two fields", tutorB, `mutation { a: insert_lectures_one(object: {course_id: 2, position: 100, title: "Own", scheduled_at: "2030-01-01T10:00:00Z"}) { course_id } b: insert_lectures(objects: [{course_id: 2, position: 101, title: "Own", scheduled_at: "2030-01-01T10:00:00Z"}]) { affected_rows } }`,
			`{"data":{"a":{"course_id":2},"b":{"affected_rows":1}}}`},
	})
	s.runSteps(t, []leakStep{
		{"nothing leaked", admin, `{ lectures_aggregate(where: {title: {_eq: "Leaked"}}) { aggregate { count } } courses_aggregate(where: {title: {_eq: "Leaked"}}) { aggregate { count } } tutors(where: {bio: {_eq: "Leaked"}}) { id } }`,
			`{"data":{"lectures_aggregate":{"aggregate":{"count":0}},"courses_aggregate":{"aggregate":{"count":0}},"tutors":[]}}`},
		{"own lectures written", admin, `{ lectures(where: {title: {_eq: "Own"}}, order_by: [{course_id: asc}, {position: asc}]) { course_id position } }`,
			`{"data":{"lectures":[{"course_id":1,"position":100},{"course_id":2,"position":100},{"course_id":2,"position":101}]}}`},
		{"capacities unchanged", admin, `{ tutors(where: {id: {_in: [1, 18]}}, order_by: {id: asc}) { id hourly_capacity } }`,
			`{"data":{"tutors":[{"id":1,"hourly_capacity":6},{"id":18,"hourly_capacity":1}]}}`},
	})
}

// TestLeakCapacityCheck updates a tutor's weekly capacity: above 40 hours
// the update check fails and the row is unchanged; up to 40 it is
// written. Another tutor's row is filtered out before any check.
func TestLeakCapacityCheck(t *testing.T) {
	s := newLeakServer(t)
	const tutors = `{ tutors(where: {id: {_in: [1, 18]}}, order_by: {id: asc}) { id hourly_capacity bio } }`
	const seeded = `{"data":{"tutors":[{"id":1,"hourly_capacity":6,"bio":"Physics PhD candidate. Patient, structured, and fond of worked examples."},{"id":18,"hourly_capacity":1,"bio":"Librarian. Tutored at a community centre for years."}]}}`
	s.runSteps(t, []leakStep{{"seeded tutors", admin, tutors, seeded}})
	s.runEveryCredential(t, []leakStep{
		{"above the limit", tutorA, `mutation { update_tutors(where: {}, _set: {hourly_capacity: 41}) { affected_rows } }`, checkFailed("$")},
		{"above the limit by key", tutorB, `mutation { update_tutors_by_pk(pk_columns: {id: 18}, _set: {hourly_capacity: 41, bio: "Leaked"}) { id } }`, checkFailed("$")},
		{"above the limit by increment", tutorA, `mutation { update_tutors(where: {id: {_eq: 1}}, _inc: {hourly_capacity: 100}) { affected_rows } }`, checkFailed("$")},
		{"another tutor's row above the limit", tutorB, `mutation { update_tutors_by_pk(pk_columns: {id: 1}, _set: {hourly_capacity: 41}) { id } }`,
			`{"data":{"update_tutors_by_pk":null}}`},
		{"another tutor's row within the limit", tutorB, `mutation { update_tutors(where: {id: {_eq: 1}}, _set: {hourly_capacity: 40}) { affected_rows } }`,
			`{"data":{"update_tutors":{"affected_rows":0}}}`},
		{"a column outside the update permission", tutorA, `mutation { update_tutors(where: {}, _set: {verified: true}) { affected_rows } }`,
			notFound("$.selectionSet.update_tutors.args._set.verified", "verified", "tutors_set_input")},
	})
	s.runSteps(t, []leakStep{{"tutors unchanged", admin, tutors, seeded}})
	s.runSteps(t, []leakStep{
		{"at the limit", tutorA, `mutation { update_tutors(where: {}, _set: {hourly_capacity: 40}) { affected_rows returning { id hourly_capacity } } }`,
			`{"data":{"update_tutors":{"affected_rows":1,"returning":[{"id":1,"hourly_capacity":40}]}}}`},
		{"within the limit by key", tutorB, `mutation { update_tutors_by_pk(pk_columns: {id: 18}, _set: {hourly_capacity: 12}) { id hourly_capacity } }`,
			`{"data":{"update_tutors_by_pk":{"id":18,"hourly_capacity":12}}}`},
		{"one hour past the limit by increment", tutorA, `mutation { update_tutors(where: {}, _inc: {hourly_capacity: 1}) { affected_rows } }`, checkFailed("$")},
		{"the capacities", admin, `{ tutors(where: {id: {_in: [1, 18]}}, order_by: {id: asc}) { id hourly_capacity } }`,
			`{"data":{"tutors":[{"id":1,"hourly_capacity":40},{"id":18,"hourly_capacity":12}]}}`},
	})
}

// TestLeakEnrolments enrols students in courses: a student enrols only
// themselves and leaves only their own enrolments.
func TestLeakEnrolments(t *testing.T) {
	s := newLeakServer(t)
	s.runEveryCredential(t, []leakStep{
		{"another student", studentA, `mutation { insert_course_participants_one(object: {course_id: 1, student_id: 53}) { course_id } }`,
			checkFailed("$.selectionSet.insert_course_participants_one.args.object")},
		{"themselves and another student", studentB, `mutation { insert_course_participants(objects: [{course_id: 1, student_id: 53}, {course_id: 1, student_id: 1}]) { affected_rows } }`,
			checkFailed("$.selectionSet.insert_course_participants.args.objects")},
		{"themselves, then another student", studentB, `mutation { mine: insert_course_participants_one(object: {course_id: 2, student_id: 53}) { course_id } theirs: insert_course_participants_one(object: {course_id: 2, student_id: 1}) { course_id } }`,
			checkFailed("$.selectionSet.theirs.args.object")},
		{"tutors enrol nobody", tutorA, `mutation { insert_course_participants_one(object: {course_id: 1, student_id: 1}) { course_id } }`,
			notFound("$.selectionSet.insert_course_participants_one", "insert_course_participants_one", "mutation_root")},
		{"another's enrolment by key", studentA, `mutation { delete_course_participants_by_pk(course_id: 37, student_id: 53) { course_id } }`,
			`{"data":{"delete_course_participants_by_pk":null}}`},
		{"enrolments of another's courses", studentB, `mutation { delete_course_participants(where: {course_id: {_in: [69, 116]}}) { affected_rows } }`,
			`{"data":{"delete_course_participants":{"affected_rows":0}}}`},
	})
	s.runSteps(t, []leakStep{
		{"themselves", studentA, `mutation { insert_course_participants_one(object: {course_id: 1, student_id: 1}) { course_id student_id student { user_id } } }`,
			`{"data":{"insert_course_participants_one":{"course_id":1,"student_id":1,"student":{"user_id":1}}}}`},
		{"themselves in two courses", studentB, `mutation { insert_course_participants(objects: [{course_id: 1, student_id: 53}, {course_id: 2, student_id: 53}]) { affected_rows returning { course_id student_id } } }`,
			`{"data":{"insert_course_participants":{"affected_rows":2,"returning":[{"course_id":1,"student_id":53},{"course_id":2,"student_id":53}]}}}`},
		{"another's new enrolment", studentB, `mutation { delete_course_participants_by_pk(course_id: 1, student_id: 1) { course_id } }`,
			`{"data":{"delete_course_participants_by_pk":null}}`},
		{"leaving course 1", studentA, `mutation { delete_course_participants(where: {course_id: {_eq: 1}}) { affected_rows returning { course_id student_id } } }`,
			`{"data":{"delete_course_participants":{"affected_rows":1,"returning":[{"course_id":1,"student_id":1}]}}}`},
		{"leaving course 2 by key", studentB, `mutation { delete_course_participants_by_pk(course_id: 2, student_id: 53) { course_id student_id } }`,
			`{"data":{"delete_course_participants_by_pk":{"course_id":2,"student_id":53}}}`},
	})
	s.runSteps(t, []leakStep{
		{"the enrolments of both", admin, `{ course_participants(where: {student_id: {_in: [1, 53]}}, order_by: [{student_id: asc}, {course_id: asc}]) { course_id student_id } }`,
			`{"data":{"course_participants":[{"course_id":69,"student_id":1},{"course_id":116,"student_id":1},{"course_id":1,"student_id":53},{"course_id":37,"student_id":53},{"course_id":84,"student_id":53}]}}`},
	})
}

// TestLeakOthersRows updates and deletes rows of other people's courses
// and lectures, which a role's filter leaves out: nothing is touched.
func TestLeakOthersRows(t *testing.T) {
	s := newLeakServer(t)
	// Course 2 is tutor B's; lecture 8 is its first lecture.
	const course2 = `{ courses_by_pk(id: 2) { title capacity tutor_id lectures(order_by: {id: asc}, limit: 1) { id title } lectures_aggregate { aggregate { count } } } }`
	seeded := leakStep{"course 2", admin, course2,
		`{"data":{"courses_by_pk":{"title":"Philosophy: Weekend Workshop","capacity":16,"tutor_id":18,"lectures":[{"id":8,"title":"Session 1: Introduction and goals"}],"lectures_aggregate":{"aggregate":{"count":8}}}}}`}
	s.runSteps(t, []leakStep{seeded})
	s.runEveryCredential(t, []leakStep{
		{"another tutor's course", tutorA, `mutation { update_courses(where: {id: {_eq: 2}}, _set: {capacity: 1, title: "Leaked"}) { affected_rows } }`,
			`{"data":{"update_courses":{"affected_rows":0}}}`},
		{"another tutor's course by key", tutorA, `mutation { update_courses_by_pk(pk_columns: {id: 2}, _inc: {capacity: 1}) { id } }`,
			`{"data":{"update_courses_by_pk":null}}`},
		{"another tutor's course deleted by key", tutorA, `mutation { delete_courses_by_pk(id: 2) { id } }`,
			`{"data":{"delete_courses_by_pk":null}}`},
		{"another tutor's lecture by key", tutorA, `mutation { update_lectures_by_pk(pk_columns: {id: 8}, _set: {title: "Leaked"}) { id } }`,
			`{"data":{"update_lectures_by_pk":null}}`},
		{"another tutor's lecture deleted by key", tutorA, `mutation { delete_lectures_by_pk(id: 8) { id } }`,
			`{"data":{"delete_lectures_by_pk":null}}`},
		{"students change no course", studentA, `mutation { update_courses(where: {}, _set: {title: "Leaked"}) { affected_rows } }`,
			notFound("$.selectionSet.update_courses", "update_courses", "mutation_root")},
	})
	s.runSteps(t, []leakStep{seeded})
}
