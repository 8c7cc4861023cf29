package server_test

import (
	"bytes"
	"context"
	"encoding/json"
	"io"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"strings"
	"sync/atomic"
	"testing"
	"time"

	"github.com/jackc/pgx/v5"

	"github.com/trellis-gql/trellis/engine/auth"
	"github.com/trellis-gql/trellis/engine/catalog"
	"github.com/trellis-gql/trellis/engine/exec"
	"github.com/trellis-gql/trellis/engine/gql"
	"github.com/trellis-gql/trellis/engine/live"
	"github.com/trellis-gql/trellis/engine/metadataapi"
	"github.com/trellis-gql/trellis/engine/pgtest"
	"github.com/trellis-gql/trellis/engine/server"
	"github.com/trellis-gql/trellis/metadata"
	"github.com/trellis-gql/trellis/migrations"
)

// exampleDir is the tutoring example project, which the tests serve.
const exampleDir = "../../examples/tutoring"

// testServer is Trellis serving the tutoring example over a fresh database.
type testServer struct {
	URL string
	// roundTrips counts the round trips the engine's pool has made.
	roundTrips      *atomic.Int64
	inconsistencies []metadata.Inconsistency
	engine          *gql.Engine
	live            *live.Manager
	feed            *live.Feed
	dsn             string
}

type serverOptions struct {
	adminSecret string
	// auth configures authentication beyond the admin secret (JWT,
	// webhook, unauthorized role); its AdminSecret is adminSecret.
	auth     auth.Config
	extraSQL []string // files applied after the example's migration
	// metadataAPI serves /v1/metadata, /v1/query and /v2/query too.
	metadataAPI bool
	// stringify turns on StringifyNumeric.
	stringify bool
	// naming is the default naming convention ("" is hasura-default).
	naming string
	// metadataDir replaces the example's metadata directory.
	metadataDir string
	// inconsistent is set when the metadata is expected to be
	// inconsistent; the inconsistencies end up in testServer.inconsistencies.
	inconsistent bool
	// live serves subscriptions, driven by logical replication unless
	// polling is set (then every poll interval, as Hasura does).
	live         bool
	polling      bool
	pollInterval time.Duration
	batchSize    int
	// dsn is the database to use instead of a new one on the shared
	// cluster (an empty database of a private cluster).
	dsn string
	// ws tunes the WebSocket transports.
	ws server.WSConfig
}

// newTestServer creates a database, applies the example's migration and
// seed (and any extra SQL files), loads the example's metadata directory
// and serves it on an httptest server.
func newTestServer(t testing.TB, opts serverOptions) *testServer {
	t.Helper()
	ctx := context.Background()
	dsn := opts.dsn
	if dsn == "" {
		dsn = pgtest.NewDatabase(t)
	}
	migs, err := migrations.Load(filepath.Join(exampleDir, "migrations/default"))
	if err != nil || len(migs) == 0 {
		t.Fatalf("no migrations found: %v", err)
	}
	var files []string
	for _, m := range migs {
		files = append(files, m.Up)
	}
	seeds, _ := filepath.Glob(filepath.Join(exampleDir, "seeds/default/*.sql"))
	files = append(append(files, seeds...), opts.extraSQL...)
	conn, err := pgx.Connect(ctx, dsn)
	if err != nil {
		t.Fatal(err)
	}
	for _, f := range files {
		sql, err := os.ReadFile(f)
		if err != nil {
			t.Fatal(err)
		}
		if _, err := conn.Exec(ctx, string(sql)); err != nil {
			t.Fatalf("applying %s: %v", f, err)
		}
	}
	conn.Close(ctx)

	var count atomic.Int64
	db, err := exec.Open(ctx, exec.Config{DatabaseURL: dsn, Tracer: countingTracer{&count}})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(db.Close)
	mdDir := opts.metadataDir
	if mdDir == "" {
		mdDir = filepath.Join(exampleDir, "metadata")
	}
	md, err := metadata.LoadDir(mdDir)
	if err != nil {
		t.Fatal(err)
	}
	var snap *gql.Snapshot
	var version int64
	if opts.metadataAPI {
		// The metadata APIs need the catalog Boot creates.
		snap, version, err = metadataapi.Boot(ctx, db, md)
	} else {
		// hdb_catalog holds check_violation, which mutations with
		// permission checks call (Boot creates it for `trellis serve`).
		if err := metadata.EnsureCatalog(ctx, db.Pool); err != nil {
			t.Fatal(err)
		}
		snap, err = gql.LoadSnapshot(ctx, db.Pool, md)
	}
	if err != nil {
		t.Fatal(err)
	}
	if len(snap.Model.Inconsistencies) > 0 && !opts.inconsistent {
		t.Fatalf("example metadata is inconsistent: %+v", snap.Model.Inconsistencies)
	}
	engine := gql.New(db, snap, gql.Options{StringifyNumeric: opts.stringify, DefaultNamingConvention: opts.naming})
	authCfg := opts.auth
	authCfg.AdminSecret = opts.adminSecret
	var api *metadataapi.API
	if opts.metadataAPI {
		api = metadataapi.New(metadataapi.Config{DB: db, Engine: engine})
		api.SetVersion(version)
	}
	var manager *live.Manager
	var feed *live.Feed
	if opts.live {
		manager = live.New(live.Config{DB: db, PollInterval: opts.pollInterval, BatchSize: opts.batchSize})
		feed, err = live.StartFeed(ctx, manager, live.FeedConfig{
			DatabaseURL:  dsn,
			Tables:       func() []catalog.QualifiedName { return live.TrackedTables(engine.Snapshot()) },
			ForcePolling: opts.polling,
		})
		if err != nil {
			t.Fatal(err)
		}
	}
	srv := server.New(server.Config{
		Auth:           newAuth(t, authCfg),
		Metadata:       api,
		AdminSecretSet: opts.adminSecret != "",
		Engine:         engine,
		Version:        "v-test",
		EnableConsole:  true,
		Live:           manager,
		WebSocket:      opts.ws,
	})
	ts := httptest.NewServer(srv.Handler())
	t.Cleanup(func() {
		ts.CloseClientConnections()
		ts.Close()
		if feed != nil {
			feed.Close()
			manager.Close()
		}
	})
	count.Store(0)
	return &testServer{URL: ts.URL, roundTrips: &count, inconsistencies: snap.Model.Inconsistencies, engine: engine, live: manager, feed: feed, dsn: dsn}
}

