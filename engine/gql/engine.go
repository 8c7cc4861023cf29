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
	// BackendOnly lets the request use the role's backend_only
	// permissions (auth.Session.BackendOnly).
	BackendOnly bool `json:"-"`
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
	// Permissions are the model's role permissions, compiled once.
	Permissions *permissions.Set

	schemas sync.Map // role → *roleSchema

	cacheOnce sync.Once
	cache     *planCache

	// defaultNaming is the naming convention of sources that set none; the
	// engine sets it before it serves the snapshot.
	defaultNaming string
}

// roleSchema is a role's schema, built once on first use.
type roleSchema struct {
	once   sync.Once
	schema *schema.Schema
	err    error
}

// NewSnapshot wraps a resolved model; role schemas are built on first use.
func NewSnapshot(m *metadata.Model) *Snapshot {
	return &Snapshot{Model: m, Permissions: permissions.Compile(m)}
}

// Schema returns the schema of a role, building it once. Readers of an
// already built schema take no lock.
func (s *Snapshot) Schema(role string) (*schema.Schema, error) {
	return s.schemaOf(role, false)
}

// schemaOf returns the schema of a role in the frontend scenario, or in
// the backend one (backend_only permissions included) when backend is set.
func (s *Snapshot) schemaOf(role string, backend bool) (*schema.Schema, error) {
	key := s.schemaKey(role, backend)
	v, ok := s.schemas.Load(key)
	if !ok {
		v, _ = s.schemas.LoadOrStore(key, &roleSchema{})
	}
	rs := v.(*roleSchema)
	rs.once.Do(func() {
		perms := s.Permissions.Role(role)
		if key == "" {
			perms = s.Permissions.Role("")
		}
		if backend {
			perms = perms.Backend()
		}
		rs.schema, rs.err = schema.Build(s.Model, perms, s.defaultNaming)
	})
	return rs.schema, rs.err
}

// backendSuffix marks the key of a role's backend-scenario schema; it
// cannot occur in a role name sent in a header.
const backendSuffix = "\x00backend"

// schemaKey names the schema a role gets: the admin role and each role
// with permissions its own (and a second one for the backend scenario
// when it has backend_only permissions); every other role the same empty
// schema, one copy however many role names clients send.
func (s *Snapshot) schemaKey(role string, backend bool) string {
	if !s.Permissions.Defines(role) {
		return ""
	}
	if backend && s.Permissions.Role(role).HasBackendOnly() {
		return role + backendSuffix
	}
	return role
}

// plans returns the snapshot's plan cache, made on first use; nil when
// caching is off.
func (s *Snapshot) plans(size int) *planCache {
	s.cacheOnce.Do(func() { s.cache = newPlanCache(size) })
	return s.cache
}

// Options tune how the engine answers.
type Options struct {
	// StringifyNumeric writes bigint, numeric and double precision values as
	// JSON strings (Hasura's HASURA_GRAPHQL_STRINGIFY_NUMERIC_TYPES).
	StringifyNumeric bool
	// DefaultNamingConvention applies to sources whose metadata sets no
	// naming_convention: "hasura-default" (the default) or "graphql-default"
	// (HASURA_GRAPHQL_DEFAULT_NAMING_CONVENTION).
	DefaultNamingConvention string
	// PlanCacheSize bounds the number of documents and of plans cached per
	// metadata version: 0 means DefaultPlanCacheSize, a negative size turns
	// the cache off.
	PlanCacheSize int
}

// Engine executes GraphQL requests against the current snapshot.
type Engine struct {
	db        *exec.DB
	sql       sqlgen.Options
	cacheSize int
	naming    string
	snapshot  atomic.Pointer[Snapshot]

	hits, misses atomic.Int64

	swapMu sync.Mutex
	onSwap []func()
}

