package gql

import (
	"github.com/trellis-gql/trellis/engine/plan"
	"github.com/trellis-gql/trellis/engine/sqlgen"
)

// Mutations bypass the plan cache: each request is planned and compiled
// anew. Their statements depend on which input fields an object sets (the
// columns of an insert, the operators of an update), which a variable
// holding an object changes, so a cached mutation plan would rarely be
// rebound; planning them costs little next to the writes.

// mutationFields compiles the mutation root fields of an operation, in
// order; nil when it has none.
func mutationFields(op *plan.Operation, opts sqlgen.Options) []*sqlgen.MutationField {
	var out []*sqlgen.MutationField
	for _, f := range op.Fields {
		if f.Kind == plan.RootMutation {
			out = append(out, sqlgen.Mutation(f.Mutation, opts))
		}
	}
	return out
}
