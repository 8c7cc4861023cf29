package gql

import (
	"context"
	"encoding/json"
	"strings"

	"github.com/trellis-gql/trellis/engine/gqlerr"
	"github.com/trellis-gql/trellis/engine/plan"
	"github.com/trellis-gql/trellis/engine/sqlgen"
)

// LiveQuery is a subscription compiled for the live-query machinery
// (engine/live): the statement that computes its result, how the result's
// root fields come from the statement's columns, and what it reads.
type LiveQuery struct {
	// Cohort is the same for subscriptions that can be answered by one
	// multiplexed statement: same role schema, same SQL, same arguments
	// except those of variables, session and cursor.
	Cohort string
	// Statement is nil when no root field reads the database (a
	// subscription of __typename alone): the result never changes.
	Statement *sqlgen.Statement
	Fields    []LiveField
	Reads     plan.Reads
	// Streaming marks a <t>_stream subscription: its statement's last
	// column is the cursor after the rows it returned.
	Streaming bool
}

// LiveField is a root field of a live query's result: column Column of
// the statement's row, or the constant JSON when Column is -1.
type LiveField struct {
	Alias  string
	Column int
	JSON   []byte
}

// Result builds a live query's result from one row of its statement (nil
// when it has none).
func (lq *LiveQuery) Result(cols [][]byte) *Result {
	res := &Result{Fields: make([]ResultField, len(lq.Fields))}
	for i, f := range lq.Fields {
		res.Fields[i] = ResultField{Alias: f.Alias, JSON: f.JSON}
		if f.Column >= 0 && f.Column < len(cols) {
			res.Fields[i].JSON = orNull(cols[f.Column])
		}
	}
	return res
}

// OperationType returns the type of the operation a request selects
// ("query", "mutation" or "subscription"), reporting a request that does
// not parse or names no operation as Execute would.
func OperationType(req Request) (string, error) {
	doc, err := Parse(req.Query)
	if err != nil {
		return "", err
	}
	op, err := plan.SelectOperation(doc, req.OperationName)
	if err != nil {
		return "", err
	}
	return op.Operation, nil
}

// Subscribe compiles a subscription for a role. It checks everything a
// query is checked for; the statement runs later, in the cohort.
func (e *Engine) Subscribe(_ context.Context, role string, req Request) (*LiveQuery, error) {
	pr, err := e.prepare(role, req)
	if err != nil {
		return nil, err
	}
	snap, cp := pr.snap, pr.plan
	if !cp.op.Subscription {
		return nil, gqlerr.New(gqlerr.ValidationFailed, "$", "not a subscription")
	}
	lq := &LiveQuery{Statement: cp.stmt, Reads: plan.ReadsOf(cp.op), Streaming: cp.op.Streaming}
	col := 0
	for _, f := range cp.op.Fields {
		lf := LiveField{Alias: f.Alias, Column: -1}
		switch f.Kind {
		case plan.RootSelect:
			lf.Column = col
			col++
		case plan.RootTypename:
			lf.JSON, _ = json.Marshal(f.Text)
		case plan.RootConstant:
			lf.JSON = []byte(f.Text)
		}
		lq.Fields = append(lq.Fields, lf)
	}
	lq.Cohort = cohortKey(snap.schemaKey(role, req.BackendOnly), cp.stmt)
	return lq, nil
}

// cohortKey identifies the statements one multiplexed statement answers:
// the SQL text and the arguments that do not vary per subscriber.
func cohortKey(schemaKey string, st *sqlgen.Statement) string {
	var sb strings.Builder
	sb.WriteString(schemaKey)
	sb.WriteByte(0)
	if st == nil {
		return sb.String()
	}
	sb.WriteString(st.SQL)
	varying := map[int]bool{}
	for _, i := range st.VaryingArgs() {
		varying[i] = true
	}
	for i, a := range st.Args {
		if varying[i] {
			continue
		}
		sb.WriteByte(0)
		b, _ := json.Marshal(a) // strings and lists of strings always encode
		sb.Write(b)
	}
	return sb.String()
}
