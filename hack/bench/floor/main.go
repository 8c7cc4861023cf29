// Command floor is the load benchmark's floor: a hand-written server that
// answers the benchmark's requests with no GraphQL at all, so that what it
// costs is what any engine must pay at least.
//
// It serves one POST endpoint per benchmark case (/by_pk, /list_20, …, the
// names of hack/bench/cases.go). Each reads the variables it needs from the
// same JSON body the engine gets, runs one hand-written statement (the
// statements.go table) through a pgx pool, and writes the JSON that
// Postgres built, envelope included, to the response untouched. pgx's
// default statement cache prepares each statement once per connection, as
// it does for the engine.
//
// hack/bench starts it next to the engine with the same database URL, pool
// size included (pool_max_conns); see the Benchmarks section of README.md.
package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"net/http"
	"os"
	"os/signal"
	"syscall"
	"time"

	"github.com/jackc/pgx/v5/pgxpool"
)

// maxBody caps a request body; the benchmark's are well under 1 KiB.
const maxBody = 1 << 20

func main() {
	dbURL := flag.String("database-url", "", "the benchmark database; pool_max_conns in it sizes the pool")
	addr := flag.String("listen", "127.0.0.1:18090", "address to serve on")
	flag.Parse()
	if *dbURL == "" {
		fmt.Fprintln(os.Stderr, "floor: -database-url is required")
		os.Exit(2)
	}
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	defer stop()
	if err := run(ctx, *dbURL, *addr); err != nil {
		fmt.Fprintln(os.Stderr, "floor:", err)
		os.Exit(1)
	}
}

// run serves until ctx is cancelled.
func run(ctx context.Context, dbURL, addr string) error {
	pool, err := openPool(ctx, dbURL)
	if err != nil {
		return err
	}
	defer pool.Close()

	srv := &http.Server{Addr: addr, Handler: newMux(pool), ReadHeaderTimeout: 10 * time.Second}
	errc := make(chan error, 1)
	go func() { errc <- srv.ListenAndServe() }()
	select {
	case err := <-errc:
		return err
	case <-ctx.Done():
	}
	shutdownCtx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
	defer cancel()
	return srv.Shutdown(shutdownCtx)
}

// openPool connects the pool the way the engine does (engine/exec.Open):
// timestamps come out in UTC unless the URL picks a zone, so that both
// answer the same bytes.
func openPool(ctx context.Context, dbURL string) (*pgxpool.Pool, error) {
	pc, err := pgxpool.ParseConfig(dbURL)
	if err != nil {
		return nil, fmt.Errorf("parsing the database URL: %w", err)
	}
	if _, set := pc.ConnConfig.RuntimeParams["timezone"]; !set {
		pc.ConnConfig.RuntimeParams["timezone"] = "UTC"
	}
	pool, err := pgxpool.NewWithConfig(ctx, pc)
	if err != nil {
		return nil, fmt.Errorf("connecting to the database: %w", err)
	}
	if err := pool.Ping(ctx); err != nil {
		pool.Close()
		return nil, fmt.Errorf("connecting to the database: %w", err)
	}
	return pool, nil
}

// newMux routes POST /<case> to its statement, and GET /healthz (which the
// bench runner polls before it starts) to a plain 200.
func newMux(pool *pgxpool.Pool) *http.ServeMux {
	mux := http.NewServeMux()
	mux.HandleFunc("GET /healthz", func(w http.ResponseWriter, _ *http.Request) { w.WriteHeader(http.StatusOK) })
	for _, ep := range endpoints {
		mux.Handle("POST /"+ep.Name, handler(pool, ep))
	}
	return mux
}

// handler answers one endpoint: decode the variables, run the statement,
// write the one JSON value it returns.
func handler(pool *pgxpool.Pool, ep endpoint) http.HandlerFunc {
	return func(w http.ResponseWriter, r *http.Request) {
		args, err := ep.Args(http.MaxBytesReader(w, r.Body, maxBody))
		if err != nil {
			http.Error(w, "reading the variables: "+err.Error(), http.StatusBadRequest)
			return
		}
		answer, err := queryJSON(r.Context(), pool, ep.SQL, args)
		if err != nil {
			http.Error(w, err.Error(), http.StatusInternalServerError)
			return
		}
		w.Header().Set("Content-Type", "application/json; charset=utf-8")
		w.Write(answer) // a failed write is the client's hang-up: nothing to do
	}
}

// queryJSON runs a statement returning one row of one json column and
// returns that column's bytes as Postgres sent them.
func queryJSON(ctx context.Context, pool *pgxpool.Pool, sql string, args []any) ([]byte, error) {
	rows, err := pool.Query(ctx, sql, args...)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	if !rows.Next() {
		if err := rows.Err(); err != nil {
			return nil, err
		}
		return nil, errors.New("the statement returned no row")
	}
	// RawValues point into the connection's buffer: copy before Close, and
	// answer only once the statement has completed without an error (a
	// mutation could still fail after its row was sent).
	answer := append([]byte(nil), rows.RawValues()[0]...)
	rows.Close()
	if err := rows.Err(); err != nil {
		return nil, err
	}
	return answer, nil
}
