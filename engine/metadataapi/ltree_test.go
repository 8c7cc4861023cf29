package metadataapi_test

import (
	"testing"

	"github.com/trellis-gql/trellis/engine/pgtest"
)

// ltree columns through /v1/graphql: the operators of ltree_comparison_exp
// on the tree of Hasura's boolexp/ltree tests, the label-path check Hasura
// makes before Postgres sees a value, and the graphql-default spelling.

const ltreeSchema = `{"type":"run_sql","args":{"sql":"` +
	`CREATE EXTENSION IF NOT EXISTS ltree; ` +
	`CREATE TABLE tree (path ltree); ` +
	`INSERT INTO tree VALUES ('Tree'), ('Tree.Science'), ('Tree.Science.Astronomy'), ('Tree.Science.Astronomy.Astrophysics'), ` +
	`('Tree.Science.Astronomy.Cosmology'), ('Tree.Hobbies'), ('Tree.Hobbies.Amateurs_Astronomy'), ('Tree.Collections'), ` +
	`('Tree.Collections.Pictures'), ('Tree.Collections.Pictures.Astronomy'), ('Tree.Collections.Pictures.Astronomy.Stars'), ` +
	`('Tree.Collections.Pictures.Astronomy.Galaxies'), ('Tree.Collections.Pictures.Astronomy.Astronauts')"}}`

const ltreeMessage = `Expecting label path: a sequence of zero or more labels separated by dots, for example L1.L2.L3`

func ltreeError(path string) string {
	return `{"errors":[{"extensions":{"path":"$.selectionSet.tree.args.where.path.` + path + `","code":"parse-failed"},"message":"` + ltreeMessage + `"}]}`
}

