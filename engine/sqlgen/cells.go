package sqlgen

import "github.com/trellis-gql/trellis/engine/plan"

// Cell filters (plan.Select.Cells): an inherited role sees a column or
// computed field of a row only in the rows its filter allows, elsewhere
// null, as Hasura's
//
//	CASE WHEN <filter> THEN <value> ELSE NULL END
//
// The filters are keyed by the alias of the rows they apply to; the
// role's own permission expressions (inside a plan.Scope) read the true
// values.

// readCells records that the rows aliased a are the select's, whose
// cells are filtered.
func (g *gen) readCells(a string, cells map[string]plan.BoolExp) {
	if len(cells) == 0 {
		return
	}
	if g.cells == nil {
		g.cells = map[string]map[string]plan.BoolExp{}
	}
	g.cells[a] = cells
}

// cell returns expr, the value of the column or computed field named
// field of the row aliased a, null where the role may not see it.
func (g *gen) cell(a, field, expr string) string {
	f := g.cells[a][field]
	if f == nil || g.scope != "" {
		return expr
	}
	cond := g.capture(func() { g.boolExp(f, a) })
	return "CASE WHEN " + cond + " THEN " + expr + " ELSE NULL END"
}

// cellColumn is cell for a column.
func (g *gen) cellColumn(a, column string) string {
	return g.cell(a, column, a+"."+Ident(column))
}

// cellCall is cell for a call of a computed field on the row aliased a.
func (g *gen) cellCall(c *plan.FunctionCall, a string) string {
	return g.cell(a, c.Field, g.capture(func() { g.call(c, a) }))
}
