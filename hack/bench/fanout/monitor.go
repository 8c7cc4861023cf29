package main

import (
	"context"
	"fmt"
	"os"
	"os/exec"
	"runtime"
	"strings"
	"time"

	"github.com/jackc/pgx/v5"
)

// monitor is the benchmark's own connection: it sets the table up and
// reads the database's commit counter.
//
// Every statement is one implicit transaction, so one commit in
// pg_stat_database.xact_commit; n counts them, so that the monitor's own
// commits can be taken out of a delta. Each reading first runs
// pg_stat_force_next_flush() (PostgreSQL 15 and later), so that the
// monitor's commits up to that statement are in the counter it reads.
type monitor struct {
	conn  *pgx.Conn
	n     int64
	force bool // pg_stat_force_next_flush exists
}

// reading is xact_commit at one moment, with the monitor's commits that
// it includes.
type reading struct {
	Commits, Own int64
}

func newMonitor(ctx context.Context, dbURL string) (*monitor, error) {
	cfg, err := pgx.ParseConfig(dbURL)
	if err != nil {
		return nil, err
	}
	// One Query message per statement: no separate prepare round trip,
	// which would be one more transaction.
	cfg.DefaultQueryExecMode = pgx.QueryExecModeSimpleProtocol
	conn, err := pgx.ConnectConfig(ctx, cfg)
	if err != nil {
		return nil, fmt.Errorf("connecting to the benchmark database: %w", err)
	}
	m := &monitor{conn: conn}
	var ok bool
	m.n++
	if err := conn.QueryRow(ctx, "select to_regproc('pg_stat_force_next_flush') is not null").Scan(&ok); err != nil {
		conn.Close(ctx)
		return nil, err
	}
	m.force = ok
	return m, nil
}

func (m *monitor) close() { m.conn.Close(context.Background()) }

// exec runs one statement, counting it.
func (m *monitor) exec(ctx context.Context, sql string, args ...any) error {
	m.n++
	_, err := m.conn.Exec(ctx, sql, args...)
	return err
}

// read reads xact_commit of the database.
func (m *monitor) read(ctx context.Context) (reading, error) {
	if m.force {
		if err := m.exec(ctx, "select pg_stat_force_next_flush()"); err != nil {
			return reading{}, err
		}
	}
	own := m.n
	var r reading
	m.n++
	err := m.conn.QueryRow(ctx, "select xact_commit from pg_stat_database where datname = current_database()").Scan(&r.Commits)
	r.Own = own
	return r, err
}

// since returns the commits between two readings that are not the
// monitor's.
func (r reading) since(before reading) int64 {
	return (r.Commits - before.Commits) - (r.Own - before.Own)
}

// resetCounters creates the counters table afresh with rows 1..q.
func (m *monitor) resetCounters(ctx context.Context, q int) error {
	for _, sql := range []string{
		"drop table if exists counters",
		"create table counters (id int primary key, value bigint not null, changed_at timestamptz)",
	} {
		if err := m.exec(ctx, sql); err != nil {
			return err
		}
	}
	return m.exec(ctx, "insert into counters (id, value) select g, 0 from generate_series(1, $1::int) g", q)
}

// waitBackendsGone waits until no other backend is connected to the
// database (the engine's have exited: an exiting backend writes its
// pending statistics).
func (m *monitor) waitBackendsGone(ctx context.Context) error {
	deadline := time.Now().Add(15 * time.Second)
	for {
		var n int
		m.n++
		err := m.conn.QueryRow(ctx, `select count(*) from pg_stat_activity
			where datname = current_database() and pid <> pg_backend_pid()`).Scan(&n)
		if err != nil || n == 0 {
			return err
		}
		if time.Now().After(deadline) {
			return fmt.Errorf("%d backends still connected to the database 15 s after the engine stopped", n)
		}
		time.Sleep(20 * time.Millisecond)
	}
}

// meta is the header of a results file: what was run, where.
type meta struct {
	Fields [][2]string // key, value pairs, in order
}

func (m *meta) add(key, value string) { m.Fields = append(m.Fields, [2]string{key, value}) }

// describeRun gathers the header of the results file.
func describeRun(ctx context.Context, db *monitor, o options) (meta, error) {
	var m meta
	var pgVersion, walLevel, fsync, syncCommit, walWriter string
	db.n++
	err := db.conn.QueryRow(ctx, `select current_setting('server_version'), current_setting('wal_level'),
		current_setting('fsync'), current_setting('synchronous_commit'), current_setting('wal_writer_delay')`).
		Scan(&pgVersion, &walLevel, &fsync, &syncCommit, &walWriter)
	if err != nil {
		return m, err
	}
	if walLevel != "logical" {
		logf("warning: wal_level is %s, not logical: the engine polls instead of following the change feed", walLevel)
	}
	engineVersion, err := exec.Command(o.Trellis, "version").Output()
	if err != nil {
		return m, fmt.Errorf("%s version: %w", o.Trellis, err)
	}
	m.add("date", time.Now().UTC().Format("2006-01-02 15:04:05 UTC"))
	m.add("commit", gitDescribe())
	m.add("engine", strings.TrimSpace(string(engineVersion))+", built with "+runtime.Version())
	m.add("machine", fmt.Sprintf("%s, %d CPUs, %s/%s", cpuModel(), runtime.NumCPU(), runtime.GOOS, runtime.GOARCH))
	m.add("postgres", fmt.Sprintf("%s, wal_level %s, fsync %s, synchronous_commit %s (the writer sets on), wal_writer_delay %s",
		pgVersion, walLevel, fsync, syncCommit, walWriter))
	m.add("load", fmt.Sprintf("%.0f commits/s for %s per combination, %d subscriptions per connection, graphql-transport-ws, mode %s",
		o.Rate, o.Duration, o.PerConn, o.Mode))
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
