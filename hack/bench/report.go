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
	Load    loadResult
	// EngineCPU is the engine's CPU time (user + system) over the run.
	EngineCPU time.Duration
	// PostgresCPU is the CPU time of the Postgres backends serving the
	// engine over the run; negative when it could not be read.
	PostgresCPU time.Duration
	// PeakRSS is the engine's VmHWM over the run, in bytes; negative when
	// it could not be read.
	PeakRSS int64
	// PeakSinceStart says PeakRSS is the peak since the engine started
	// (VmHWM could not be reset before the run).
	PeakSinceStart bool
}

// meta is the header of a results file: what was run, where.
type meta struct {
	Fields [][2]string // key, value pairs, in order
}

func (m *meta) add(key, value string) { m.Fields = append(m.Fields, [2]string{key, value}) }

// tableHeader is the results table's header. Keep its columns stable:
// results files from different runs are compared side by side.
const tableHeader = `| query | req/s | p50 ms | p99 ms | engine CPU ms/req | Postgres CPU ms/req | engine peak RSS MiB | requests | non-2xx |
|---|---:|---:|---:|---:|---:|---:|---:|---:|
`

// writeTable writes the results table (markdown) alone.
func writeTable(w io.Writer, rows []row) {
	var b strings.Builder
	b.WriteString(tableHeader)
	for _, r := range rows {
		if r.Pending != "" {
			fmt.Fprintf(&b, "| %s | – | – | – | – | – | – | – | – |\n", r.Name)
			continue
		}
		n := float64(r.Load.Requests)
		perReq := func(d time.Duration) string {
			if d < 0 || n == 0 {
				return "–"
			}
			return fmt.Sprintf("%.3f", float64(d)/float64(time.Millisecond)/n)
		}
		rss := "–"
		if r.PeakRSS >= 0 {
			rss = fmt.Sprintf("%.1f", float64(r.PeakRSS)/(1<<20))
			if r.PeakSinceStart {
				rss += "*"
			}
		}
		fmt.Fprintf(&b, "| %s | %.0f | %.2f | %.2f | %s | %s | %s | %d | %d |\n",
			r.Name, r.Load.ReqPerSec, ms(r.Load.P50), ms(r.Load.P99),
			perReq(r.EngineCPU), perReq(r.PostgresCPU), rss, r.Load.Requests, r.Load.Non2xx)
	}
	io.WriteString(w, b.String())
}

func ms(d time.Duration) float64 { return float64(d) / float64(time.Millisecond) }

// writeReport writes a whole results file: title, run details, the table
// and notes.
func writeReport(w io.Writer, m meta, rows []row) {
	var b strings.Builder
	b.WriteString("# Trellis load benchmark\n\n")
	for _, f := range m.Fields {
		fmt.Fprintf(&b, "- %s: %s\n", f[0], f[1])
	}
	b.WriteString("\n")
	writeTable(&b, rows)
	b.WriteString(`
req/s counts 2xx answers over the measured run. Latencies are the load
tool's, client side. CPU per request is the engine's user + system time
(/proc/<pid>/stat) over the run, divided by the requests answered; the
Postgres column adds up the backends connected to the benchmark database.
Peak RSS is the engine's VmHWM during the run (reset before each run through
/proc/<pid>/clear_refs; a * marks the peak since start, when that failed).
The load tool runs on the same machine and takes CPU from both.
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
