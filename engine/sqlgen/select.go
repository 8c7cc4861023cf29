package sqlgen

import (
	"strconv"

	"github.com/trellis-gql/trellis/engine/catalog"
	"github.com/trellis-gql/trellis/engine/plan"
)

// maxPairs is how many key/value pairs one json_build_object call takes
// (Postgres allows 100 arguments).
const maxPairs = 50

// selectJSON writes a parenthesized expression giving a select's JSON.
// outer is the alias of the enclosing row for a relationship, "" at the root.
func (g *gen) selectJSON(s *plan.Select, outer string) {
	a := g.alias()
	g.readCells(a, s.Cells)
	switch s.Shape {
	case plan.ShapeObject:
		g.write("(SELECT ")
		g.rowJSON(s.Fields, a)
		g.write(" FROM ")
		g.source(s, outer)
		g.write(" AS ", a, " WHERE ")
		g.rowsCondition(&s.From, a, outer)
		g.write(" LIMIT 1)")
	case plan.ShapeArray:
		g.write("(SELECT coalesce(json_agg(")
		g.rowJSON(s.Fields, a)
		g.orderBy(s.From.OrderBy, a)
		g.write("), '[]') FROM ")
		g.rows(s, a, outer)
		g.write(")")
	case plan.ShapeAggregate:
		// The aggregates see every row; a cap bounds only the nodes, which
		// then read the rows again (nodesJSON).
		all := *s
		all.From.Cap = 0
		g.write("(SELECT ")
		g.aggregateJSON(s.Aggregate, aggregateRows{sel: s, alias: a, outer: outer})
		g.write(" FROM ")
		g.rows(&all, a, outer)
		g.write(")")
	}
}

// streamCursor writes the value a streaming select's cursor takes after
// its rows: the cursor column of the last row, as text.
func (g *gen) streamCursor(s *plan.Select) {
	a := g.alias()
	g.write("(SELECT ", a, ".", Ident(s.Stream.Column), "::text FROM ")
	g.rows(s, a, "")
	g.write(" ORDER BY ", a, ".", Ident(s.Stream.Column))
	if s.Stream.Desc {
		g.write(" ASC")
	} else {
		g.write(" DESC")
	}
	g.write(" LIMIT 1)")
}

// rows writes a derived table of the rows a select reads, aliased a.
func (g *gen) rows(s *plan.Select, a, outer string) {
	inner := a + "_t"
	g.readCells(a, s.Cells)
	g.readCells(inner, s.Cells)
	g.write("(SELECT ")
	if len(s.From.DistinctOn) > 0 {
		g.write("DISTINCT ON (")
		for i, c := range s.From.DistinctOn {
			if i > 0 {
				g.write(", ")
			}
			g.write(inner, ".", Ident(c))
		}
		g.write(") ")
	}
	g.write("* FROM ")
	g.source(s, outer)
	g.write(" AS ", inner, " WHERE ")
	g.rowsCondition(&s.From, inner, outer)
	if len(s.From.OrderBy) > 0 {
		g.write(" ORDER BY ")
		g.orderItems(s.From.OrderBy, inner)
	}
	g.limit(&s.From)
	if s.From.Offset != nil {
		g.write(" OFFSET ", g.bindValue(*s.From.Offset), "::bigint")
	}
	g.write(") AS ", a)
}

// limit writes the LIMIT clause: the client's limit, at most the role's
// cap.
func (g *gen) limit(r *plan.Rows) {
	switch {
	case r.Cap > 0 && r.Limit != nil:
		g.write(" LIMIT least(", g.bindValue(*r.Limit), "::integer, ", g.bind(strconv.Itoa(r.Cap)), "::integer)")
	case r.Cap > 0:
		g.write(" LIMIT ", g.bind(strconv.Itoa(r.Cap)), "::integer")
	case r.Limit != nil:
		g.write(" LIMIT ", g.bindValue(*r.Limit), "::integer")
	}
}

// rowsCondition writes the join to the outer row and the where clause.
func (g *gen) rowsCondition(r *plan.Rows, a, outer string) {
	wrote := false
	for _, j := range r.Join {
		if wrote {
			g.write(" AND ")
		}
		g.write(a, ".", Ident(j.Inner), " = ", outer, ".", Ident(j.Outer))
		wrote = true
	}
	if r.Where != nil {
		if wrote {
			g.write(" AND ")
		}
		g.boolExp(r.Where, a)
		wrote = true
	}
	if !wrote {
		g.write("true")
	}
}

