package sqlgen

import (
	"github.com/trellis-gql/trellis/engine/plan"
)

// DMLUpdate compiles a data API update into one statement returning
// {"affected_rows": n[, "returning": […]]}.
func DMLUpdate(u *plan.DMLUpdate) *Statement {
	g := &gen{}
	a := g.alias()
	return g.dmlMutation(u.Returning, func() {
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
			}
		}
		g.write(" WHERE ")
		g.dmlWhere(u.Where, a)
	})
}
