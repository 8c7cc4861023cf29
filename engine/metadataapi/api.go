package metadataapi

import (
	"bytes"
	"context"
	"crypto/rand"
	"encoding/hex"
	"encoding/json"
	"errors"
	"fmt"
	"github.com/trellis-gql/trellis/engine/gqlerr"
	"log/slog"
	"net/http"
	"strings"
	"sync"

	"github.com/jackc/pgx/v5"
	"github.com/jackc/pgx/v5/pgconn"

	"github.com/trellis-gql/trellis/engine/auth"
	"github.com/trellis-gql/trellis/engine/catalog"
	"github.com/trellis-gql/trellis/engine/dataapi"
	"github.com/trellis-gql/trellis/engine/exec"
	"github.com/trellis-gql/trellis/engine/gql"
	"github.com/trellis-gql/trellis/engine/schema"
	"github.com/trellis-gql/trellis/metadata"
)

// Endpoint is the API a request came through.
type Endpoint int

// Endpoints.
const (
	MetadataV1 Endpoint = iota // /v1/metadata
	QueryV1                    // /v1/query
	QueryV2                    // /v2/query
)

// Config configures the API.
type Config struct {
	DB     *exec.DB
	Engine *gql.Engine
	Logger *slog.Logger
	// OnReload, when set, is called after the snapshot was rebuilt because
	// another engine changed the metadata.
	OnReload func(resourceVersion int64)
}

// API serves metadata requests and keeps the engine's snapshot in step with
// the stored metadata.
type API struct {
	db       *exec.DB
	engine   *gql.Engine
	log      *slog.Logger
	instance string // tells this engine's notifications from others'
	onReload func(int64)

	mu      sync.Mutex         // one change at a time in this process
	version int64              // resource_version of the engine's snapshot
	stored  *metadata.Metadata // the document of that version, nil until read
}

// New returns an API; Boot must run before it serves.
func New(cfg Config) *API {
	log := cfg.Logger
	if log == nil {
		log = slog.New(slog.DiscardHandler)
	}
	id := make([]byte, 8)
	_, _ = rand.Read(id) // crypto/rand never fails on Linux
	return &API{db: cfg.DB, engine: cfg.Engine, log: log.With("component", "metadata"), instance: hex.EncodeToString(id), onReload: cfg.OnReload}
}

// request is the envelope of every request type.
type request struct {
	Type            string          `json:"type"`
	Args            json.RawMessage `json:"args"`
	Version         json.RawMessage `json:"version,omitempty"`
	ResourceVersion *int64          `json:"resource_version,omitempty"`
}

// Handle runs one request body and returns the HTTP status and JSON body.
// sess is the caller's session: the admin may send anything; another role
// only the data requests of /v1/query and /v2/query, which run with its
// permissions (see dataapi.Access). Other requests are refused.
func (a *API) Handle(ctx context.Context, ep Endpoint, body []byte, sess auth.Session) (int, []byte) {
	return a.HandleWith(ctx, ep, body, sess, Options{})
}

// Options are a request's choices beyond Hasura's protocol.
type Options struct {
	// ErrorPosition adds "position" (1-based characters into the SQL) to
	// the database error of a failed run_sql, under internal.error, so
	// that Trellis's CLI can name the line of a failed migration. The
	// server's HTTP layer sets it from the X-Trellis-Error-Position header.
	ErrorPosition bool
}

// HandleWith is Handle with opts.
func (a *API) HandleWith(ctx context.Context, ep Endpoint, body []byte, sess auth.Session, opts Options) (int, []byte) {
	req, err := decodeRequest(body)
	admin := sess.IsAdmin()
	if err == nil && !admin && (ep == MetadataV1 || !dataapi.Handles(req.Type)) {
		err = metadata.Errorf(metadata.CodeAccessDenied, "$.args", "restricted access : admin only")
	}
	if err == nil {
		var resp json.RawMessage
		if admin {
			resp, err = a.run(ctx, ep, req)
		} else {
			resp, err = a.roleData(ctx, req, sess)
		}
		if err == nil {
			return http.StatusOK, resp
		}
		if ep == QueryV2 {
			err = underArgs(err)
		}
		if opts.ErrorPosition {
			err = withPosition(err)
		}
	}
	return errorResponse(err, a.log)
}

