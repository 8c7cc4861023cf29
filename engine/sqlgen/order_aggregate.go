package sqlgen

import (
	"strings"

	"github.com/trellis-gql/trellis/engine/plan"
)

// orderTerm writes the value an order item sorts by on the row aliased a:
// a column, a scalar computed field, or an aggregate of related rows.
func (g *gen) orderTerm(o plan.OrderItem, a string) {
	switch {
	case o.Call != nil:
		g.write(g.cellCall(o.Call, a))
	case o.Aggregate != nil:
		g.orderAggregate(o.Aggregate, a)
	default:
		g.write(g.cellColumn(a, o.Column))
	}
}

// orderAggregate writes an aggregate of the rows related to the row aliased
// a as a correlated scalar subquery; count is 0 and the others NULL when
// there are no such rows, as in Hasura's outer join:
//
//	(SELECT max(_1."created_at") FROM "public"."article" AS _1 WHERE _1."author_id" = _0."id")
func (g *gen) orderAggregate(agg *plan.OrderAggregate, a string) {
	rows := g.alias()
	g.write("(SELECT ")
	if agg.Op == "count" {
		g.write("count(*)")
	} else {
		g.write(aggFuncs[agg.Op], "(", rows, ".", Ident(agg.Column), ")")
	}
	g.write(" FROM ")
	g.source(&plan.Select{Table: agg.Table, Function: agg.Function}, a)
	g.write(" AS ", rows, " WHERE ")
	g.rowsCondition(&plan.Rows{Join: agg.Join, Where: agg.Where}, rows, a)
	g.write(")")
}

// capture returns the SQL text fn writes instead of appending it; the
// arguments fn binds stay bound.
func (g *gen) capture(fn func()) string {
	saved := g.sb
	g.sb = strings.Builder{}
	fn()
	out := g.sb.String()
	g.sb = saved
	return out
}
