package metadata

import (
	"testing"

	"github.com/trellis-gql/trellis/engine/catalog"
)

// TestResolveFunctionProblems checks the reasons Resolve gives for tracked
// functions and computed fields that do not fit, in Hasura's words.
func TestResolveFunctionProblems(t *testing.T) {
	cat := testCatalog()
	add := func(f *catalog.Function) {
		f.Volatility = 's'
		cat.Functions[f.Name] = []*catalog.Function{f}
	}
	add(&catalog.Function{Name: qn("public", "labels"), Args: []catalog.FunctionArg{{TypeOID: oidArticleRow}}, ReturnTypeOID: oidAuthorRow, ReturnsSet: true})
	add(&catalog.Function{Name: qn("public", "by_session"), Args: []catalog.FunctionArg{{Name: "s", TypeOID: oidText}}, ReturnTypeOID: oidArticleRow, ReturnsSet: true})
	tests := []struct {
		name, doc, want string
	}{{
		name: "several problems of a computed field",
		doc:  `{"version":3,"sources":[{"name":"default","kind":"postgres","tables":[{"table":"author","computed_fields":[{"name":"x","definition":{"function":"labels","session_argument":"s"}}]}]}]}`,
		want: "Inconsistent object: in table \"author\": in computed field \"x\": the computed field \"x\" cannot be added to table \"author\" for the following reasons:\n" +
			"  • first argument of the function \"labels\" of type \"article\" is not the table to which the computed field is being added\n" +
			"  • \"s\" is not an input argument of the function \"labels\"\n",
	}, {
		name: "a session argument that is not json",
		doc:  `{"version":3,"sources":[{"name":"default","kind":"postgres","tables":[{"table":"article"}],"functions":[{"function":"by_session","configuration":{"session_argument":"s"}}]}]}`,
		want: `Inconsistent object: in function "by_session": the function "by_session" cannot be tracked because given session argument "s" is not of type json`,
	}, {
		name: "a function whose table is not tracked",
		doc:  `{"version":3,"sources":[{"name":"default","kind":"postgres","tables":[],"functions":[{"function":"search_articles"}]}]}`,
		want: `Inconsistent object: in function "search_articles": table "article" is not tracked`,
	}, {
		name: "a table argument that is not an argument",
		doc:  `{"version":3,"sources":[{"name":"default","kind":"postgres","tables":[{"table":"author","computed_fields":[{"name":"full","definition":{"function":"author_full_name","table_argument":"nope"}}]}]}]}`,
		want: `Inconsistent object: in table "author": in computed field "full": the computed field "full" cannot be added to table "author" because "nope" is not an input argument of the function "author_full_name"`,
	}}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			m := Resolve(parseDoc(t, tc.doc), cat)
			if len(m.Inconsistencies) != 1 || m.Inconsistencies[0].Reason != tc.want {
				t.Fatalf("got %+v\nwant reason %s", m.Inconsistencies, tc.want)
			}
			if len(m.Functions) != 0 || (len(m.Tables) > 0 && len(m.Tables[0].ComputedFields) != 0) {
				t.Errorf("the inconsistent object was kept: %+v", m)
			}
		})
	}
}