// withPosition copies a run_sql error's position into its internal.error.
func withPosition(err error) error {
	var apiErr *metadata.APIError
	if !errors.As(err, &apiErr) || apiErr.Position == 0 {
		return err
	}
	internal, ok := apiErr.Internal.(map[string]any)
	if !ok {
		return err
	}
	pgErr, _ := internal["error"].(map[string]any)
	moved, in, pe := *apiErr, map[string]any{}, map[string]any{"position": apiErr.Position}
	for k, v := range internal {
		in[k] = v
	}
	for k, v := range pgErr {
		pe[k] = v
	}
	in["error"] = pe
	moved.Internal = in
	return &moved
}

func decodeRequest(body []byte) (request, error) {
	var req request
	trimmed := bytes.TrimSpace(body)
	if !json.Valid(trimmed) {
		return req, metadata.Errorf("invalid-json", "$", "Error in $: Failed reading: not a valid json value")
	}
	if len(trimmed) == 0 || trimmed[0] != '{' {
		return req, metadata.Errorf(metadata.CodeParseFailed, "$", "parsing Object failed, expected Object, but encountered %s", gqlerr.JSONKind(trimmed))
	}
	if err := json.Unmarshal(trimmed, &req); err != nil {
		return req, metadata.Errorf(metadata.CodeParseFailed, "$", "%v", err)
	}
	if req.Type == "" {
		return req, metadata.Errorf(metadata.CodeParseFailed, "$", `key "type" not found`)
	}
	if len(req.Version) > 0 && string(req.Version) != "1" && string(req.Version) != "2" && string(req.Version) != "null" {
		return req, metadata.Errorf(metadata.CodeParseFailed, "$.version", "expected 1 or 2, encountered %s", string(req.Version))
	}
	if len(req.Args) == 0 || string(req.Args) == "null" {
		req.Args = json.RawMessage(`{}`)
	}
	return req, nil
}

// state is what a request works on inside its transaction.
type state struct {
	tx      pgx.Tx
	md      *metadata.Metadata
	cat     *catalog.Catalog
	version int64 // stored resource_version when the request began
	// mdChanged: the document must be stored; dbChanged: the database's
	// schema may have changed (run_sql), so the catalog was reloaded.
	mdChanged, dbChanged bool
	// allowInconsistent lets a change that makes metadata inconsistent be
	// stored (replace_metadata with allow_inconsistent_metadata).
	allowInconsistent bool
	// catFresh is set once cat was read in this transaction.
	catFresh bool
	// replaced is set by replace_metadata: the whole document must be
	// consistent unless allowInconsistent.
	replaced bool
	// reloaded is set by reload_metadata: the snapshot is rebuilt even when
	// nothing changed.
	reloaded bool
	// model is modelFor resolved against cat, kept so that it is resolved
	// once however many steps look at it (see resolved).
	model    *metadata.Model
	modelFor *metadata.Metadata
	// ranSQL holds the results of a no_transaction run_sql whose SQL
	// already ran outside the transaction.
	ranSQL []*pgconn.Result
}

