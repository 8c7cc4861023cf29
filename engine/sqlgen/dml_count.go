package sqlgen

import (
	"github.com/trellis-gql/trellis/engine/plan"
)

// DMLCount compiles a data API count into one statement returning
// {"count": n}. With Distinct it counts the distinct tuples of those
// columns among the rows. opts.Session is as in DMLSelect.
func DMLCount(c *plan.DMLCount, opts Options) *Statement {
	g := &gen{session: opts.Session}
	a := g.alias()
	g.write("SELECT json_build_object(", g.text("count"), ", count(*)) FROM ")
	if len(c.Distinct) == 0 {
		g.write(Qualified(c.Table.Name), " AS ", a, " WHERE ")
		g.dmlWhere(c.Where, a)
		return &Statement{SQL: g.sb.String(), Args: g.args, SessionArgs: g.sessionArgs}
	}
	g.write("(SELECT DISTINCT ")
	for i, col := range c.Distinct {
		if i > 0 {
			g.write(", ")
		}
		g.write(a, ".", Ident(col))
	}
	g.write(" FROM ", Qualified(c.Table.Name), " AS ", a, " WHERE ")
	g.dmlWhere(c.Where, a)
	g.write(") AS ", g.alias())
	return &Statement{SQL: g.sb.String(), Args: g.args, SessionArgs: g.sessionArgs}
}
