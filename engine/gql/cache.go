package gql

import (
	"sort"
	"strings"

	"github.com/graphql-go/graphql/language/ast"
	lru "github.com/hashicorp/golang-lru/v2"

	"github.com/trellis-gql/trellis/engine/plan"
	"github.com/trellis-gql/trellis/engine/sqlgen"
)

// The plan cache keeps, per snapshot (so a metadata change drops it), the
// work a request needs before it can run:
//
//   - documents, by role, operation name and query text: the parsed
//     document and which of its variables only fill statement arguments
//     (learnt from its first plan);
//   - plans, by the same key plus the variables' shape: the planned
//     operation and its statement. A variable that only fills arguments
//     adds to the shape just whether it is null; any other variable (a
//     where object, an order_by enum, an @include condition) adds its whole
//     value, since it shapes the SQL.
//
// A hit rebinds the statement's arguments from the request's variables,
// running the planner's own checks on them, and skips parsing, planning
// and SQL generation; the SQL text is the same, so pgx reuses the
// statement it prepared on the connection.

// DefaultPlanCacheSize bounds each of the two caches of a snapshot.
const DefaultPlanCacheSize = 4096

type planCache struct {
	docs  *lru.Cache[string, *cachedDoc]
	plans *lru.Cache[string, *cachedPlan]
}

type cachedDoc struct {
	doc *ast.Document
	// rebindable is nil until the document has been planned once.
	rebindable map[string]bool
}

type cachedPlan struct {
	doc  *ast.Document
	op   *plan.Operation
	stmt *sqlgen.Statement // nil when no root field reads the database
	// mutations are the mutation root fields, in order (never cached).
	mutations []*sqlgen.MutationField
}

func newPlanCache(size int) *planCache {
	if size <= 0 {
		return nil
	}
	docs, _ := lru.New[string, *cachedDoc](size) // size > 0: no error
	plans, _ := lru.New[string, *cachedPlan](size)
	return &planCache{docs: docs, plans: plans}
}

// docKey identifies a document as a role runs it.
func docKey(role string, req Request) string {
	return role + "\x00" + req.OperationName + "\x00" + req.Query
}

// planKey adds the shape of the variables to a document's key.
func planKey(dk string, rebindable map[string]bool, vars plan.Variables) string {
	names := make([]string, 0, len(vars))
	for name := range vars {
		names = append(names, name)
	}
	sort.Strings(names)
	var b strings.Builder
	b.WriteString(dk)
	for _, name := range names {
		b.WriteString("\x00")
		b.WriteString(name)
		v := vars[name]
		switch {
		case rebindable[name] && v == nil:
			b.WriteString("\x01null")
		case rebindable[name]:
			b.WriteString("\x01value")
		default:
			b.WriteString("=")
			b.WriteString(plan.JSONText(v))
		}
	}
	return b.String()
}