// newAuth returns an Authenticator or fails the test.
func newAuth(t testing.TB, cfg auth.Config) *auth.Authenticator {
	t.Helper()
	a, err := auth.New(context.Background(), cfg)
	if err != nil {
		t.Fatal(err)
	}
	return a
}

// countingTracer counts the round trips a pool makes: each statement sent
// on its own, and each pipelined batch (however many statements it holds).
type countingTracer struct{ n *atomic.Int64 }

func (c countingTracer) TraceQueryStart(ctx context.Context, _ *pgx.Conn, _ pgx.TraceQueryStartData) context.Context {
	c.n.Add(1)
	return ctx
}

func (countingTracer) TraceQueryEnd(context.Context, *pgx.Conn, pgx.TraceQueryEndData) {}

func (c countingTracer) TraceBatchStart(ctx context.Context, _ *pgx.Conn, _ pgx.TraceBatchStartData) context.Context {
	c.n.Add(1)
	return ctx
}

func (countingTracer) TraceBatchQuery(context.Context, *pgx.Conn, pgx.TraceBatchQueryData) {}

func (countingTracer) TraceBatchEnd(context.Context, *pgx.Conn, pgx.TraceBatchEndData) {}

// post sends a body to /v1/graphql and returns the status and body.
func (s *testServer) post(t *testing.T, body string, headers map[string]string) (int, string) {
	t.Helper()
	return s.send(t, http.MethodPost, "/v1/graphql", body, headers)
}

// send sends a request to path and returns the status and body.
func (s *testServer) send(t *testing.T, method, path, body string, headers map[string]string) (int, string) {
	t.Helper()
	req, err := http.NewRequest(method, s.URL+path, strings.NewReader(body))
	if err != nil {
		t.Fatal(err)
	}
	req.Header.Set("Content-Type", "application/json")
	for k, v := range headers {
		req.Header.Set(k, v)
	}
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	out, err := io.ReadAll(resp.Body)
	if err != nil {
		t.Fatal(err)
	}
	return resp.StatusCode, string(out)
}

// queryBody is the JSON body of a GraphQL request with optional variables.
func queryBody(t testing.TB, query string, vars any) string {
	t.Helper()
	body := map[string]any{"query": query}
	if vars != nil {
		body["variables"] = vars
	}
	raw, err := json.Marshal(body)
	if err != nil {
		t.Fatal(err)
	}
	return string(raw)
}

// query posts a GraphQL query with optional variables.
func (s *testServer) query(t *testing.T, query string, vars any) (int, string) {
	t.Helper()
	return s.post(t, queryBody(t, query, vars), nil)
}

// compact removes insignificant whitespace but keeps key order, so that
// comparisons check order as clients see it.
func compact(t *testing.T, s string) string {
	t.Helper()
	var buf bytes.Buffer
	if err := json.Compact(&buf, []byte(s)); err != nil {
		t.Fatalf("response is not JSON: %v\n%s", err, s)
	}
	return buf.String()
}
