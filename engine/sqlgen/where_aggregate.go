package sqlgen

import "github.com/trellis-gql/trellis/engine/plan"

// aggregatePredicate writes an aggregate predicate as a scalar subquery:
// the aggregate of the related rows, computed in a one-row derived table
// whose column the predicate compares.
//
//	(SELECT <predicate on _2."aggregate"> FROM
//	  (SELECT count(*) AS "aggregate" FROM t AS _1 WHERE <join> AND <filter>) AS _2)
func (g *gen) aggregatePredicate(e plan.AggregatePredicate, a string) {
	rows, agg := g.alias(), g.alias()
	g.write("(SELECT ")
	g.boolExp(e.Predicate, agg)
	g.write(" FROM (SELECT ")
	switch e.Func {
	case "count":
		g.count(plan.AggField{Columns: e.Columns, Distinct: e.Distinct}, rows)
	default: // bool_and, bool_or over one column
		g.write(e.Func, "(")
		if e.Distinct {
			g.write("DISTINCT ")
		}
		g.write(rows, ".", Ident(e.Columns[0]), ")")
	}
	g.write(" AS ", Ident(plan.AggregateColumn), " FROM ", Qualified(e.Table.Name), " AS ", rows, " WHERE ")
	g.rowsCondition(&plan.Rows{Join: e.Join, Where: e.Filter}, rows, a)
	g.write(") AS ", agg, ")")
}
