// Command bench is the load benchmark behind `make bench`: it starts the
// engine on the benchmark data set (hack/bench/dataset.sh), checks every
// query once, then drives each one with bombardier at fixed concurrency
// (a warm-up run, then a measured run), and writes a markdown table of
// requests/s, p50/p99 latency, CPU per request (engine and Postgres) and the
// engine's peak RSS to hack/bench/results/.
//
// hack/bench/run.sh builds the binaries and the data set and calls it; see
// the Benchmarks section of README.md.
package main

import (
	"bytes"
	"context"
	"flag"
	"fmt"
	"net/url"
	"os"
	"os/exec"
	"os/signal"
	"path/filepath"
	"runtime"
	"strings"
	"syscall"
	"time"

	"github.com/jackc/pgx/v5"
)

// options are the command's flags.
type options struct {
	DatabaseURL  string
	MetadataDir  string
	QueriesDir   string
	Trellis      string
	Bombardier   string
	Port         int
	Connections  int
	Duration     time.Duration
	Warmup       time.Duration
	PoolMaxConns int
	OutDir       string
	EngineLog    string
	Only         string
}

func main() {
	var o options
	flag.StringVar(&o.DatabaseURL, "database-url", "", "the benchmark database (hack/bench/dataset.sh prints it)")
	flag.StringVar(&o.MetadataDir, "metadata-dir", "hack/bench/metadata", "metadata directory the engine loads")
	flag.StringVar(&o.QueriesDir, "queries", "hack/bench/queries", "folder of JSON request bodies")
	flag.StringVar(&o.Trellis, "trellis", ".cache/bench/bin/trellis", "the engine binary")
	flag.StringVar(&o.Bombardier, "bombardier", ".cache/bench/bin/bombardier", "the load tool's binary")
	flag.IntVar(&o.Port, "port", 18089, "port the engine listens on (127.0.0.1)")
	flag.IntVar(&o.Connections, "connections", 32, "concurrent connections of the load tool")
	flag.DurationVar(&o.Duration, "duration", 10*time.Second, "length of each measured run")
	flag.DurationVar(&o.Warmup, "warmup", 3*time.Second, "length of the warm-up run before each measured run (0: none)")
	flag.IntVar(&o.PoolMaxConns, "pool-max-conns", 0, "engine's Postgres pool size (pool_max_conns; 0: the engine's default)")
	flag.StringVar(&o.OutDir, "out", "hack/bench/results", "folder for the results file")
	flag.StringVar(&o.EngineLog, "engine-log", ".cache/bench/engine.log", "file for the engine's output")
	flag.StringVar(&o.Only, "only", "", "comma-separated case names to run (default: all)")
	flag.Parse()
	if o.DatabaseURL == "" {
		fmt.Fprintln(os.Stderr, "bench: -database-url is required")
		os.Exit(2)
	}

	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	defer stop()
	if err := run(ctx, o); err != nil {
		fmt.Fprintln(os.Stderr, "bench:", err)
		os.Exit(1)
	}
}

func run(ctx context.Context, o options) error {
	db, err := pgx.Connect(ctx, o.DatabaseURL)
	if err != nil {
		return fmt.Errorf("connecting to the benchmark database: %w", err)
	}
	defer db.Close(context.Background())

	m, err := describeRun(ctx, db, o)
	if err != nil {
		return err
	}
	engineURL, err := withPoolSize(o.DatabaseURL, o.PoolMaxConns)
	if err != nil {
		return err
	}
	if err := os.MkdirAll(filepath.Dir(o.EngineLog), 0o755); err != nil {
		return err
	}
	eng, err := startEngine(ctx, engineConfig{
		Binary: o.Trellis, DatabaseURL: engineURL, MetadataDir: o.MetadataDir,
		Port: o.Port, LogFile: o.EngineLog,
	})
	if err != nil {
		return err
	}
	defer eng.stop()

	selected := selectCases(o.Only)
	// Check every query before any load: a typo should cost seconds, not
	// a whole run.
	for _, c := range selected {
		if c.Pending != "" {
			continue
		}
		if err := checkQuery(ctx, eng.URL, filepath.Join(o.QueriesDir, c.Body)); err != nil {
			return fmt.Errorf("query %s does not answer cleanly: %w", c.Name, err)
		}
	}

	ticks := clockTicks()
	var rows []row
	for _, c := range selected {
		if c.Pending != "" {
			rows = append(rows, row{Name: c.Name, Pending: c.Pending})
			continue
		}
		fmt.Fprintf(os.Stderr, "bench: %s: %s warm-up, %s measured, %d connections\n", c.Name, o.Warmup, o.Duration, o.Connections)
		r, err := measure(ctx, db, eng, ticks, loadSpec{
			Bombardier: o.Bombardier, URL: eng.URL, BodyFile: filepath.Join(o.QueriesDir, c.Body),
			Connections: o.Connections, Duration: o.Duration,
		}, o.Warmup)
		if err != nil {
			return fmt.Errorf("%s: %w", c.Name, err)
		}
		r.Name = c.Name
		rows = append(rows, r)
	}
	return writeResults(o.OutDir, m, rows)
}

