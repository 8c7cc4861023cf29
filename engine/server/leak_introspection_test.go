package server_test

import (
	"encoding/json"
	"slices"
	"sort"
	"strings"
	"testing"
)

// The example's tables, their columns as GraphQL fields, and their
// relationships (name → target table), as in the migration and metadata.
var (
	exampleColumns = map[string][]string{
		"users":               {"id", "name", "email", "role", "profile", "created_at"},
		"students":            {"id", "user_id", "grade", "school", "guardian_email"},
		"tutors":              {"id", "user_id", "bio", "hourly_capacity", "verified", "joined_on"},
		"subjects":            {"id", "name", "category"},
		"tutor_subjects":      {"tutor_id", "subject_id", "level"},
		"matches":             {"id", "student_id", "tutor_id", "subject_id", "status", "started_at", "ended_at", "notes"},
		"courses":             {"id", "title", "subject_id", "tutor_id", "starts_on", "capacity", "price"},
		"lectures":            {"id", "course_id", "position", "title", "scheduled_at", "duration_minutes"},
		"course_participants": {"course_id", "student_id", "joinedAt"},
	}
	exampleRelationships = map[string]map[string]string{
		"users":               {"student": "students", "tutor": "tutors"},
		"students":            {"user": "users", "matches": "matches"},
		"tutors":              {"user": "users", "matches": "matches", "tutor_subjects": "tutor_subjects"},
		"subjects":            {"courses": "courses"},
		"tutor_subjects":      {"subject": "subjects", "tutor": "tutors"},
		"matches":             {"student": "students", "subject": "subjects", "tutor": "tutors"},
		"courses":             {"subject": "subjects", "tutor": "tutors", "lectures": "lectures", "participants": "course_participants"},
		"lectures":            {"course": "courses"},
		"course_participants": {"course": "courses", "student": "students"},
	}
	arrayRelationships = map[string]bool{"students.matches": true, "tutors.matches": true, "tutors.tutor_subjects": true,
		"subjects.courses": true, "courses.lectures": true, "courses.participants": true}
)

// rolePermissions is what the README's "Roles" table and the metadata
// give a role: the columns it reads per table, the tables it may
// aggregate, and the columns it may update per table.
type rolePermissions struct {
	columns   map[string][]string
	aggregate map[string]bool
	update    map[string][]string
	// mutations are the mutation root fields the role has.
	mutations []string
}

var catalogue = map[string][]string{
	"subjects":       {"id", "name", "category"},
	"courses":        {"id", "title", "subject_id", "tutor_id", "starts_on", "capacity", "price"},
	"lectures":       {"id", "course_id", "position", "title", "scheduled_at", "duration_minutes"},
	"tutor_subjects": {"tutor_id", "subject_id", "level"},
}

func withCatalogue(m map[string][]string) map[string][]string {
	for k, v := range catalogue {
		m[k] = v
	}
	return m
}

var examplePermissions = map[string]rolePermissions{
	"student": {
		columns: withCatalogue(map[string][]string{
			"users":               {"id", "name", "email", "profile", "created_at"},
			"students":            {"id", "user_id", "grade", "school", "guardian_email"},
			"matches":             {"id", "student_id", "tutor_id", "subject_id", "status", "started_at", "ended_at"},
			"tutors":              {"id", "user_id", "bio", "verified", "hourly_capacity"},
			"course_participants": {"course_id", "student_id", "joinedAt"},
		}),
		aggregate: map[string]bool{"matches": true, "courses": true, "subjects": true, "tutors": true},
		update:    map[string][]string{"users": {"name", "profile"}, "students": {"school", "guardian_email"}},
		mutations: []string{"delete_course_participants", "delete_course_participants_by_pk", "insert_course_participants", "insert_course_participants_one",
			"update_students", "update_students_by_pk", "update_students_many", "update_users", "update_users_by_pk", "update_users_many"},
	},
	"tutor": {
		columns: withCatalogue(map[string][]string{
			"users":               {"id", "name", "email", "profile", "created_at"},
			"students":            {"id", "user_id", "grade", "school"},
			"matches":             {"id", "student_id", "tutor_id", "subject_id", "status", "started_at", "ended_at", "notes"},
			"tutors":              {"id", "user_id", "bio", "verified", "hourly_capacity", "joined_on"},
			"course_participants": {"course_id", "student_id", "joinedAt"},
		}),
		aggregate: map[string]bool{"course_participants": true, "courses": true, "matches": true, "subjects": true, "tutors": true},
		update: map[string][]string{"courses": {"title", "starts_on", "capacity", "price"}, "lectures": {"position", "title", "scheduled_at", "duration_minutes"},
			"matches": {"status", "ended_at", "notes"}, "tutors": {"bio", "hourly_capacity"}, "users": {"name", "profile"}},
		mutations: []string{"delete_courses", "delete_courses_by_pk", "delete_lectures", "delete_lectures_by_pk", "delete_tutor_subjects", "delete_tutor_subjects_by_pk",
			"insert_courses", "insert_courses_one", "insert_lectures", "insert_lectures_one", "insert_tutor_subjects", "insert_tutor_subjects_one",
			"update_courses", "update_courses_by_pk", "update_courses_many", "update_lectures", "update_lectures_by_pk", "update_lectures_many",
			"update_matches", "update_matches_by_pk", "update_matches_many", "update_tutors", "update_tutors_by_pk", "update_tutors_many",
			"update_users", "update_users_by_pk", "update_users_many"},
	},
	"anonymous": {
		columns: withCatalogue(map[string][]string{"tutors": {"id", "bio", "verified"}}),
	},
}

