package gql

import (
	"context"
	"encoding/json"
	"fmt"
	"sync"
	"sync/atomic"

	"github.com/graphql-go/graphql/gqlerrors"
	"github.com/graphql-go/graphql/language/ast"
	"github.com/graphql-go/graphql/language/parser"
	"github.com/graphql-go/graphql/language/source"

	"github.com/trellis-gql/trellis/engine/exec"
	"github.com/trellis-gql/trellis/engine/gqlerr"
	"github.com/trellis-gql/trellis/engine/plan"
	"github.com/trellis-gql/trellis/engine/schema"
	"github.com/trellis-gql/trellis/engine/sqlgen"
	"github.com/trellis-gql/trellis/metadata"
	"github.com/trellis-gql/trellis/permissions"
)

// Request is a GraphQL request as posted.
type Request struct {
	Query         string          `json:"query"`
	Variables     json.RawMessage `json:"variables,omitempty"`
	OperationName string          `json:"operationName,omitempty"`
	// SessionVars are the request's x-hasura-* session variables (names
	// lower-cased); they come from headers, not from the posted JSON.
	SessionVars map[string]string `json:"-"`
}

// Result is the data of a successful operation: each root field's response
// key and JSON value, in response order.
type Result struct {
	Fields []ResultField
}

// ResultField is one root field of a Result.
type ResultField struct {
	Alias string
	JSON  []byte
}

// Snapshot is the engine's view of metadata and database at one point: it
// is immutable and swapped whole on reload.
type Snapshot struct {
	Model *metadata.Model

	schemas sync.Map // role → *roleSchema
}

// roleSchema is a role's schema, built once on first use.
type roleSchema struct {
	once   sync.Once
	schema *schema.Schema
	err    error
}

// NewSnapshot wraps a resolved model; role schemas are built on first use.
func NewSnapshot(m *metadata.Model) *Snapshot {
	return &Snapshot{Model: m}
}

// Schema returns the schema of a role, building it once. Readers of an
// already built schema take no lock.
func (s *Snapshot) Schema(role string) (*schema.Schema, error) {
	key := role
	if !permissions.SeesAllTables(role) {
		// No permission is enforced yet, so every other role has the same
		// empty schema: one copy, however many role names clients send.
		key = ""
	}
	v, ok := s.schemas.Load(key)
	if !ok {
		v, _ = s.schemas.LoadOrStore(key, &roleSchema{})
	}
	rs := v.(*roleSchema)
	rs.once.Do(func() { rs.schema, rs.err = schema.Build(s.Model, role) })
	return rs.schema, rs.err
}

// Options tune how the engine answers.
type Options struct {
	// StringifyNumeric writes bigint, numeric and double precision values as
	// JSON strings (Hasura's HASURA_GRAPHQL_STRINGIFY_NUMERIC_TYPES).
	StringifyNumeric bool
}

// Engine executes GraphQL requests against the current snapshot.
type Engine struct {
	db       *exec.DB
	sql      sqlgen.Options
	snapshot atomic.Pointer[Snapshot]
}

// New returns an engine serving the given snapshot.
func New(db *exec.DB, snap *Snapshot, opts Options) *Engine {
	e := &Engine{db: db, sql: sqlgen.Options{StringifyNumeric: opts.StringifyNumeric}}
	e.snapshot.Store(snap)
	return e
}

// Swap replaces the snapshot; requests in flight finish on the old one.
func (e *Engine) Swap(snap *Snapshot) { e.snapshot.Store(snap) }

// Snapshot returns the current snapshot.
func (e *Engine) Snapshot() *Snapshot { return e.snapshot.Load() }

// Execute runs one request as the given role.
func (e *Engine) Execute(ctx context.Context, role string, req Request) (*Result, error) {
	snap := e.snapshot.Load()
	sc, err := snap.Schema(role)
	if err != nil {
		return nil, fmt.Errorf("schema of role %q: %w", role, err)
	}
	doc, err := Parse(req.Query)
	if err != nil {
		return nil, err
	}
	vars, err := plan.DecodeVariables(req.Variables)
	if err != nil {
		return nil, gqlerr.New(gqlerr.ParseFailed, "$.variables", "variables must be a JSON object")
	}
	op, err := plan.Plan(sc, plan.Request{Document: doc, OperationName: req.OperationName, Variables: vars})
	if err != nil {
		return nil, err
	}
	var cols [][]byte
	opts := e.sql
	opts.Session = sessionJSON(role, req.SessionVars)
	if st := sqlgen.Query(op, opts); st != nil {
		if cols, err = e.db.QueryJSON(ctx, st); err != nil {
			return nil, err
		}
	}
	res := &Result{Fields: make([]ResultField, 0, len(op.Fields))}
	var intro map[string]json.RawMessage
	var introFields []*ast.Field
	for _, f := range op.Fields {
		if f.Kind == plan.RootIntrospection {
			introFields = append(introFields, f.Field)
		}
	}
	for _, f := range op.Fields {
		rf := ResultField{Alias: f.Alias}
		switch f.Kind {
		case plan.RootSelect:
			rf.JSON, cols = orNull(cols[0]), cols[1:]
		case plan.RootTypename:
			rf.JSON, _ = json.Marshal(f.Text)
		case plan.RootConstant:
			rf.JSON = []byte(f.Text)
		case plan.RootIntrospection:
			if intro == nil {
				if intro, err = introspect(sc, doc, req.OperationName, vars, introFields); err != nil {
					return nil, err
				}
			}
			rf.JSON = orNull(intro[f.Alias])
		}
		res.Fields = append(res.Fields, rf)
	}
	return res, nil
}

func orNull(b []byte) []byte {
	if b == nil {
		return []byte("null")
	}
	return b
}

// Parse parses GraphQL text, reporting syntax errors as Hasura does.
func Parse(query string) (*ast.Document, error) {
	doc, err := parser.Parse(parser.ParseParams{
		Source:  source.NewSource(&source.Source{Body: []byte(query), Name: "GraphQL request"}),
		Options: parser.ParseOptions{NoSource: true},
	})
	if err != nil {
		// Hasura does not say where; the position is kept for admins.
		e := gqlerr.New(gqlerr.ParseFailed, "$.query", "not a valid graphql query")
		if fe, ok := err.(*gqlerrors.Error); ok {
			e.Internal = fe.Message
		}
		return nil, e
	}
	return doc, nil
}

// sessionJSON is the session as SQL functions receive it (a function's
// session_argument): the session variables and x-hasura-role, as a JSON
// object with sorted keys.
func sessionJSON(role string, vars map[string]string) string {
	all := make(map[string]string, len(vars)+1)
	for k, v := range vars {
		all[k] = v
	}
	all["x-hasura-role"] = role
	b, err := json.Marshal(all) // encoding/json sorts map keys
	if err != nil {
		return "{}" // unreachable: a map of strings always encodes
	}
	return string(b)
}
