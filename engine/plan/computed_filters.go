package plan

import (
	"github.com/trellis-gql/trellis/engine/gqlerr"
	"github.com/trellis-gql/trellis/engine/schema"
	"github.com/trellis-gql/trellis/metadata"
)

// Computed fields whose function takes nothing from the client but the row
// (and the session) can filter and sort rows, as in Hasura
// (Schema.BoolExp.boolExpField, Schema.OrderBy.orderByExp): a scalar one
// compares or sorts by its value, a table one filters like a relationship
// (some returned row matches) and sorts by aggregates of its rows.

// computedFilter reads the bool_exp value of such a computed field.
func (p *planner) computedFilter(v any, c *schema.ComputedField, path gqlerr.Path) ([]BoolExp, error) {
	call, err := implicitCall(c.Meta, path)
	if err != nil {
		return nil, err
	}
	if c.Target == nil {
		return p.compareOn(v, subject{call: call, scalar: c.Scalar, typ: c.Meta.Scalar}, path)
	}
	inner, err := p.boolExp(v, c.Target, path)
	if err != nil {
		return nil, err
	}
	return []BoolExp{Exists{Table: c.Target.Meta.Info, Function: call, Where: inner}}, nil
}

// implicitCall is the call of a computed field that takes no client
// argument: the row and the session, where the function wants them.
func implicitCall(c *metadata.ComputedField, path gqlerr.Path) (*FunctionCall, error) {
	call, err := layoutCall(nil, c.Args, path)
	if err != nil {
		return nil, err
	}
	call.Name, call.Field = c.Function.Name, c.Name
	return call, nil
}