// run executes a request in one transaction and, when it changed anything,
// stores the metadata and swaps the engine's snapshot.
func (a *API) run(ctx context.Context, ep Endpoint, req request) (json.RawMessage, error) {
	var ranSQL []*pgconn.Result
	if req.Type == "run_sql" && ep != MetadataV1 {
		mode := sqlMode(req.Args)
		if mode.ReadOnly {
			return a.readOnlySQL(ctx, req.Args)
		}
		if mode.NoTransaction {
			// The SQL runs first, on its own; the transaction below then
			// refreshes the catalog and the metadata as after any run_sql.
			var err error
			if ranSQL, err = a.sqlWithoutTransaction(ctx, req.Args); err != nil {
				return nil, err
			}
		}
	}
	a.mu.Lock()
	defer a.mu.Unlock()
	tx, err := a.db.Pool.Begin(ctx)
	if err != nil {
		return nil, err
	}
	defer tx.Rollback(context.Background()) //nolint:errcheck // a no-op after commit
	stored, err := a.lockStored(ctx, tx)
	if err != nil {
		return nil, err
	}
	if req.ResourceVersion != nil && *req.ResourceVersion != stored.ResourceVersion {
		return nil, &metadata.APIError{Status: http.StatusConflict, Code: metadata.CodeConflict, Path: "$",
			Message: fmt.Sprintf("metadata resource version referenced (%d) did not match current version", *req.ResourceVersion)}
	}
	before := a.engine.Snapshot()
	st := &state{tx: tx, md: stored.Metadata, cat: before.Model.Catalog, version: stored.ResourceVersion, ranSQL: ranSQL}
	if stored.Metadata == a.stored {
		// The snapshot was resolved from this very document.
		st.model, st.modelFor = before.Model, stored.Metadata
	}
	resp, err := a.step(ctx, ep, st, req, "$")
	if err != nil {
		return nil, err
	}
	if !st.mdChanged && !st.dbChanged && !st.reloaded {
		return resp, tx.Commit(ctx)
	}
	model := st.resolved()
	switch {
	case st.replaced && !st.allowInconsistent && len(model.Inconsistencies) > 0:
		return nil, &metadata.APIError{Status: http.StatusBadRequest, Code: metadata.CodeUnexpected, Path: "$.args",
			Message: "cannot continue due to inconsistent metadata", Internal: model.Inconsistencies}
	case st.mdChanged && !st.allowInconsistent:
		if added := newInconsistencies(before.Model.Inconsistencies, model.Inconsistencies); len(added) > 0 {
			return nil, inconsistencyError(added)
		}
	}
	snap := gql.NewSnapshot(model)
	a.engine.Prepare(snap)
	if st.mdChanged {
		if err := newConflicts(before, snap, a.engine.DefaultNamingConvention()); err != nil {
			return nil, err
		}
	}
	version := stored.ResourceVersion
	if st.mdChanged {
		if version, err = metadata.Save(ctx, tx, st.md, stored.ResourceVersion, a.instance); err != nil {
			return nil, err
		}
	}
	if err := tx.Commit(ctx); err != nil {
		return nil, err
	}
	a.engine.Swap(snap)
	a.version, a.stored = version, st.md
	return resp, nil
}

// lockStored locks the stored metadata for the transaction and returns
// it, read from the database only when another engine changed it.
func (a *API) lockStored(ctx context.Context, tx pgx.Tx) (metadata.Stored, error) {
	version, err := metadata.LockVersion(ctx, tx)
	if err != nil {
		return metadata.Stored{}, err
	}
	if a.stored != nil && version == a.version {
		return metadata.Stored{Metadata: a.stored, ResourceVersion: version}, nil
	}
	return metadata.LoadStored(ctx, tx, false)
}

// newConflicts refuses a change after which two tables would generate the
// same GraphQL names, as Hasura does.
func newConflicts(before, after *gql.Snapshot, defaultNaming string) error {
	if err := newRootConflicts(before, after, defaultNaming); err != nil {
		return err
	}
	old, err := before.Schema(schema.AdminRole)
	if err != nil {
		return err
	}
	next, err := after.Schema(schema.AdminRole)
	if err != nil {
		return err
	}
	had := map[string]bool{}
	for _, c := range old.Conflicts {
		had[c] = true
	}
	var added []string
	for _, c := range next.Conflicts {
		if !had[c] {
			added = append(added, c)
		}
	}
	if len(added) == 0 {
		return nil
	}
	return &metadata.APIError{Status: http.StatusInternalServerError, Code: metadata.CodeUnexpected, Path: "$",
		Message: "Encountered conflicting definitions in the selection set for 'query_root': " + strings.Join(added, "; ")}
}