// measure runs the warm-up, then the measured run with CPU and memory read
// from /proc before and after it.
func measure(ctx context.Context, db *pgx.Conn, eng *engine, ticks int64, spec loadSpec, warmup time.Duration) (row, error) {
	if warmup > 0 {
		w := spec
		w.Duration = warmup
		if _, err := runLoad(ctx, w); err != nil {
			return row{}, fmt.Errorf("warm-up: %w", err)
		}
	}
	r := row{PeakRSS: -1, PostgresCPU: -1}
	if err := resetPeakRSS(eng.Pid()); err != nil {
		r.PeakSinceStart = true
	}
	backends, pgErr := postgresBackends(ctx, db)
	pgBefore := cpuOfPids(backends, ticks)
	engBefore, err := cpuTime(eng.Pid(), ticks)
	if err != nil {
		return row{}, fmt.Errorf("reading the engine's CPU time: %w", err)
	}

	load, err := runLoad(ctx, spec)
	if err != nil {
		return row{}, err
	}

	engAfter, err := cpuTime(eng.Pid(), ticks)
	if err != nil {
		return row{}, fmt.Errorf("reading the engine's CPU time: %w", err)
	}
	r.Load = load
	r.EngineCPU = engAfter - engBefore
	if rss, err := peakRSS(eng.Pid()); err == nil {
		r.PeakRSS = rss
	}
	// Backends the pool opened during the run count from their start.
	if after, err := postgresBackends(ctx, db); err == nil && pgErr == nil && len(after) > 0 {
		r.PostgresCPU = cpuDelta(pgBefore, cpuOfPids(after, ticks))
	}
	return r, nil
}

// postgresBackends lists the server processes of the other clients of the
// benchmark database (the engine's pool), when they run on this machine.
func postgresBackends(ctx context.Context, db *pgx.Conn) ([]int, error) {
	rows, err := db.Query(ctx, `select pid from pg_stat_activity
		where datname = current_database() and backend_type = 'client backend' and pid <> pg_backend_pid()`)
	if err != nil {
		return nil, err
	}
	pids, err := pgx.CollectRows(rows, pgx.RowTo[int32])
	if err != nil {
		return nil, err
	}
	var local []int
	for _, pid := range pids {
		comm, err := os.ReadFile(fmt.Sprintf("/proc/%d/comm", pid))
		if err == nil && strings.TrimSpace(string(comm)) == "postgres" {
			local = append(local, int(pid))
		}
	}
	return local, nil
}

// selectCases returns the cases named in only (comma-separated), or all.
func selectCases(only string) []benchCase {
	if only == "" {
		return cases
	}
	want := map[string]bool{}
	for _, n := range strings.Split(only, ",") {
		want[strings.TrimSpace(n)] = true
	}
	var out []benchCase
	for _, c := range cases {
		if want[c.Name] {
			out = append(out, c)
		}
	}
	return out
}