// introspected is a role's schema as introspection shows it.
type introspected struct {
	Schema struct {
		QueryType    *struct{ Name string } `json:"queryType"`
		MutationType *struct{ Name string } `json:"mutationType"`
		Types        []struct {
			Name   string `json:"name"`
			Fields []struct {
				Name string                  `json:"name"`
				Args []struct{ Name string } `json:"args"`
			} `json:"fields"`
			InputFields []struct{ Name string } `json:"inputFields"`
			EnumValues  []struct{ Name string } `json:"enumValues"`
		} `json:"types"`
	} `json:"__schema"`
}

const schemaQuery = `{ __schema { queryType { name } mutationType { name } types { name ` +
	`fields(includeDeprecated: true) { name args { name } } inputFields { name } enumValues(includeDeprecated: true) { name } } } }`

// members are the names a type lists: fields, input fields or enum values.
func (in *introspected) members() map[string][]string {
	out := map[string][]string{}
	for _, ty := range in.Schema.Types {
		var names []string
		for _, f := range ty.Fields {
			names = append(names, f.Name)
		}
		for _, f := range ty.InputFields {
			names = append(names, f.Name)
		}
		for _, v := range ty.EnumValues {
			names = append(names, v.Name)
		}
		sort.Strings(names)
		out[ty.Name] = names
	}
	return out
}

// TestLeakIntrospection checks each role's schema, as its own JWT sees
// it: the root fields are exactly those its permissions allow, a table's
// types name only the columns it may read and the relationships to
// tables it may read, and no hidden column, table or root field is named
// anywhere.
func TestLeakIntrospection(t *testing.T) {
	s := newLeakServer(t)
	for _, id := range []identity{studentA, tutorA, anonymous} {
		t.Run(id.role, func(t *testing.T) {
			perm := examplePermissions[id.role]
			for _, cred := range credentials(id) {
				body := s.as(t, id, cred, schemaQuery, nil)
				var resp struct{ Data introspected }
				if err := json.Unmarshal([]byte(body), &resp); err != nil || resp.Data.Schema.QueryType == nil {
					t.Fatalf("bad introspection (%v): %.300s", err, body)
				}
				checkSchema(t, id.role, perm, &resp.Data)
			}
			// __type of a hidden type is null.
			for table, typ := range map[string]string{"users": "users", "students": "students_bool_exp",
				"matches": "matches_select_column", "course_participants": "course_participants", "": "user_role"} {
				if _, visible := perm.columns[table]; visible {
					continue
				}
				got := s.as(t, id, credentials(id)[0], `{ __type(name: "`+typ+`") { name } }`, nil)
				if got != `{"data":{"__type":null}}` {
					t.Errorf("__type(name: %q): %s", typ, got)
				}
			}
		})
	}
}

