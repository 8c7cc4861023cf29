package sqlgen

import (
	"github.com/trellis-gql/trellis/engine/plan"
)

// aggFuncs maps Hasura's aggregate operators to SQL functions.
var aggFuncs = map[string]string{
	"avg":         "avg",
	"max":         "max",
	"min":         "min",
	"stddev":      "stddev",
	"stddev_pop":  "stddev_pop",
	"stddev_samp": "stddev_samp",
	"sum":         "sum",
	"var_pop":     "var_pop",
	"var_samp":    "var_samp",
	"variance":    "variance",
}

// aggregateRows are the rows an aggregate selection reads: those of sel,
// aliased alias, inside the row aliased outer (for a relationship).
type aggregateRows struct {
	sel          *plan.Select
	alias, outer string
}

// aggregateJSON writes the json object of an aggregate selection over
// rows; nodes keep the select's order.
func (g *gen) aggregateJSON(fields []plan.AggField, rows aggregateRows) {
	a := rows.alias
	g.jsonObject(len(fields), func(i int) {
		f := fields[i]
		g.write(g.text(f.Alias), ", ")
		switch f.Kind {
		case plan.AggTypename:
			g.write(g.text(f.Text))
		case plan.AggObject:
			g.aggregateJSON(f.Children, rows)
		case plan.AggCount:
			g.count(f, a)
		case plan.AggColumn:
			g.aggColumn(f, a)
		case plan.AggNodes:
			g.nodesJSON(f.Nodes, rows)
		}
	})
}

// nodesJSON writes the nodes of an aggregate selection. Under the role's
// cap they are a subquery that reads the rows again, capped, as Hasura
// does; otherwise they aggregate the rows the aggregates read.
func (g *gen) nodesJSON(nodes []plan.Field, rows aggregateRows) {
	order := rows.sel.From.OrderBy
	if rows.sel.From.Cap == 0 {
		g.write("coalesce(json_agg(")
		g.rowJSON(nodes, rows.alias)
		g.orderBy(order, rows.alias)
		g.write("), '[]')")
		return
	}
	n := g.alias()
	g.readCells(n, rows.sel.Cells)
	g.write("(SELECT coalesce(json_agg(")
	g.rowJSON(nodes, n)
	g.orderBy(order, n)
	g.write("), '[]') FROM ")
	g.rows(rows.sel, n, rows.outer)
	g.write(")")
}

func (g *gen) count(f plan.AggField, a string) {
	g.write("count(")
	if f.Distinct && len(f.Columns) > 0 {
		g.write("DISTINCT ")
	}
	switch len(f.Columns) {
	case 0:
		g.write("*")
	case 1:
		g.write(g.cellColumn(a, f.Columns[0]))
	default:
		// A row counts when all the columns are non-null.
		g.write("CASE WHEN ")
		for i, c := range f.Columns {
			if i > 0 {
				g.write(" AND ")
			}
			g.write(g.cellColumn(a, c), " IS NOT NULL")
		}
		g.write(" THEN ROW(")
		for i, c := range f.Columns {
			if i > 0 {
				g.write(", ")
			}
			g.write(g.cellColumn(a, c))
		}
		g.write(") END")
	}
	g.write(")")
}

// aggColumn writes op(column). sum, max and min keep the column's type;
// the statistics (avg, stddev, variance, …) of a numeric column stay
// numeric, those of any other column are double precision (GraphQL Float),
// as Hasura types them.
func (g *gen) aggColumn(f plan.AggField, a string) {
	expr := aggFuncs[f.Op] + "(" + g.cellColumn(a, f.Column) + ")"
	switch f.Op {
	case "sum", "max", "min":
		g.writeValue(expr, f.Type)
	default:
		if f.Type != nil && f.Type.Schema == "pg_catalog" && f.Type.Name == "numeric" {
			g.writeValue(expr, f.Type)
			return
		}
		g.write(expr, "::float8")
	}
}
