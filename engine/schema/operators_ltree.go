package schema

import "github.com/trellis-gql/trellis/engine/catalog"

// The ltree operators Hasura gives ltree columns (documented at
// https://hasura.io/docs/latest/queries/postgres/filters/ltree-operators/):
// ancestry against one label path or a list of them, and matching against
// the extension's query types, lquery and ltxtquery.

// Names of the ltree extension's types, as the catalog and the GraphQL
// schema call them.
const (
	ltreeType     = "ltree"
	lqueryType    = "lquery"
	ltxtqueryType = "ltxtquery"
)

// IsLtree reports whether s is the scalar of ltree columns.
func IsLtree(s Scalar) bool { return !s.Array && s.Kind == KindCustom && s.Name == ltreeType }

// ltreeOperators are the operators of ltree_comparison_exp on top of the
// common ones.
func ltreeOperators() []Operator {
	return []Operator{
		{"_ancestor", OperandScalar},
		{"_ancestor_any", OperandList},
		{"_descendant", OperandScalar},
		{"_descendant_any", OperandList},
		{"_matches", OperandQuery},
		{"_matches_any", OperandStringList},
		{"_matches_fulltext", OperandQuery},
	}
}

// ltreeDescriptions are Hasura's descriptions of the ltree operators.
var ltreeDescriptions = map[string]string{
	"_ancestor":         "is the left argument an ancestor of right (or equal)?",
	"_ancestor_any":     "does array contain an ancestor of `ltree`?",
	"_descendant":       "is the left argument a descendant of right (or equal)?",
	"_descendant_any":   "does array contain a descendant of `ltree`?",
	"_matches":          "does `ltree` match `lquery`?",
	"_matches_any":      "does `ltree` match any `lquery` in array?",
	"_matches_fulltext": "does `ltree` match `ltxtquery`?",
}

// LtreeQuery returns the scalar and the Postgres type of the operand of an
// ltree match operator: lquery for _matches and _matches_any, ltxtquery for
// _matches_fulltext. The types live in the schema the extension was
// installed in, which is the ltree column type's.
func LtreeQuery(op string, column *catalog.Type) (Scalar, *catalog.Type) {
	name := lqueryType
	if op == "_matches_fulltext" {
		name = ltxtqueryType
	}
	sch := "public"
	if column != nil {
		sch = column.Schema
	}
	return Scalar{Name: name, Kind: KindCustom}, &catalog.Type{Schema: sch, Name: name}
}
