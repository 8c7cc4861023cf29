package schema

import "sort"

// operatorsFor lists the comparison operators of a scalar, by name order
// (the order introspection shows them in).
func operatorsFor(s Scalar) []Operator {
	ops := []Operator{
		{"_eq", OperandScalar},
		{"_in", OperandList},
		{"_is_null", OperandBoolean},
		{"_neq", OperandScalar},
		{"_nin", OperandList},
	}
	if s.Kind == KindJSON && s.Name == "json" {
		// json has no equality operator in Postgres.
		return []Operator{{"_is_null", OperandBoolean}}
	}
	if s.Comparable {
		ops = append(ops,
			Operator{"_gt", OperandScalar},
			Operator{"_gte", OperandScalar},
			Operator{"_lt", OperandScalar},
			Operator{"_lte", OperandScalar},
		)
	}
	if s.Textual {
		shape := OperandScalar
		for _, name := range []string{"_like", "_nlike", "_ilike", "_nilike", "_similar", "_nsimilar", "_regex", "_nregex", "_iregex", "_niregex"} {
			ops = append(ops, Operator{name, shape})
		}
	}
	ops = append(ops, extraOperators(s)...)
	sort.Slice(ops, func(i, j int) bool { return ops[i].Name < ops[j].Name })
	return ops
}
