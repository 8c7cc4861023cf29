package main

import (
	"bytes"
	"fmt"
	"io"
	"math"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"time"
)

// engineBatchSize is the engine's default
// --live-queries-multiplexed-batch-size: subscribers per statement.
const engineBatchSize = 100

// result is one combination's row of the table.
type result struct {
	Subscribers, Queries, Cohorts int
	Commits                       int
	Expected, Received            int64 // deliveries
	Missing, Duplicate, Stray     int64 // Stray: matches no commit of that subscriber's row
	Latency                       latencies
	CommitRTT                     float64 // p50 of Exec's round trip, ms
	StmtsPerChange                float64
	ExpectedStmts                 int // statements one change should cost: batches of the cohorts refetched
	IdleStmts                     int64
	BytesPerSub                   float64
	CPUPerCommit                  float64 // ms
	CPUShare                      float64 // % of one core
	PeakRSS                       int64
}

// latencies summarises delivery latencies, in milliseconds.
type latencies struct {
	P50, P99, Max float64
	N             int
}

// summarise computes p50, p99 and max (nearest rank) of ds.
func summarise(ds []time.Duration) latencies {
	if len(ds) == 0 {
		return latencies{P50: math.NaN(), P99: math.NaN(), Max: math.NaN()}
	}
	s := slices.Clone(ds)
	slices.Sort(s)
	return latencies{P50: ms(percentile(s, 0.50)), P99: ms(percentile(s, 0.99)), Max: ms(s[len(s)-1]), N: len(s)}
}

// percentile returns the nearest-rank q-quantile of sorted, non-empty s.
func percentile(s []time.Duration, q float64) time.Duration {
	i := int(math.Ceil(q*float64(len(s)))) - 1
	return s[max(0, min(i, len(s)-1))]
}

func ms(d time.Duration) float64 { return float64(d) / float64(time.Millisecond) }

// key names a row's value: (id, value).
type key struct {
	ID    int32
	Value int64
}

// analyse turns the observations of a combination into its row.
func analyse(mode string, n, q int, p phases) result {
	r := result{Subscribers: n, Queries: q, Cohorts: min(n, q), Commits: len(p.Commits), IdleStmts: p.X1.since(p.X0)}
	if mode == modeVariables {
		r.Cohorts = 1
	}
	r.ExpectedStmts = expectedStatements(mode, n, q)
	commits := make(map[key]commit, len(p.Commits))
	rtts := make([]time.Duration, 0, len(p.Commits))
	for _, c := range p.Commits {
		commits[key{c.ID, c.Value}] = c
		rtts = append(rtts, c.Returned.Sub(c.Sent))
		r.Expected += int64(subscribersOf(int(c.ID), n, q))
	}
	r.CommitRTT = summarise(rtts).P50
	type got struct {
		Sub   int32
		Value int64
	}
	seen := make(map[got]bool, len(p.Deliveries))
	var lat []time.Duration
	for _, d := range p.Deliveries {
		r.Received++
		c, ok := commits[key{d.ID, d.Value}]
		if !ok || int(d.ID) != int(d.Sub)%q+1 {
			r.Stray++
			continue
		}
		if seen[got{d.Sub, d.Value}] {
			r.Duplicate++
			continue
		}
		seen[got{d.Sub, d.Value}] = true
		lat = append(lat, d.At.Sub(c.Returned))
	}
	r.Missing = r.Expected - int64(len(lat))
	r.Latency = summarise(lat)
	if r.Commits > 0 {
		stmts := p.X2.since(p.X1) - int64(p.WriterStmts)
		r.StmtsPerChange = float64(stmts) / float64(r.Commits)
		r.CPUPerCommit = ms(p.CPU) / float64(r.Commits)
	}
	if p.Wall > 0 {
		r.CPUShare = 100 * float64(p.CPU) / float64(p.Wall)
	}
	r.BytesPerSub = float64(p.RSSIdle-p.RSSBefore) / float64(n)
	r.PeakRSS = p.PeakRSS
	return r
}

// expectedStatements is what one change should cost if the engine
// refetched only what reads the table, batch by batch: every cohort over
// the counters table, one statement per engineBatchSize subscribers.
func expectedStatements(mode string, n, q int) int {
	if mode == modeVariables {
		return ceilDiv(n, engineBatchSize)
	}
	total := 0
	for id := 1; id <= min(n, q); id++ {
		total += ceilDiv(subscribersOf(id, n, q), engineBatchSize)
	}
	return total
}

