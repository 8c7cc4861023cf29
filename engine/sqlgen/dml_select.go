package sqlgen

import (
	"github.com/trellis-gql/trellis/engine/plan"
)

// DMLSelect compiles a data API select into a statement whose one column is
// the JSON of s (an array for ShapeArray).
func DMLSelect(s *plan.Select) *Statement {
	g := &gen{}
	g.write("SELECT ")
	g.selectJSON(s, "")
	return &Statement{SQL: g.sb.String(), Args: g.args}
}