func checkSchema(t *testing.T, role string, perm rolePermissions, in *introspected) {
	t.Helper()
	members := in.members()
	visible := func(table string) bool { _, ok := perm.columns[table]; return ok }

	// The root fields.
	var wantRoot []string
	for table := range perm.columns {
		wantRoot = append(wantRoot, table, table+"_by_pk")
		if perm.aggregate[table] {
			wantRoot = append(wantRoot, table+"_aggregate")
		}
	}
	sort.Strings(wantRoot)
	if got := members["query_root"]; !slices.Equal(got, wantRoot) {
		t.Errorf("%s query_root: %v\nwant %v", role, got, wantRoot)
	}
	if len(perm.mutations) == 0 {
		if in.Schema.MutationType != nil {
			t.Errorf("%s has a mutation root", role)
		}
	} else if got, want := members["mutation_root"], slices.Sorted(slices.Values(perm.mutations)); !slices.Equal(got, want) {
		t.Errorf("%s mutation_root: %v\nwant %v", role, got, want)
	}

	// The types of each table the role reads.
	for table, cols := range perm.columns {
		rels, aggRels := []string{}, []string{}
		for name, target := range exampleRelationships[table] {
			if !visible(target) {
				continue
			}
			rels = append(rels, name)
			if arrayRelationships[table+"."+name] && perm.aggregate[target] {
				aggRels = append(aggRels, name+"_aggregate")
			}
		}
		allowed := func(extra ...[]string) map[string]bool {
			m := map[string]bool{}
			for _, l := range append(extra, cols) {
				for _, n := range l {
					m[n] = true
				}
			}
			return m
		}
		object := allowed(rels, aggRels)
		for _, c := range cols {
			if !slices.Contains(members[table], c) {
				t.Errorf("%s: type %s lacks the column %s", role, table, c)
			}
		}
		for _, f := range members[table] {
			if !object[f] {
				t.Errorf("%s: type %s names %s", role, table, f)
			}
		}
		if got, want := members[table+"_select_column"], slices.Sorted(slices.Values(cols)); !slices.Equal(got, want) {
			t.Errorf("%s: %s_select_column = %v, want %v", role, table, got, want)
		}
		where := allowed(rels, aggRels, []string{"_and", "_or", "_not"})
		for _, f := range members[table+"_bool_exp"] {
			if !where[f] {
				t.Errorf("%s: %s_bool_exp names %s", role, table, f)
			}
		}
		order := allowed(rels, aggRels)
		for _, f := range members[table+"_order_by"] {
			if !order[f] || arrayRelationships[table+"."+f] {
				t.Errorf("%s: %s_order_by names %s", role, table, f)
			}
		}
		for _, suffix := range []string{"_min_fields", "_max_fields", "_avg_fields", "_sum_fields", "_stddev_fields", "_variance_fields", "_min_order_by", "_max_order_by"} {
			for _, f := range members[table+suffix] {
				if !slices.Contains(cols, f) {
					t.Errorf("%s: %s%s names %s", role, table, suffix, f)
				}
			}
		}
		if !perm.aggregate[table] {
			for _, suffix := range []string{"_aggregate", "_aggregate_fields"} {
				if _, ok := members[table+suffix]; ok {
					t.Errorf("%s: type %s%s exists", role, table, suffix)
				}
			}
		}
	}
	for table, cols := range perm.update {
		for _, f := range members[table+"_set_input"] {
			if !slices.Contains(cols, f) {
				t.Errorf("%s: %s_set_input names %s", role, table, f)
			}
		}
	}

	// Nothing hidden is named anywhere: no type of a table the role cannot
	// read, no column it reads in no table.
	seen := map[string]bool{}
	for _, cols := range perm.columns {
		for _, c := range cols {
			seen[c] = true
		}
	}
	for _, l := range perm.update {
		for _, c := range l {
			seen[c] = true
		}
	}
	hiddenNames := map[string]bool{}
	for _, cols := range exampleColumns {
		for _, c := range cols {
			if !seen[c] {
				hiddenNames[c] = true
			}
		}
	}
	for _, ty := range in.Schema.Types {
		for table := range exampleColumns {
			if !visible(table) && (ty.Name == table || strings.HasPrefix(ty.Name, table+"_")) {
				t.Errorf("%s: type %s of the hidden table %s", role, ty.Name, table)
			}
		}
		if ty.Name == "user_role" {
			t.Errorf("%s: type user_role, whose only column is hidden", role)
		}
		names := members[ty.Name]
		for _, f := range ty.Fields {
			for _, a := range f.Args {
				names = append(names, a.Name)
			}
		}
		for _, n := range names {
			if hiddenNames[n] {
				t.Errorf("%s: %s names the hidden column %s", role, ty.Name, n)
			}
		}
	}
}