func ceilDiv(a, b int) int { return (a + b - 1) / b }

// tableHeader is the results table's header. Keep its columns stable:
// results files from different runs are compared side by side.
const tableHeader = `| subscribers | queries | cohorts | commits | deliveries expected | received | missing | duplicate | stray | p50 ms | p99 ms | max ms | commit ms | statements/change | refetch batches/change | idle statements | bytes/idle subscriber | engine CPU ms/commit | engine CPU % core | peak RSS MiB |
|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|
`

// writeTable writes the results table (markdown).
func writeTable(w io.Writer, rows []result) {
	var b strings.Builder
	b.WriteString(tableHeader)
	for _, r := range rows {
		fmt.Fprintf(&b, "| %d | %d | %d | %d | %d | %d | %d | %d | %d | %.1f | %.1f | %.1f | %.1f | %.1f | %d | %d | %.0f | %.2f | %.0f | %.1f |\n",
			r.Subscribers, r.Queries, r.Cohorts, r.Commits, r.Expected, r.Received, r.Missing, r.Duplicate, r.Stray,
			r.Latency.P50, r.Latency.P99, r.Latency.Max, r.CommitRTT, r.StmtsPerChange, r.ExpectedStmts, r.IdleStmts,
			r.BytesPerSub, r.CPUPerCommit, r.CPUShare, float64(r.PeakRSS)/(1<<20))
	}
	io.WriteString(w, b.String())
}

// writeReport writes a whole results file: title, run details, the table
// and notes.
func writeReport(w io.Writer, m meta, rows []result) {
	var b strings.Builder
	b.WriteString("# Trellis live-query fan-out benchmark\n\n")
	for _, f := range m.Fields {
		fmt.Fprintf(&b, "- %s: %s\n", f[0], f[1])
	}
	b.WriteString("\n")
	writeTable(&b, rows)
	b.WriteString(`
Each combination runs on a freshly started engine: subscriber i reads row
i % queries + 1 of counters, and one connection commits one update per
tick, cycling over the rows. A delivery is a ` + "`next`" + ` after a
subscriber's first; each commit should reach exactly the subscribers of its
row, once. Latency is the delivery's receive time minus the time the
writer's Exec returned; commit ms is the p50 of the Exec round trip itself.
Stray deliveries match no commit of the subscriber's row (a push with
nothing changed, or another row's result).

Statements/change is pg_stat_database.xact_commit over the write phase,
less the writer's and the benchmark's own commits, divided by the commits;
each engine refetch is one statement in an implicit transaction, and pool
pings count too. The engine's connections are closed before the final
reading, so that their statistics are flushed. Refetch batches/change is
what a change costs if the engine refetches every cohort that reads the
changed table, one statement per 100 subscribers (the default batch size);
the ideal, refetching only the cohort of the changed row, is one batch per
100 subscribers of that row. Idle statements are counted over the idle
window (no writes) after subscribing; the target is 0.

Bytes/idle subscriber is the engine's VmRSS after subscribing and settling,
less its VmRSS before (after one warm-up query), divided by the
subscribers; the target is under 10 KB. Engine CPU is user + system time
from /proc/<pid>/stat over the write phase and the wait for its last
deliveries. Peak RSS is VmHWM since the engine started. The client,
Postgres and the engine share the machine.
`)
	io.WriteString(w, b.String())
}

// writeResults writes the report to <dir>/<UTC time>-<commit>-fanout.md
// and prints it.
func writeResults(dir string, m meta, rows []result) error {
	var b bytes.Buffer
	writeReport(&b, m, rows)
	if err := os.MkdirAll(dir, 0o755); err != nil {
		return err
	}
	name := time.Now().UTC().Format("20060102-150405") + "-" + strings.ReplaceAll(gitDescribe(), "/", "_") + "-fanout.md"
	path := filepath.Join(dir, name)
	if err := os.WriteFile(path, b.Bytes(), 0o644); err != nil {
		return err
	}
	os.Stdout.Write(b.Bytes())
	fmt.Fprintf(os.Stderr, "fanout: results written to %s\n", path)
	return nil
}
