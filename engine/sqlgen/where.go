package sqlgen

import (
	"github.com/trellis-gql/trellis/engine/plan"
)

// binaryOps maps comparison operators to SQL.
var binaryOps = map[string]string{
	"_eq":       " = ",
	"_neq":      " <> ",
	"_gt":       " > ",
	"_gte":      " >= ",
	"_lt":       " < ",
	"_lte":      " <= ",
	"_like":     " LIKE ",
	"_nlike":    " NOT LIKE ",
	"_ilike":    " ILIKE ",
	"_nilike":   " NOT ILIKE ",
	"_similar":  " SIMILAR TO ",
	"_nsimilar": " NOT SIMILAR TO ",
	"_regex":    " ~ ",
	"_nregex":   " !~ ",
	"_iregex":   " ~* ",
	"_niregex":  " !~* ",
}

// columnOps maps column comparison operators to SQL.
var columnOps = map[string]string{
	"_ceq": " = ", "_cne": " <> ", "_cgt": " > ", "_clt": " < ", "_cgte": " >= ", "_clte": " <= ",
}

// boolExp writes a boolean expression over the row aliased a.
func (g *gen) boolExp(e plan.BoolExp, a string) {
	switch e := e.(type) {
	case plan.And:
		g.junction(e, " AND ", "true", a)
	case plan.Or:
		g.junction(e, " OR ", "false", a)
	case plan.Not:
		g.write("(NOT ")
		g.boolExp(e.Exp, a)
		g.write(")")
	case plan.Compare:
		g.compare(e, a)
	case plan.CompareColumns:
		other := a
		if e.Root {
			other = g.scope
		}
		g.write("(", a, ".", Ident(e.Column), columnOps[e.Op], other, ".", Ident(e.Other), ")")
	case plan.Scope:
		saved := g.scope
		g.scope = a
		g.boolExp(e.Exp, a)
		g.scope = saved
	case plan.AggregatePredicate:
		g.aggregatePredicate(e, a)
	case plan.Exists:
		inner := g.alias()
		g.write("EXISTS (SELECT 1 FROM ")
		g.source(&plan.Select{Table: e.Table, Function: e.Function}, a)
		g.write(" AS ", inner, " WHERE ")
		g.rowsCondition(&plan.Rows{Join: e.Join, Where: e.Where}, inner, a)
		g.write(")")
	}
}

func (g *gen) junction(terms []plan.BoolExp, sep, empty, a string) {
	switch len(terms) {
	case 0:
		g.write(empty)
		return
	case 1:
		g.boolExp(terms[0], a)
		return
	}
	g.write("(")
	for i, t := range terms {
		if i > 0 {
			g.write(sep)
		}
		g.boolExp(t, a)
	}
	g.write(")")
}

func (g *gen) compare(c plan.Compare, a string) {
	col := g.subject(c, a)
	if g.typeCompare(c, col) {
		return
	}
	switch c.Op {
	case "_is_null":
		if c.IsNull {
			g.write("(", col, " IS NULL)")
		} else {
			g.write("(", col, " IS NOT NULL)")
		}
	case "_in":
		g.write("(", col, " = ANY(", g.value(c.Value), "))")
	case "_nin":
		g.write("(", col, " <> ALL(", g.value(c.Value), "))")
	default:
		g.write("(", col, binaryOps[c.Op], g.value(c.Value), ")")
	}
}
