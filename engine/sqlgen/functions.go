package sqlgen

import (
	"github.com/trellis-gql/trellis/engine/plan"
)

// source writes what a select reads rows from: its table, or the call of
// its function. outer is the alias of the enclosing row, which a computed
// field's function takes as its table argument.
func (g *gen) source(s *plan.Select, outer string) {
	if s.Function == nil {
		g.write(Qualified(s.Table.Name))
		return
	}
	g.call(s.Function, outer)
}

// computed writes a scalar computed field of the row aliased a, as text
// when its type is stringified (see writeValue).
func (g *gen) computed(f plan.Field, a string) {
	expr := g.cellCall(f.Call, a)
	if g.stringify && stringified(f.Type) {
		g.write("(", expr, ")::text")
		return
	}
	g.write(expr)
}

// call writes "schema"."fn"(…): each client value a typed parameter, the
// session a json parameter, the row the alias row; named arguments use
// Postgres' name => value notation.
func (g *gen) call(c *plan.FunctionCall, row string) {
	g.write(Qualified(c.Name), "(")
	for i, a := range c.Args {
		if i > 0 {
			g.write(", ")
		}
		if a.Name != "" {
			g.write(Ident(a.Name), " => ")
		}
		switch a.Kind {
		case plan.CallRow:
			g.write(row)
		case plan.CallSession:
			g.write(g.sessionArg())
		default:
			g.write(g.value(a.Value))
		}
	}
	g.write(")")
}
