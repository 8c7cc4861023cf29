package sqlgen_test

import (
	"encoding/json"
	"slices"
	"strings"
	"testing"

	"github.com/trellis-gql/trellis/engine/gql"
	"github.com/trellis-gql/trellis/engine/plan"
	"github.com/trellis-gql/trellis/engine/schema"
	"github.com/trellis-gql/trellis/engine/sqlgen"
	"github.com/trellis-gql/trellis/metadata"
	"github.com/trellis-gql/trellis/permissions"
)

// sessionMetadata is the golden catalog's metadata with a role, user,
// whose permissions read session variables: authors are theirs by id or
// by name, articles through their author, and they update and delete
// only articles they wrote.
const sessionMetadata = `{"version": 3, "sources": [{"name": "default", "kind": "postgres", "tables": [
  {"table": {"schema": "public", "name": "author"},
   "array_relationships": [{"name": "articles", "using": {"foreign_key_constraint_on": {"table": "article", "column": "author_id"}}}],
   "select_permissions": [{"role": "user", "permission": {"columns": ["id", "name"],
     "filter": {"_or": [{"id": {"_eq": "X-Hasura-User-Id"}}, {"name": {"_eq": "x-hasura-name"}}]}, "limit": 10}}]},
  {"table": {"schema": "public", "name": "article"},
   "object_relationships": [{"name": "author", "using": {"foreign_key_constraint_on": "author_id"}}],
   "select_permissions": [{"role": "user", "permission": {"columns": ["id", "title", "author_id", "status"],
     "filter": {"author": {"id": {"_eq": "X-Hasura-User-Id"}}}, "allow_aggregations": true}}],
   "update_permissions": [{"role": "user", "permission": {"columns": ["title"],
     "filter": {"_and": [{"author_id": {"_eq": "X-Hasura-User-Id"}}, {"title": {"_neq": "X-Hasura-Name"}}]}}}],
   "delete_permissions": [{"role": "user", "permission": {"filter": {"author_id": {"_eq": "X-Hasura-User-Id"}}}}]}
 ]}]}`

func sessionSchema(t testing.TB) *schema.Schema {
	t.Helper()
	var md metadata.Metadata
	if err := json.Unmarshal([]byte(sessionMetadata), &md); err != nil {
		t.Fatal(err)
	}
	cat := testCatalog()
	for _, tb := range cat.Tables {
		tb.Insertable, tb.Updatable, tb.Deletable = true, true, true
	}
	m := metadata.Resolve(&md, cat)
	if len(m.Inconsistencies) > 0 {
		t.Fatalf("inconsistent test metadata: %+v", m.Inconsistencies)
	}
	sc, err := schema.Build(m, permissions.Compile(m).Role("user"), "")
	if err != nil {
		t.Fatal(err)
	}
	return sc
}

// sessionQueries are read and written with a filter value: inline in the
// text ($F, a GraphQL string literal) or as the variable $f.
var sessionQueries = []string{
	`{ author(where: {name: {_eq: $F}}, order_by: {articles_aggregate: {count: desc}}) { id name articles(where: {title: {_like: $F}}) { title } } }`,
	`query ($f: String!) { author(where: {_or: [{name: {_ilike: $f}}, {articles: {title: {_eq: $f}}}]}) { id } article_aggregate(where: {title: {_nlike: $f}}) { aggregate { count } } }`,
	`query ($f: String!) { article(where: {author: {name: {_in: [$f, "x"]}}}, order_by: [{title: asc}, {author: {name: asc}}], distinct_on: [title]) { id author { name } } article_by_pk(id: 1) { title } }`,
	`{ author(where: {articles_aggregate: {count: {predicate: {_gt: 0}, filter: {title: {_eq: $F}}}}}) { id } }`,
	`mutation ($f: String!) { update_article(where: {title: {_eq: $f}}, _set: {title: $f}) { affected_rows returning { id author { name } } } }`,
	`mutation { delete_article(where: {title: {_similar: $F}}) { affected_rows } delete_article_by_pk(id: 1) { id } }`,
}

// compiled is the SQL text and the arguments of every statement of an
// operation, in order.
type compiled struct {
	sql  []string
	args [][]any
}

