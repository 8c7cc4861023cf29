// Command fanout is the live-query fan-out benchmark behind `make
// bench-fanout`: for each (subscribers, queries) combination it starts the
// engine on a fresh counters table, opens graphql-transport-ws connections
// carrying the subscriptions (about 100 per connection), commits updates
// at a fixed rate from one connection and measures how fast each change
// reaches the subscribers that read it, how many statements the engine
// runs per change and when idle (pg_stat_database.xact_commit), the
// engine's memory per idle subscriber and its CPU per commit. It writes a
// markdown table to hack/bench/results/.
//
// hack/bench/fanout.sh creates the database, builds the engine and calls
// it; see its header for the settings.
package main

import (
	"context"
	"flag"
	"fmt"
	"os"
	"os/signal"
	"strconv"
	"strings"
	"syscall"
	"time"
)

// options are the command's flags.
type options struct {
	DatabaseURL string
	Trellis     string
	Port        int
	Subscribers []int
	Queries     []int
	Rate        float64
	Duration    time.Duration
	PerConn     int
	Mode        string
	Settle      time.Duration
	Idle        time.Duration
	Grace       time.Duration
	WorkDir     string
	OutDir      string
}

func main() {
	var o options
	var subs, queries string
	flag.StringVar(&o.DatabaseURL, "database-url", "", "the benchmark database (emptied: the counters table is created afresh)")
	flag.StringVar(&o.Trellis, "trellis", ".cache/bench/bin/trellis", "the engine binary")
	flag.IntVar(&o.Port, "port", 18091, "port the engine listens on (127.0.0.1)")
	flag.StringVar(&subs, "subscribers", "100,1000,10000", "comma-separated subscriber counts")
	flag.StringVar(&queries, "queries", "10,100", "comma-separated counts of distinct queries (one row each)")
	flag.Float64Var(&o.Rate, "rate", 20, "commits per second of the writer")
	flag.DurationVar(&o.Duration, "duration", 10*time.Second, "length of the write phase of each combination")
	flag.IntVar(&o.PerConn, "per-connection", 100, "subscriptions per WebSocket connection")
	flag.StringVar(&o.Mode, "mode", modeLiteral, "literal: query k written in the text (one cohort per query); variables: one text, $id varies (one cohort)")
	// PostgreSQL 15 and later keep a backend's counters up to 10 s
	// (PGSTAT_IDLE_INTERVAL) before they reach pg_stat_database.
	flag.DurationVar(&o.Settle, "stats-settle", 10500*time.Millisecond, "wait after subscribing, for the engine's statistics to reach pg_stat_database")
	flag.DurationVar(&o.Idle, "idle", 2*time.Second, "length of the idle window (no writes) whose statements are counted")
	flag.DurationVar(&o.Grace, "grace", 3*time.Second, "longest wait after the last commit for its deliveries")
	flag.StringVar(&o.WorkDir, "work-dir", ".cache/bench/fanout", "folder for the metadata and the engine's log")
	flag.StringVar(&o.OutDir, "out", "hack/bench/results", "folder for the results file")
	flag.Parse()
	var err error
	if o.Subscribers, err = parseCounts(subs); err == nil {
		o.Queries, err = parseCounts(queries)
	}
	if err == nil && (o.DatabaseURL == "" || o.Rate <= 0 || o.PerConn < 1 || (o.Mode != modeLiteral && o.Mode != modeVariables)) {
		err = fmt.Errorf("-database-url is required; -rate and -per-connection must be positive; -mode is literal or variables")
	}
	if err != nil {
		fmt.Fprintln(os.Stderr, "fanout:", err)
		os.Exit(2)
	}

	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	defer stop()
	if err := run(ctx, o); err != nil {
		fmt.Fprintln(os.Stderr, "fanout:", err)
		os.Exit(1)
	}
}

// parseCounts reads a comma-separated list of positive integers.
func parseCounts(s string) ([]int, error) {
	var out []int
	for _, f := range strings.Split(s, ",") {
		n, err := strconv.Atoi(strings.TrimSpace(f))
		if err != nil || n < 1 {
			return nil, fmt.Errorf("%q is not a list of positive integers", s)
		}
		out = append(out, n)
	}
	return out, nil
}

func run(ctx context.Context, o options) error {
	db, err := newMonitor(ctx, o.DatabaseURL)
	if err != nil {
		return err
	}
	defer db.close()
	m, err := describeRun(ctx, db, o)
	if err != nil {
		return err
	}
	if err := writeMetadata(o.WorkDir); err != nil {
		return err
	}
	var rows []result
	for _, n := range o.Subscribers {
		for _, q := range o.Queries {
			if ctx.Err() != nil {
				return ctx.Err()
			}
			if err := db.resetCounters(ctx, q); err != nil {
				return err
			}
			logf("%d subscribers over %d queries (%s): subscribing", n, q, o.Mode)
			r, err := runCombination(ctx, db, o, n, q)
			if err != nil {
				return fmt.Errorf("%d subscribers, %d queries: %w", n, q, err)
			}
			logf("%d subscribers over %d queries: p50 %.1f ms, p99 %.1f ms, %.1f statements per change",
				n, q, r.Latency.P50, r.Latency.P99, r.StmtsPerChange)
			rows = append(rows, r)
		}
	}
	return writeResults(o.OutDir, m, rows)
}

func logf(format string, args ...any) {
	fmt.Fprintf(os.Stderr, "fanout: "+format+"\n", args...)
}