// OnSwap registers a function called after each snapshot swap (a
// metadata change or reload).
func (e *Engine) OnSwap(f func()) {
	e.swapMu.Lock()
	e.onSwap = append(e.onSwap, f)
	e.swapMu.Unlock()
}

// CacheStats says how many requests the plan cache answered and how many
// it had to plan.
func (e *Engine) CacheStats() (hits, misses int64) { return e.hits.Load(), e.misses.Load() }

// New returns an engine serving the given snapshot.
func New(db *exec.DB, snap *Snapshot, opts Options) *Engine {
	e := &Engine{db: db, sql: sqlgen.Options{StringifyNumeric: opts.StringifyNumeric}, cacheSize: opts.PlanCacheSize, naming: opts.DefaultNamingConvention}
	if e.cacheSize == 0 {
		e.cacheSize = DefaultPlanCacheSize
	}
	e.Swap(snap)
	return e
}

// Swap replaces the snapshot; requests in flight finish on the old one.
func (e *Engine) Swap(snap *Snapshot) {
	e.Prepare(snap)
	old := e.snapshot.Swap(snap)
	if old == nil || old == snap {
		return
	}
	e.swapMu.Lock()
	fs := append([]func(){}, e.onSwap...)
	e.swapMu.Unlock()
	for _, f := range fs {
		f()
	}
}

// Prepare gives a snapshot the engine's settings before it is used: a
// snapshot built for a change is checked (its schema built) before it is
// swapped in.
func (e *Engine) Prepare(snap *Snapshot) {
	if snap != nil {
		snap.defaultNaming = e.naming
	}
}

// DefaultNamingConvention is the naming convention of sources whose
// metadata sets none.
func (e *Engine) DefaultNamingConvention() string {
	if e.naming == "" {
		return "hasura-default"
	}
	return e.naming
}

// Snapshot returns the current snapshot.
func (e *Engine) Snapshot() *Snapshot { return e.snapshot.Load() }