func TestLtreeOperators(t *testing.T) {
	e := startEngine(t, pgtest.NewDatabase(t))
	e.must(t, "/v2/query", ltreeSchema, rqCmdOk)
	e.must(t, "/v1/metadata", `{"type":"pg_track_table","args":{"table":"tree"}}`, rqSuccess)
	rqRun(t, e, []rqCase{
		gqlCase("_ancestor", `query { tree (where: {path: {_ancestor: "Tree.Collections.Pictures.Astronomy.Astronauts"}}) { path } }`,
			`{"data":{"tree":[{"path":"Tree"},{"path":"Tree.Collections"},{"path":"Tree.Collections.Pictures"},{"path":"Tree.Collections.Pictures.Astronomy"},{"path":"Tree.Collections.Pictures.Astronomy.Astronauts"}]}}`),
		gqlCase("_ancestor of an invalid path", `query { tree (where: {path: {_ancestor: "Tree.Collections.Pictures.Astronomy.Astronauts."}}) { path } }`,
			ltreeError("_ancestor")),
		gqlCase("_ancestor_any", `query { tree (where: {path: {_ancestor_any: ["Tree.Collections.Pictures", "Tree.Hobbies"]}}) { path } }`,
			`{"data":{"tree":[{"path":"Tree"},{"path":"Tree.Hobbies"},{"path":"Tree.Collections"},{"path":"Tree.Collections.Pictures"}]}}`),
		gqlCase("_ancestor_any of an invalid path", `query { tree (where: {path: {_ancestor_any: ["Tree.Collections.Pictures."]}}) { path } }`,
			ltreeError("_ancestor_any[0]")),
		gqlCase("_descendant", `query { tree (where: {path: {_descendant: "Tree.Science"}}) { path } }`,
			`{"data":{"tree":[{"path":"Tree.Science"},{"path":"Tree.Science.Astronomy"},{"path":"Tree.Science.Astronomy.Astrophysics"},{"path":"Tree.Science.Astronomy.Cosmology"}]}}`),
		gqlCase("_descendant_any", `query { tree (where: {path: {_descendant_any: ["Tree.Science.Astronomy", "Tree.Hobbies"]}}) { path } }`,
			`{"data":{"tree":[{"path":"Tree.Science.Astronomy"},{"path":"Tree.Science.Astronomy.Astrophysics"},{"path":"Tree.Science.Astronomy.Cosmology"},{"path":"Tree.Hobbies"},{"path":"Tree.Hobbies.Amateurs_Astronomy"}]}}`),
		gqlCase("_matches", `query { tree (where: {path: {_matches: "*.Astronomy.*"}}) { path } }`,
			`{"data":{"tree":[{"path":"Tree.Science.Astronomy"},{"path":"Tree.Science.Astronomy.Astrophysics"},{"path":"Tree.Science.Astronomy.Cosmology"},{"path":"Tree.Collections.Pictures.Astronomy"},{"path":"Tree.Collections.Pictures.Astronomy.Stars"},{"path":"Tree.Collections.Pictures.Astronomy.Galaxies"},{"path":"Tree.Collections.Pictures.Astronomy.Astronauts"}]}}`),
		gqlCase("_matches_any", `query { tree (where: {path: {_matches_any: ["*.Pictures.*", "*.Hobbies.*"]}}) { path } }`,
			`{"data":{"tree":[{"path":"Tree.Hobbies"},{"path":"Tree.Hobbies.Amateurs_Astronomy"},{"path":"Tree.Collections.Pictures"},{"path":"Tree.Collections.Pictures.Astronomy"},{"path":"Tree.Collections.Pictures.Astronomy.Stars"},{"path":"Tree.Collections.Pictures.Astronomy.Galaxies"},{"path":"Tree.Collections.Pictures.Astronomy.Astronauts"}]}}`),
		gqlCase("_matches_fulltext", `query { tree (where: {path: {_matches_fulltext: "Astro*% & !pictures@"}}) { path } }`,
			`{"data":{"tree":[{"path":"Tree.Science.Astronomy"},{"path":"Tree.Science.Astronomy.Astrophysics"},{"path":"Tree.Science.Astronomy.Cosmology"},{"path":"Tree.Hobbies.Amateurs_Astronomy"}]}}`),
		gqlCase("operators together, and with the common ones", `query { tree (where: {path: {_descendant: "Tree.Science", _neq: "Tree.Science", _matches: "*.Cosmology"}}) { path } }`,
			`{"data":{"tree":[{"path":"Tree.Science.Astronomy.Cosmology"}]}}`),
		gqlCase("_eq checks the label path too", `query { tree (where: {path: {_eq: "Tree..Science"}}) { path } }`,
			ltreeError("_eq")),
		gqlCase("the empty path is refused", `query { tree (where: {path: {_descendant: ""}}) { path } }`,
			ltreeError("_descendant")),
		gqlCase("a number is not a label path", `query { tree (where: {path: {_ancestor: 1}}) { path } }`,
			ltreeError("_ancestor")),
		{name: "variables", path: "/v1/graphql",
			body: `{"query":"query ($q: lquery, $t: ltxtquery, $p: [ltree!]) { tree (where: {path: {_matches: $q, _matches_fulltext: $t, _descendant_any: $p}}) { path } }",` +
				`"variables":{"q":"*.Astronomy.*","t":"Astro*","p":["Tree.Collections"]}}`,
			want: `{"data":{"tree":[{"path":"Tree.Collections.Pictures.Astronomy"},{"path":"Tree.Collections.Pictures.Astronomy.Stars"},{"path":"Tree.Collections.Pictures.Astronomy.Galaxies"},{"path":"Tree.Collections.Pictures.Astronomy.Astronauts"}]}}`},
		{name: "an invalid path in a variable", path: "/v1/graphql",
			body: `{"query":"query ($p: [ltree!]) { tree (where: {path: {_ancestor_any: $p}}) { path } }","variables":{"p":["Tree","Tree."]}}`,
			want: ltreeError("_ancestor_any[1]")},
		gqlCase("introspection of ltree_comparison_exp",
			`{ __type(name: "ltree_comparison_exp") { inputFields { name description type { name kind ofType { name ofType { name } } } } } }`,
			`{"data":{"__type":{"inputFields":[`+
				`{"name":"_ancestor","description":"is the left argument an ancestor of right (or equal)?","type":{"name":"ltree","kind":"SCALAR","ofType":null}},`+
				`{"name":"_ancestor_any","description":"does array contain an ancestor of `+"`ltree`"+`?","type":{"name":null,"kind":"LIST","ofType":{"name":null,"ofType":{"name":"ltree"}}}},`+
				`{"name":"_descendant","description":"is the left argument a descendant of right (or equal)?","type":{"name":"ltree","kind":"SCALAR","ofType":null}},`+
				`{"name":"_descendant_any","description":"does array contain a descendant of `+"`ltree`"+`?","type":{"name":null,"kind":"LIST","ofType":{"name":null,"ofType":{"name":"ltree"}}}},`+
				`{"name":"_eq","description":null,"type":{"name":"ltree","kind":"SCALAR","ofType":null}},`+
				`{"name":"_gt","description":null,"type":{"name":"ltree","kind":"SCALAR","ofType":null}},`+
				`{"name":"_gte","description":null,"type":{"name":"ltree","kind":"SCALAR","ofType":null}},`+
				`{"name":"_in","description":null,"type":{"name":null,"kind":"LIST","ofType":{"name":null,"ofType":{"name":"ltree"}}}},`+
				`{"name":"_is_null","description":null,"type":{"name":"Boolean","kind":"SCALAR","ofType":null}},`+
				`{"name":"_lt","description":null,"type":{"name":"ltree","kind":"SCALAR","ofType":null}},`+
				`{"name":"_lte","description":null,"type":{"name":"ltree","kind":"SCALAR","ofType":null}},`+
				`{"name":"_matches","description":"does `+"`ltree` match `lquery`"+`?","type":{"name":"lquery","kind":"SCALAR","ofType":null}},`+
				`{"name":"_matches_any","description":"does `+"`ltree`"+` match any `+"`lquery`"+` in array?","type":{"name":null,"kind":"LIST","ofType":{"name":null,"ofType":{"name":"String"}}}},`+
				`{"name":"_matches_fulltext","description":"does `+"`ltree` match `ltxtquery`"+`?","type":{"name":"ltxtquery","kind":"SCALAR","ofType":null}},`+
				`{"name":"_neq","description":null,"type":{"name":"ltree","kind":"SCALAR","ofType":null}},`+
				`{"name":"_nin","description":null,"type":{"name":null,"kind":"LIST","ofType":{"name":null,"ofType":{"name":"ltree"}}}}]}}}`),
	})

	// Under graphql-default the operators are _camelCase.
	e.must(t, "/v1/metadata", `{"type":"replace_metadata","args":{"version":3,"sources":[{"name":"default","kind":"postgres",`+
		`"customization":{"naming_convention":"graphql-default"},`+rqConfig+`,"tables":[{"table":{"schema":"public","name":"tree"}}]}]}}`, "")
	rqRun(t, e, []rqCase{
		gqlCase("graphql-default spelling", `query { tree (where: {path: {_ancestorAny: ["Tree.Hobbies.Amateurs_Astronomy"], _descendantAny: ["Tree.Hobbies"], _matchesAny: ["*.Hobbies"], _matchesFulltext: "Hobbies"}}) { path } }`,
			`{"data":{"tree":[{"path":"Tree.Hobbies"}]}}`),
		gqlCase("graphql-default error path", `query { tree (where: {path: {_descendantAny: ["Tree", ".Hobbies"]}}) { path } }`,
			ltreeError("_descendantAny[1]")),
	})
}
