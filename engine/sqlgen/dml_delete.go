package sqlgen

import (
	"github.com/trellis-gql/trellis/engine/plan"
)

// DMLDelete compiles a data API delete into one statement returning
// {"affected_rows": n[, "returning": […]]}.
func DMLDelete(d *plan.DMLDelete) *Statement {
	g := &gen{}
	return g.dmlMutation(d.Returning, func() { g.deleteSQL(d) })
}

// deleteSQL writes DELETE … WHERE …, without RETURNING.
func (g *gen) deleteSQL(d *plan.DMLDelete) {
	a := g.alias()
	g.write("DELETE FROM ", Qualified(d.Table.Name), " AS ", a, " WHERE ")
	g.dmlWhere(d.Where, a)
}