func (g *gen) orderBy(items []plan.OrderItem, a string) {
	if len(items) == 0 {
		return
	}
	g.write(" ORDER BY ")
	g.orderItems(items, a)
}

func (g *gen) orderItems(items []plan.OrderItem, a string) {
	for i, o := range items {
		if i > 0 {
			g.write(", ")
		}
		g.orderExpr(o, a)
		if o.Desc {
			g.write(" DESC")
		} else {
			g.write(" ASC")
		}
		if o.NullsFirst {
			g.write(" NULLS FIRST")
		} else {
			g.write(" NULLS LAST")
		}
	}
}

// orderExpr writes the value an item sorts by (see orderTerm) on the row
// aliased a, or on the row reached from it through object relationships (a
// scalar subquery per hop).
func (g *gen) orderExpr(o plan.OrderItem, a string) { g.orderPath(o.Path, o, a) }

func (g *gen) orderPath(path []plan.Hop, o plan.OrderItem, a string) {
	if len(path) == 0 {
		g.orderTerm(o, a)
		return
	}
	hop, inner := path[0], g.alias()
	g.write("(SELECT ")
	g.orderPath(path[1:], o, inner)
	g.write(" FROM ", Qualified(hop.Table.Name), " AS ", inner, " WHERE ")
	g.rowsCondition(&plan.Rows{Join: hop.Join, Where: hop.Where}, inner, a)
	g.write(" LIMIT 1)")
}

// rowJSON writes a json object of a row's fields, aliased a.
func (g *gen) rowJSON(fields []plan.Field, a string) {
	g.jsonObject(len(fields), func(i int) {
		f := fields[i]
		g.write(g.text(f.Alias), ", ")
		switch f.Kind {
		case plan.FieldColumn:
			col := g.cellColumn(a, f.Column)
			if len(f.JSONPath) > 0 {
				g.write("(", col, " #> ", g.bind(f.JSONPath), "::text[])")
				break
			}
			if f.Upper {
				g.write("upper(", col, ")")
				break
			}
			g.writeValue(col, f.Type)
		case plan.FieldTypename:
			g.write(g.text(f.Text))
		case plan.FieldSelect:
			g.selectJSON(f.Select, a)
		case plan.FieldComputed:
			g.computed(f, a)
		}
	})
}

// jsonObject writes json_build_object over n pairs, each written by pair.
// Past maxPairs (Postgres takes 100 arguments) the object is built in
// chunks whose texts are spliced: json has no concatenation operator and
// jsonb would reorder the keys. Each chunk is written once.
func (g *gen) jsonObject(n int, pair func(i int)) {
	chunk := func(start, end int) {
		g.write("json_build_object(")
		for i := start; i < end; i++ {
			if i > start {
				g.write(", ")
			}
			pair(i)
		}
		g.write(")")
	}
	if n <= maxPairs {
		chunk(0, n)
		return
	}
	g.write("(")
	for start := 0; start < n; start += maxPairs {
		end := min(start+maxPairs, n)
		first, last := start == 0, end == n
		if !first {
			g.write(" || ', ' || ")
		}
		switch {
		case first:
			g.write("left(")
		case last:
			g.write("substr(")
		default:
			g.write("substr(left(")
		}
		chunk(start, end)
		switch {
		case first:
			g.write("::text, -1)")
		case last:
			g.write("::text, 2)")
		default:
			g.write("::text, -1), 2)")
		}
	}
	g.write(")::json")
}

// writeValue writes an expression of type t, as text when numbers of that
// type are stringified.
func (g *gen) writeValue(expr string, t *catalog.Type) {
	if spatial(t) {
		// Hasura's GeoJSON: 15 decimal digits, the long CRS name (option 4).
		g.write("ST_AsGeoJSON(", expr, ", 15, 4)::json")
		return
	}
	if g.stringify && stringified(t) {
		g.write("(", expr, ")::text")
		return
	}
	g.write(expr)
}

// stringified reports whether values of t are written as strings under
// Options.StringifyNumeric: bigint, numeric and double precision.
func stringified(t *catalog.Type) bool {
	if t == nil || t.Schema != "pg_catalog" {
		return false
	}
	switch t.Name {
	case "int8", "numeric", "float8":
		return true
	}
	return false
}
