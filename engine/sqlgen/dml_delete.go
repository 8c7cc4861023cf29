package sqlgen

import (
	"github.com/trellis-gql/trellis/engine/plan"
)

// DMLDelete compiles a data API delete into one statement returning
// {"affected_rows": n[, "returning": […]]}.
func DMLDelete(d *plan.DMLDelete) *Statement {
	g := &gen{}
	a := g.alias()
	return g.dmlMutation(d.Returning, func() {
		g.write("DELETE FROM ", Qualified(d.Table.Name), " AS ", a, " WHERE ")
		g.dmlWhere(d.Where, a)
	})
}