// Execute runs one request as the given role.
func (e *Engine) Execute(ctx context.Context, role string, req Request) (*Result, error) {
	pr, err := e.prepare(role, req)
	if err != nil {
		return nil, err
	}
	sc, cp, vars, session := pr.schema, pr.plan, pr.vars, pr.session
	if cp.op.Subscription {
		return nil, gqlerr.New(gqlerr.ValidationFailed, "$", "subscriptions are not supported over HTTP")
	}
	doc, op := cp.doc, cp.op
	var cols, written [][]byte
	if st := cp.stmt; st != nil {
		if cols, err = e.db.QueryJSON(ctx, session, st); err != nil {
			return nil, err
		}
	}
	if len(cp.mutations) > 0 {
		if written, err = e.db.Mutate(ctx, session, cp.mutations); err != nil {
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
		case plan.RootMutation:
			rf.JSON, written = written[0], written[1:]
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

// prepared is a request compiled for a role on one snapshot.
type prepared struct {
	snap    *Snapshot
	schema  *schema.Schema
	plan    *cachedPlan
	vars    plan.Variables
	session string
}

// prepare compiles a request for a role on the current snapshot and
// checks that it has the session variables its permissions read.
func (e *Engine) prepare(role string, req Request) (*prepared, error) {
	snap := e.snapshot.Load()
	sc, err := snap.schemaOf(role, req.BackendOnly)
	if err != nil {
		return nil, fmt.Errorf("schema of role %q: %w", role, err)
	}
	vars, err := plan.DecodeVariables(req.Variables)
	if err != nil {
		if _, perr := Parse(req.Query); perr != nil {
			return nil, perr // a bad query is reported first
		}
		return nil, gqlerr.New(gqlerr.ParseFailed, "$.variables", "variables must be a JSON object")
	}
	session := sessionJSON(role, req.SessionVars)
	cp, err := e.compile(snap, sc, role, req, vars, session)
	if err != nil {
		return nil, err
	}
	if err := requireSession(cp.op.SessionVars, req.SessionVars); err != nil {
		return nil, err
	}
	return &prepared{snap: snap, schema: sc, plan: cp, vars: vars, session: session}, nil
}

// compile returns the parsed document, the plan and the statement of a
// request, from the snapshot's plan cache when it has them (see cache.go).
func (e *Engine) compile(snap *Snapshot, sc *schema.Schema, role string, req Request, vars plan.Variables, session string) (*cachedPlan, error) {
	cache := snap.plans(e.cacheSize)
	if cache == nil {
		return e.plan(sc, nil, req, vars, session)
	}
	dk := docKey(snap.schemaKey(role, req.BackendOnly), req)
	cd, known := cache.docs.Get(dk)
	if known && cd.rebindable != nil {
		if cp, ok := cache.plans.Get(planKey(dk, cd.rebindable, vars)); ok {
			if cp.stmt == nil {
				e.hits.Add(1)
				return cp, nil
			}
			if st, ok := cp.stmt.Rebind(vars, session); ok {
				e.hits.Add(1)
				return &cachedPlan{doc: cp.doc, op: cp.op, stmt: st}, nil
			}
		}
	}
	e.misses.Add(1)
	var doc *ast.Document
	if known {
		doc = cd.doc
	}
	cp, err := e.plan(sc, doc, req, vars, session)
	if err != nil || len(cp.mutations) > 0 {
		return cp, err // mutations are not cached (see mutation.go)
	}
	// The document's rebindable variables are those of its first plan, less
	// any that a later plan could not bind.
	rebindable := cp.op.Rebindable
	if known && cd.rebindable != nil {
		rebindable = cd.rebindable
		for name := range cd.rebindable {
			if vars[name] != nil && !cp.op.Rebindable[name] {
				rebindable = intersect(cd.rebindable, cp.op.Rebindable)
				break
			}
		}
	}
	if !known || len(rebindable) != len(cd.rebindable) || cd.rebindable == nil {
		cache.docs.Add(dk, &cachedDoc{doc: cp.doc, rebindable: rebindable})
	}
	cache.plans.Add(planKey(dk, rebindable, vars), cp)
	return cp, nil
}

// plan parses (unless doc is given), plans and compiles a request.
func (e *Engine) plan(sc *schema.Schema, doc *ast.Document, req Request, vars plan.Variables, session string) (*cachedPlan, error) {
	if doc == nil {
		var err error
		if doc, err = Parse(req.Query); err != nil {
			return nil, err
		}
	}
	op, err := plan.Plan(sc, plan.Request{Document: doc, OperationName: req.OperationName, Variables: vars})
	if err != nil {
		return nil, err
	}
	opts := e.sql
	opts.Session = session
	return &cachedPlan{doc: doc, op: op, stmt: sqlgen.Query(op, opts), mutations: mutationFields(op, opts)}, nil
}

func intersect(a, b map[string]bool) map[string]bool {
	out := map[string]bool{}
	for k := range a {
		if b[k] {
			out[k] = true
		}
	}
	return out
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
		Source:  source.NewSource(&source.Source{Body: []byte(nullLiterals(query)), Name: "GraphQL request"}),
		Options: parser.ParseOptions{NoSource: true},
	})
	if err != nil {
		// Hasura does not say where; the position is kept for admins.
		e := gqlerr.New(gqlerr.ValidationFailed, "$.query", "not a valid graphql query")
		if fe, ok := err.(*gqlerrors.Error); ok {
			e.Internal = fe.Message
		}
		return nil, e
	}
	return doc, nil
}

// requireSession fails as Hasura does when the request lacks a session
// variable the role's permissions read.
func requireSession(names []string, vars map[string]string) error {
	for _, name := range names {
		if _, ok := vars[name]; !ok && name != "x-hasura-role" {
			return gqlerr.New(gqlerr.NotFound, "$", fmt.Sprintf("missing session variable: %q", name))
		}
	}
	return nil
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
