package main

import (
	"fmt"
	"io"
	"strings"
	"time"
)

// row is one measured (or pending) case.
type row struct {
	Name    string
	Pending string // why the case was not measured; the rest is then empty
	Engine  measurement
	Floor   measurement
}

// meta is the header of a results file: what was run, where.
type meta struct {
	Fields [][2]string // key, value pairs, in order
}

func (m *meta) add(key, value string) { m.Fields = append(m.Fields, [2]string{key, value}) }

// tableHeader is the engine's table's header. Keep its columns stable:
// results files from different runs are compared side by side.
const tableHeader = `| query | req/s | p50 ms | p99 ms | engine CPU ms/req | Postgres CPU ms/req | engine peak RSS MiB | requests | non-2xx |
|---|---:|---:|---:|---:|---:|---:|---:|---:|
`

// floorHeader is the floor's table's header: its columns are the engine
// table's, then the engine's requests/s as a share of the floor's.
const floorHeader = `| query | floor req/s | p50 ms | p99 ms | floor CPU ms/req | Postgres CPU ms/req | floor peak RSS MiB | requests | non-2xx | engine ÷ floor req/s |
|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|
`

// writeTable writes the engine's results table (markdown) alone.
func writeTable(w io.Writer, rows []row) {
	var b strings.Builder
	b.WriteString(tableHeader)
	for _, r := range rows {
		if r.Pending != "" {
			fmt.Fprintf(&b, "| %s | – | – | – | – | – | – | – | – |\n", r.Name)
			continue
		}
		fmt.Fprintf(&b, "| %s | %s |\n", r.Name, cells(r.Engine))
	}
	io.WriteString(w, b.String())
}

// writeFloorTable writes the floor's results table (markdown) alone.
func writeFloorTable(w io.Writer, rows []row) {
	var b strings.Builder
	b.WriteString(floorHeader)
	for _, r := range rows {
		if r.Pending != "" {
			fmt.Fprintf(&b, "| %s | – | – | – | – | – | – | – | – | – |\n", r.Name)
			continue
		}
		ratio := "–"
		if r.Floor.Load.ReqPerSec > 0 {
			ratio = fmt.Sprintf("%.2f", r.Engine.Load.ReqPerSec/r.Floor.Load.ReqPerSec)
		}
		fmt.Fprintf(&b, "| %s | %s | %s |\n", r.Name, cells(r.Floor), ratio)
	}
	io.WriteString(w, b.String())
}

// cells formats the columns both tables share, from req/s to non-2xx.
func cells(m measurement) string {
	n := float64(m.Load.Requests)
	perReq := func(d time.Duration) string {
		if d < 0 || n == 0 {
			return "–"
		}
		return fmt.Sprintf("%.3f", float64(d)/float64(time.Millisecond)/n)
	}
	rss := "–"
	if m.PeakRSS >= 0 {
		rss = fmt.Sprintf("%.1f", float64(m.PeakRSS)/(1<<20))
		if m.PeakSinceStart {
			rss += "*"
		}
	}
	return fmt.Sprintf("%.0f | %.2f | %.2f | %s | %s | %s | %d | %d",
		m.Load.ReqPerSec, ms(m.Load.P50), ms(m.Load.P99),
		perReq(m.CPU), perReq(m.PostgresCPU), rss, m.Load.Requests, m.Load.Non2xx)
}

func ms(d time.Duration) float64 { return float64(d) / float64(time.Millisecond) }

// writeReport writes a whole results file: title, run details, the tables
// and notes.
func writeReport(w io.Writer, m meta, rows []row) {
	var b strings.Builder
	b.WriteString("# Trellis load benchmark\n\n")
	for _, f := range m.Fields {
		fmt.Fprintf(&b, "- %s: %s\n", f[0], f[1])
	}
	b.WriteString("\n## Engine\n\n")
	writeTable(&b, rows)
	b.WriteString("\n## Floor\n\n")
	writeFloorTable(&b, rows)
	b.WriteString(`
req/s counts 2xx answers over the measured run. Latencies are the load
tool's, client side. CPU per request is the server's user + system time
(/proc/<pid>/stat) over the run, divided by the requests answered; the
Postgres column adds up the backends of that server's pool (found by
application_name). Peak RSS is the server's VmHWM during the run (reset
before each run through /proc/<pid>/clear_refs; a * marks the peak since
start, when that failed). The load tool runs on the same machine and takes
CPU from the servers and Postgres.

The floor (hack/bench/floor) answers each query with the same JSON as the
engine through one hand-written, prepared statement, with no GraphQL: the
cost no engine can go below. Each query runs against the engine, then right
away against the floor, with the same load and pool size. engine ÷ floor
req/s is the engine's share of the floor's throughput; the target is 0.90
or more.
`)
	var pending []string
	for _, r := range rows {
		if r.Pending != "" {
			pending = append(pending, fmt.Sprintf("- %s: %s", r.Name, r.Pending))
		}
	}
	if len(pending) > 0 {
		b.WriteString("\nNot measured yet:\n\n" + strings.Join(pending, "\n") + "\n")
	}
	io.WriteString(w, b.String())
}
