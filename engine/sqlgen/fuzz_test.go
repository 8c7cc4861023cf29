package sqlgen_test

import (
	"regexp"
	"strconv"
	"testing"

	"github.com/trellis-gql/trellis/engine/gql"
	"github.com/trellis-gql/trellis/engine/plan"
	"github.com/trellis-gql/trellis/engine/sqlgen"
)

var (
	quotedIdent   = regexp.MustCompile(`"(?:[^"]|"")*"`)
	quotedLiteral = regexp.MustCompile(`'(?:[^']|'')*'`)
)

// FuzzCompile feeds arbitrary GraphQL text and variables through parse,
// plan and SQL generation: nothing may panic, and the SQL text may hold no
// literal but '[]' and no identifier the catalog does not have, so that no
// user input ever reaches SQL text.
func FuzzCompile(f *testing.F) {
	seeds := []struct{ query, vars string }{
		{`{ author(where: {name: {_eq: "x'); drop table author; --"}}) { id name } }`, ``},
		{`query ($n: String) { author(where: {name: {_like: $n}}, limit: 3) { id articles { title } } }`, `{"n": "a\"b"}`},
		{`{ article_aggregate { aggregate { count(columns: [id], distinct: true) sum { id } } nodes { author { name } } } }`, ``},
		{`query ($w: article_bool_exp) { article(where: $w) { id } }`, `{"w": {"_or": [{"title": {"_in": ["a", "b"]}}, {"author": {"name": {"_is_null": true}}}]}}`},
		{`{ shop_edition_by_pk(article_id: 1, lang: "\"; --") { printed } }`, ``},
		{`{ a: author { b: id } ... on query_root { __typename } }`, ``},
		{`query ($o: [author_order_by!]) { author(order_by: $o, distinct_on: [name]) { id } }`, `{"o": [{"articles_aggregate": {"max": {"title": "asc"}, "count": "desc"}}, {"initial": "asc"}, {"drafts_aggregate": {"sum": {"id": "desc"}}}]}`},
		{`{ author(where: {initial: {_eq: "'"}, drafts: {title: {_ilike: "%"}}}) { id } }`, ``},
	}
	for _, s := range seeds {
		f.Add(s.query, s.vars)
	}
	sc := testSchema(f)
	allowed := map[string]bool{}
	for _, tb := range testCatalog().Tables {
		allowed[tb.Name.Schema], allowed[tb.Name.Name] = true, true
		for _, c := range tb.Columns {
			allowed[c.Name] = true
		}
	}
	for _, ty := range testCatalog().Types {
		allowed[ty.Schema], allowed[ty.Name] = true, true
	}
	for name, fns := range testCatalog().Functions {
		allowed[name.Schema], allowed[name.Name] = true, true
		for _, fn := range fns {
			for _, a := range fn.Args {
				allowed[a.Name] = true // named notation: "arg" => value
			}
		}
	}
	f.Fuzz(func(t *testing.T, query, vars string) {
		doc, err := gql.Parse(query)
		if err != nil {
			return
		}
		v, err := plan.DecodeVariables([]byte(vars))
		if err != nil {
			return
		}
		op, err := plan.Plan(sc, plan.Request{Document: doc, Variables: v})
		if err != nil {
			return
		}
		st := sqlgen.Query(op, sqlgen.Options{})
		if st == nil {
			return
		}
		for _, lit := range quotedLiteral.FindAllString(st.SQL, -1) {
			if lit != "'[]'" {
				t.Fatalf("literal %s in SQL text:\n%s", lit, st.SQL)
			}
		}
		for _, id := range quotedIdent.FindAllString(st.SQL, -1) {
			name, _ := strconv.Unquote(id)
			if _, err := strconv.Atoi(name); err == nil {
				continue // root field column aliases "0", "1", …
			}
			if !allowed[name] {
				t.Fatalf("identifier %s is not from the catalog:\n%s", id, st.SQL)
			}
		}
	})
}