// newRootConflicts refuses a change after which two tables would define
// the same root field, with Hasura's message listing each such field and
// the tables that define it (mutation_root is checked first, as Hasura
// does). Conflicts the metadata already had are not the change's doing.
func newRootConflicts(before, after *gql.Snapshot, defaultNaming string) error {
	root, conflicts := schema.RootConflicts(after.Model, defaultNaming)
	if len(conflicts) == 0 {
		return nil
	}
	_, had := schema.RootConflicts(before.Model, defaultNaming)
	known := map[string]bool{}
	for _, c := range had {
		known[c.Name] = true
	}
	var lines []string
	for _, c := range conflicts {
		if !known[c.Name] {
			lines = append(lines, "  '"+c.Name+"' defined in ["+strings.Join(c.Tables, ", ")+"]")
		}
	}
	if len(lines) == 0 {
		return nil
	}
	return &metadata.APIError{Status: http.StatusInternalServerError, Code: metadata.CodeUnexpected, Path: "$.args",
		Message: "Encountered conflicting definitions in the selection set for '" + root + "' for fields: [\n" +
			strings.Join(lines, ",\n") + "\n]. Fields must not be defined more than once across all sources."}
}

// newInconsistencies lists the inconsistencies of after that before did
// not have.
func newInconsistencies(before, after []metadata.Inconsistency) []metadata.Inconsistency {
	had := map[string]bool{}
	for _, i := range before {
		had[i.Type+"\x00"+i.Name] = true
	}
	var out []metadata.Inconsistency
	for _, i := range after {
		if !had[i.Type+"\x00"+i.Name] {
			out = append(out, i)
		}
	}
	return out
}

// inconsistencyError is Hasura's refusal of a change that makes metadata
// inconsistent; with one object, its reason is the message.
func inconsistencyError(incs []metadata.Inconsistency) error {
	if len(incs) == 1 {
		return &metadata.APIError{Status: http.StatusBadRequest, Code: metadata.CodeInvalidConfiguration, Path: "$.args", Message: incs[0].Reason, Internal: incs}
	}
	return &metadata.APIError{Status: http.StatusBadRequest, Code: metadata.CodeUnexpected, Path: "$.args", Message: "cannot continue due to new inconsistent metadata", Internal: incs}
}

func errorResponse(err error, log *slog.Logger) (int, []byte) {
	body := map[string]any{}
	status := http.StatusBadRequest
	var apiErr *metadata.APIError
	switch {
	case errors.As(err, &apiErr):
		status = apiErr.Status
		body["path"], body["error"], body["code"] = apiErr.Path, apiErr.Message, apiErr.Code
		if apiErr.Internal != nil {
			body["internal"] = apiErr.Internal
		}
	default:
		log.Error("metadata request failed", "error", err)
		status = http.StatusInternalServerError
		body["path"], body["error"], body["code"] = "$", "unexpected: "+err.Error(), metadata.CodeUnexpected
	}
	if status == 0 {
		status = http.StatusBadRequest
	}
	out, mErr := json.Marshal(body)
	if mErr != nil {
		return http.StatusInternalServerError, []byte(`{"path":"$","error":"internal error","code":"unexpected"}`)
	}
	return status, out
}

// sqlMode reads run_sql's read_only and no_transaction flags.
func sqlMode(args json.RawMessage) runSQLArgs {
	var mode runSQLArgs
	_ = json.Unmarshal(args, &mode) // a bad body fails later, with its path
	return mode
}

// underArgs moves an error's path from "$.args…" to "$…": /v2/query
// reports paths relative to the request's args, as Hasura does.
func underArgs(err error) error {
	var apiErr *metadata.APIError
	if !errors.As(err, &apiErr) || !strings.HasPrefix(apiErr.Path, "$.args") {
		return err
	}
	moved := *apiErr
	moved.Path = "$" + strings.TrimPrefix(apiErr.Path, "$.args")
	return &moved
}

// resolved returns st.md resolved against st.cat, resolving only when
// either changed since the last time.
func (st *state) resolved() *metadata.Model {
	if st.model == nil || st.modelFor != st.md || st.model.Catalog != st.cat {
		st.model, st.modelFor = metadata.Resolve(st.md, st.cat), st.md
	}
	return st.model
}

// resolvedIfKnown returns st.md resolved against st.cat when that is
// already at hand, nil otherwise.
func (st *state) resolvedIfKnown() *metadata.Model {
	if st.model != nil && st.modelFor == st.md && st.model.Catalog == st.cat {
		return st.model
	}
	return nil
}