// withPoolSize adds pool_max_conns to the engine's database URL (pgxpool
// reads it from there) when n > 0.
func withPoolSize(dbURL string, n int) (string, error) {
	if n <= 0 {
		return dbURL, nil
	}
	u, err := url.Parse(dbURL)
	if err != nil || u.Scheme == "" {
		return "", fmt.Errorf("-pool-max-conns needs a postgres:// URL, not a key=value connection string")
	}
	q := u.Query()
	q.Set("pool_max_conns", fmt.Sprint(n))
	u.RawQuery = q.Encode()
	return u.String(), nil
}

// describeRun gathers the header of the results file.
func describeRun(ctx context.Context, db *pgx.Conn, o options) (meta, error) {
	var m meta
	var pgVersion, fsync, sharedBuffers, dataVersion string
	err := db.QueryRow(ctx, `select current_setting('server_version'), current_setting('fsync'),
		current_setting('shared_buffers')`).Scan(&pgVersion, &fsync, &sharedBuffers)
	if err != nil {
		return m, err
	}
	if err := db.QueryRow(ctx, "select version from bench_meta.data_version").Scan(&dataVersion); err != nil {
		return m, fmt.Errorf("the benchmark database has no data set version (run hack/bench/dataset.sh): %w", err)
	}
	engineVersion, err := exec.Command(o.Trellis, "version").Output()
	if err != nil {
		return m, fmt.Errorf("%s version: %w", o.Trellis, err)
	}
	pool := "engine default"
	if o.PoolMaxConns > 0 {
		pool = fmt.Sprint(o.PoolMaxConns)
	}
	m.add("date", time.Now().UTC().Format("2006-01-02 15:04:05 UTC"))
	m.add("commit", gitDescribe())
	m.add("engine", strings.TrimSpace(string(engineVersion))+", built with "+runtime.Version())
	m.add("machine", fmt.Sprintf("%s, %d CPUs, %s/%s", cpuModel(), runtime.NumCPU(), runtime.GOOS, runtime.GOARCH))
	m.add("postgres", fmt.Sprintf("%s, fsync %s, shared_buffers %s", pgVersion, fsync, sharedBuffers))
	m.add("data set", "hack/bench/dataset.sql version "+dataVersion+": 10 000 users, 100 000 articles, 1 000 000 comments")
	m.add("load", fmt.Sprintf("bombardier, %d connections, %s warm-up then %s measured per query", o.Connections, o.Warmup, o.Duration))
	m.add("engine pool", pool)
	// Other work on the machine skews every number: say how busy it was.
	if avg, err := os.ReadFile("/proc/loadavg"); err == nil {
		m.add("load average before the run", strings.Join(strings.Fields(string(avg))[:3], " "))
	}
	return m, nil
}

// gitDescribe names the commit measured ("unknown" outside a work tree).
func gitDescribe() string {
	out, err := exec.Command("git", "describe", "--always", "--dirty").Output()
	if err != nil {
		return "unknown"
	}
	return strings.TrimSpace(string(out))
}

// cpuModel reads the processor's name from /proc/cpuinfo.
func cpuModel() string {
	raw, err := os.ReadFile("/proc/cpuinfo")
	if err != nil {
		return "unknown CPU"
	}
	for _, line := range strings.Split(string(raw), "\n") {
		if k, v, ok := strings.Cut(line, ":"); ok && strings.TrimSpace(k) == "model name" {
			return strings.TrimSpace(v)
		}
	}
	return "unknown CPU"
}

// writeResults writes the report to <dir>/<UTC time>-<commit>.md and prints
// it.
func writeResults(dir string, m meta, rows []row) error {
	var b bytes.Buffer
	writeReport(&b, m, rows)
	if err := os.MkdirAll(dir, 0o755); err != nil {
		return err
	}
	name := time.Now().UTC().Format("20060102-150405") + "-" + strings.ReplaceAll(gitDescribe(), "/", "_") + ".md"
	path := filepath.Join(dir, name)
	if err := os.WriteFile(path, b.Bytes(), 0o644); err != nil {
		return err
	}
	os.Stdout.Write(b.Bytes())
	fmt.Fprintf(os.Stderr, "bench: results written to %s\n", path)
	return nil
}
