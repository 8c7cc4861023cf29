// Command bench is the load benchmark behind `make bench`: it starts the
// engine and the floor (hack/bench/floor: the same answers from a
// hand-written server, the cost no engine can go below) on the benchmark
// data set (hack/bench/dataset.sh), checks that both answer every query
// alike, then drives each query with bombardier at fixed concurrency (a
// warm-up run, then a measured run), against the engine and then against
// the floor, and writes markdown tables of requests/s, p50/p99 latency, CPU
// per request (server and Postgres), peak RSS and the engine's share of the
// floor's requests/s to hack/bench/results/.
//
// hack/bench/run.sh builds the binaries and the data set and calls it; see
// the Benchmarks section of README.md.
package main

import (
	"bytes"
	"context"
	"flag"
	"fmt"
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
	Floor        string
	Bombardier   string
	Port         int
	FloorPort    int
	Connections  int
	Duration     time.Duration
	Warmup       time.Duration
	PoolMaxConns int
	OutDir       string
	EngineLog    string
	FloorLog     string
	Only         string
}

func main() {
	var o options
	flag.StringVar(&o.DatabaseURL, "database-url", "", "the benchmark database (hack/bench/dataset.sh prints it)")
	flag.StringVar(&o.MetadataDir, "metadata-dir", "hack/bench/metadata", "metadata directory the engine loads")
	flag.StringVar(&o.QueriesDir, "queries", "hack/bench/queries", "folder of JSON request bodies")
	flag.StringVar(&o.Trellis, "trellis", ".cache/bench/bin/trellis", "the engine binary")
	flag.StringVar(&o.Floor, "floor", ".cache/bench/bin/floor", "the floor binary (hack/bench/floor)")
	flag.StringVar(&o.Bombardier, "bombardier", ".cache/bench/bin/bombardier", "the load tool's binary")
	flag.IntVar(&o.Port, "port", 18089, "port the engine listens on (127.0.0.1)")
	flag.IntVar(&o.FloorPort, "floor-port", 18090, "port the floor listens on (127.0.0.1)")
	flag.IntVar(&o.Connections, "connections", 32, "concurrent connections of the load tool")
	flag.DurationVar(&o.Duration, "duration", 10*time.Second, "length of each measured run")
	flag.DurationVar(&o.Warmup, "warmup", 3*time.Second, "length of the warm-up run before each measured run (0: none)")
	// 50 is the engine's own default (trellis serve --pg-connections); it is
	// set explicitly so that the floor gets the same.
	flag.IntVar(&o.PoolMaxConns, "pool-max-conns", 50, "Postgres pool size of the engine and of the floor (pool_max_conns)")
	flag.StringVar(&o.OutDir, "out", "hack/bench/results", "folder for the results file")
	flag.StringVar(&o.EngineLog, "engine-log", ".cache/bench/engine.log", "file for the engine's output")
	flag.StringVar(&o.FloorLog, "floor-log", ".cache/bench/floor.log", "file for the floor's output")
	flag.StringVar(&o.Only, "only", "", "comma-separated case names to run (default: all)")
	flag.Parse()
	if o.DatabaseURL == "" || o.PoolMaxConns < 1 {
		fmt.Fprintln(os.Stderr, "bench: -database-url is required, and -pool-max-conns must be at least 1")
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
	eng, floor, err := startServers(ctx, o)
	if err != nil {
		return err
	}
	defer eng.stop()
	defer floor.stop()

	selected := selectCases(o.Only)
	// Check every query before any load: a typo, or a floor that answers
	// something else than the engine, should cost seconds, not a whole run.
	for _, c := range selected {
		if c.Pending != "" {
			continue
		}
		if err := checkCase(ctx, eng, floor, o.QueriesDir, c); err != nil {
			return fmt.Errorf("query %s: %w", c.Name, err)
		}
	}

	ticks := clockTicks()
	var rows []row
	for _, c := range selected {
		if c.Pending != "" {
			rows = append(rows, row{Name: c.Name, Pending: c.Pending})
			continue
		}
		r := row{Name: c.Name}
		// The engine, then the floor, right after it: the two runs of a
		// case are as close in time as they can be, so that the ratio of
		// their requests/s suffers the least from drift in the machine's
		// load.
		for _, t := range []struct {
			srv *server
			out *measurement
		}{{eng, &r.Engine}, {floor, &r.Floor}} {
			fmt.Fprintf(os.Stderr, "bench: %s, %s: %s warm-up, %s measured, %d connections\n",
				c.Name, t.srv.Name(), o.Warmup, o.Duration, o.Connections)
			*t.out, err = measure(ctx, db, t.srv, ticks, loadSpec{
				Bombardier: o.Bombardier, URL: t.srv.URL(c), BodyFile: filepath.Join(o.QueriesDir, c.Body),
				Connections: o.Connections, Duration: o.Duration,
			}, o.Warmup)
			if err != nil {
				return fmt.Errorf("%s, %s: %w", c.Name, t.srv.Name(), err)
			}
		}
		rows = append(rows, r)
	}
	return writeResults(o.OutDir, m, rows)
}

// startServers starts the engine and the floor, each with a pool of
// o.PoolMaxConns connections to the benchmark database. They run side by
// side for the whole run; the one not under load sits idle.
func startServers(ctx context.Context, o options) (eng, floor *server, err error) {
	engineURL, err := poolURL(o.DatabaseURL, o.PoolMaxConns, engineAppName)
	if err != nil {
		return nil, nil, err
	}
	floorURL, err := poolURL(o.DatabaseURL, o.PoolMaxConns, floorAppName)
	if err != nil {
		return nil, nil, err
	}
	for _, f := range []string{o.EngineLog, o.FloorLog} {
		if err := os.MkdirAll(filepath.Dir(f), 0o755); err != nil {
			return nil, nil, err
		}
	}
	eng, err = startEngine(ctx, engineConfig{
		Binary: o.Trellis, DatabaseURL: engineURL, MetadataDir: o.MetadataDir,
		Port: o.Port, LogFile: o.EngineLog,
	})
	if err != nil {
		return nil, nil, err
	}
	floor, err = startFloor(ctx, floorConfig{
		Binary: o.Floor, DatabaseURL: floorURL, Port: o.FloorPort, LogFile: o.FloorLog,
	})
	if err != nil {
		eng.stop()
		return nil, nil, err
	}
	return eng, floor, nil
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
	m.add("date", time.Now().UTC().Format("2006-01-02 15:04:05 UTC"))
	m.add("commit", gitDescribe())
	m.add("engine", strings.TrimSpace(string(engineVersion))+", built with "+runtime.Version())
	m.add("machine", fmt.Sprintf("%s, %d CPUs, %s/%s", cpuModel(), runtime.NumCPU(), runtime.GOOS, runtime.GOARCH))
	m.add("postgres", fmt.Sprintf("%s, fsync %s, shared_buffers %s", pgVersion, fsync, sharedBuffers))
	m.add("data set", "hack/bench/dataset.sql version "+dataVersion+": 10 000 users, 100 000 articles, 1 000 000 comments")
	m.add("load", fmt.Sprintf("bombardier, %d connections, %s warm-up then %s measured per query", o.Connections, o.Warmup, o.Duration))
	m.add("pool", fmt.Sprintf("%d connections, engine and floor each", o.PoolMaxConns))
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
