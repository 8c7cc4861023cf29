package sqlgen

import (
	"github.com/trellis-gql/trellis/engine/plan"
)

// DMLUpdate compiles a data API update into one statement returning
// {"affected_rows": n[, "returning": […]]}.
func DMLUpdate(u *plan.DMLUpdate) *Statement {
	g := &gen{}
	return g.dmlMutation(u.Returning, func() { g.updateSQL(u) })
}

// updateSQL writes UPDATE … SET … WHERE …, without RETURNING: the data API
// and GraphQL updates share it. It returns the alias of the updated row.
func (g *gen) updateSQL(u *plan.DMLUpdate) string {
	a := g.alias()
	g.write("UPDATE ", Qualified(u.Table.Name), " AS ", a, " SET ")
	for i, s := range u.Set {
		if i > 0 {
			g.write(", ")
		}
		col := Ident(s.Column)
		g.write(col, " = ")
		switch s.Op {
		case plan.DMLSet:
			g.write(g.value(s.Value))
		case plan.DMLInc:
			g.write(a, ".", col, " + ", g.value(s.Value))
		case plan.DMLMul:
			g.write(a, ".", col, " * ", g.value(s.Value))
		case plan.DMLDefault:
			g.write("DEFAULT")
		case plan.DMLAppend:
			g.write(a, ".", col, " || ", g.value(s.Value))
		case plan.DMLPrepend:
			g.write(g.value(s.Value), " || ", a, ".", col)
		case plan.DMLDeleteKey, plan.DMLDeleteElem:
			g.write(a, ".", col, " - ", g.value(s.Value))
		case plan.DMLDeleteAtPath:
			g.write(a, ".", col, " #- ", g.value(s.Value))
		}
	}
	g.write(" WHERE ")
	g.dmlWhere(u.Where, a)
	return a
}
