package sqlgen

import (
	"github.com/trellis-gql/trellis/engine/plan"
)

// DMLSelect compiles a data API select into a statement whose one column is
// the JSON of s (an array for ShapeArray). opts.Session is the session
// JSON a role's permission filters read.
func DMLSelect(s *plan.Select, opts Options) *Statement {
	g := &gen{stringify: opts.StringifyNumeric, session: opts.Session}
	g.write("SELECT ")
	g.selectJSON(s, "")
	return &Statement{SQL: g.sb.String(), Args: g.args, SessionArgs: g.sessionArgs}
}