// compileAs plans query (with $F replaced by filter as a literal and $f
// bound to it) for the role user with the given session variables.
func compileAs(t *testing.T, sc *schema.Schema, query, filter string, session map[string]string) (*compiled, bool) {
	t.Helper()
	lit, err := json.Marshal(filter) // a JSON string is a GraphQL string
	if err != nil {
		return nil, false
	}
	doc, err := gql.Parse(strings.ReplaceAll(query, "$F", string(lit)))
	if err != nil {
		t.Fatalf("query %s with %q: %v", query, filter, err)
	}
	vars := plan.Variables{}
	if strings.Contains(query, "$f") {
		vars["f"] = filter
	}
	op, err := plan.Plan(sc, plan.Request{Document: doc, Variables: vars})
	if err != nil {
		t.Fatalf("planning %s with %q: %v", query, filter, err)
	}
	sess, err := json.Marshal(session)
	if err != nil {
		t.Fatal(err)
	}
	opts := sqlgen.Options{Session: string(sess)}
	out := &compiled{}
	add := func(st *sqlgen.Statement) {
		if st != nil {
			out.sql = append(out.sql, st.SQL)
			out.args = append(out.args, st.Args)
		}
	}
	add(sqlgen.Query(op, opts))
	for _, f := range op.Fields {
		if f.Kind == plan.RootMutation {
			for _, step := range sqlgen.Mutation(f.Mutation, opts).Steps {
				add(step.Statement)
				add(step.Output)
			}
		}
	}
	return out, true
}

// FuzzSessionValues feeds arbitrary session variable values and filter
// values through the planner and SQL generator for a role whose
// permissions read session variables: the SQL text is the same whatever
// the values (they travel only as $n arguments), the session reaches the
// statement whole as its session argument, and the filter value is an
// argument.
func FuzzSessionValues(f *testing.F) {
	for _, s := range [][3]string{
		{"1", "Ann", "a%"},
		{"1 OR 1=1", "x'); DROP TABLE author; --", `"; SELECT 1; --`},
		{"$1", "$2::text", "$$ $$"},
		{"", "", ""},
		{`\u0000`, "\x00", "'[]'"},
		{"42", `X-Hasura-User-Id`, "x-hasura-name"},
		{"\"author\"", "\"article\"", "\"public\".\"author\""},
		{"日本", "\xff\xfe", "%_\\"},
	} {
		f.Add(s[0], s[1], s[2])
	}
	sc := sessionSchema(f)
	f.Fuzz(func(t *testing.T, userID, name, filter string) {
		session := map[string]string{"x-hasura-role": "user", "x-hasura-user-id": userID, "x-hasura-name": name}
		wantSession, _ := json.Marshal(session)
		for _, q := range sessionQueries {
			ref, _ := compileAs(t, sc, q, "reference", map[string]string{"x-hasura-role": "user", "x-hasura-user-id": "7", "x-hasura-name": "ref"})
			got, ok := compileAs(t, sc, q, filter, session)
			if !ok {
				continue
			}
			if !slices.Equal(got.sql, ref.sql) {
				t.Fatalf("the SQL text depends on the values (user id %q, name %q, filter %q):\n%s\nreference:\n%s",
					userID, name, filter, strings.Join(got.sql, "\n"), strings.Join(ref.sql, "\n"))
			}
			for _, v := range []string{userID, name, filter} {
				if len(v) >= 4 && !containsRef(ref.sql, v) && containsRef(got.sql, v) {
					t.Fatalf("value %q in the SQL text:\n%s", v, strings.Join(got.sql, "\n"))
				}
			}
			sawSession, sawFilter := false, false
			for _, args := range got.args {
				for _, a := range args {
					switch a := a.(type) {
					case string:
						sawSession = sawSession || a == string(wantSession)
						sawFilter = sawFilter || a == filter
					case []string:
						sawFilter = sawFilter || slices.Contains(a, filter)
					}
				}
			}
			if !sawSession {
				t.Fatalf("%s: no argument holds the session %s: %#v", q, wantSession, got.args)
			}
			if !sawFilter && validUTF8(filter) {
				t.Fatalf("%s: no argument holds the filter %q: %#v", q, filter, got.args)
			}
		}
	})
}

func containsRef(sqls []string, v string) bool {
	for _, s := range sqls {
		if strings.Contains(s, v) {
			return true
		}
	}
	return false
}

// validUTF8 reports whether s survives JSON unchanged (invalid bytes
// become U+FFFD on the way in, so the argument holds that instead).
func validUTF8(s string) bool { return strings.ToValidUTF8(s, "\uFFFD") == s }
