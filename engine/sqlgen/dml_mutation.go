package sqlgen

import (
	"github.com/trellis-gql/trellis/engine/plan"
)

// dmlCTE is the name of the common table expression that holds the rows a
// data API mutation wrote.
const dmlCTE = "_m"

// dmlMutation writes a data API mutation: the data-modifying statement
// (written by cte, ending in RETURNING *) in a WITH, and a select that
// builds {"affected_rows": n[, "returning": [row, …]]} from its rows.
func (g *gen) dmlMutation(returning []plan.Field, cte func()) *Statement {
	g.write("WITH ", dmlCTE, " AS (")
	cte()
	g.write(" RETURNING *) SELECT ")
	n := 1
	if returning != nil {
		n = 2
	}
	g.jsonObject(n, func(i int) {
		if i == 0 {
			g.write(g.text("affected_rows"), ", (SELECT count(*) FROM ", dmlCTE, ")")
			return
		}
		g.write(g.text("returning"), ", coalesce((SELECT json_agg(")
		g.rowJSON(returning, dmlCTE)
		g.write(") FROM ", dmlCTE, "), '[]')")
	})
	return &Statement{SQL: g.sb.String(), Args: g.args}
}

// dmlWhere writes the condition of an update, delete or count over the row
// aliased a: the boolean expression, or true.
func (g *gen) dmlWhere(where plan.BoolExp, a string) {
	g.rowsCondition(&plan.Rows{Where: where}, a, "")
}
