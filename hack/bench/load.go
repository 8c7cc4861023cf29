package main

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"os/exec"
	"strings"
	"time"
)

// loadResult is what one load run measured on the client side.
type loadResult struct {
	Requests  int64   // answered requests, any status
	Non2xx    int64   // answers other than 2xx, and transport errors
	Seconds   float64 // wall time of the run
	P50, P99  time.Duration
	ReqPerSec float64
}

// bombardierReport is the part of bombardier's `-o json` output we read.
// Latencies are in microseconds.
type bombardierReport struct {
	Result struct {
		TimeTakenSeconds float64 `json:"timeTakenSeconds"`
		Req1xx           int64   `json:"req1xx"`
		Req2xx           int64   `json:"req2xx"`
		Req3xx           int64   `json:"req3xx"`
		Req4xx           int64   `json:"req4xx"`
		Req5xx           int64   `json:"req5xx"`
		Others           int64   `json:"others"`
		Latency          struct {
			Percentiles map[string]float64 `json:"percentiles"`
		} `json:"latency"`
	} `json:"result"`
}

// loadSpec is one run of the load tool.
type loadSpec struct {
	Bombardier  string        // path of the bombardier binary
	URL         string        // where the requests go
	BodyFile    string        // JSON request body
	Connections int           // fixed concurrency
	Duration    time.Duration // how long to run
}

// runLoad runs bombardier once and parses its report.
func runLoad(ctx context.Context, s loadSpec) (loadResult, error) {
	cmd := exec.CommandContext(ctx, s.Bombardier,
		"--connections", fmt.Sprint(s.Connections),
		"--duration", s.Duration.String(),
		"--timeout", "10s",
		"--latencies",
		"--method", "POST",
		"--header", "Content-Type: application/json",
		"--body-file", s.BodyFile,
		"--format", "json",
		"--print", "result",
		s.URL)
	var stderr bytes.Buffer
	cmd.Stderr = &stderr
	out, err := cmd.Output()
	if err != nil {
		return loadResult{}, fmt.Errorf("bombardier: %w: %s", err, strings.TrimSpace(stderr.String()))
	}
	return parseBombardier(out)
}

// parseBombardier turns bombardier's JSON report into a loadResult.
func parseBombardier(out []byte) (loadResult, error) {
	var rep bombardierReport
	if err := json.Unmarshal(out, &rep); err != nil {
		return loadResult{}, fmt.Errorf("reading bombardier's report: %w", err)
	}
	r := rep.Result
	res := loadResult{
		Requests: r.Req1xx + r.Req2xx + r.Req3xx + r.Req4xx + r.Req5xx,
		Non2xx:   r.Req1xx + r.Req3xx + r.Req4xx + r.Req5xx + r.Others,
		Seconds:  r.TimeTakenSeconds,
	}
	p50, ok50 := r.Latency.Percentiles["50"]
	p99, ok99 := r.Latency.Percentiles["99"]
	if !ok50 || !ok99 || res.Seconds <= 0 {
		return loadResult{}, fmt.Errorf("bombardier's report has no latency percentiles or duration")
	}
	res.P50 = time.Duration(p50 * float64(time.Microsecond))
	res.P99 = time.Duration(p99 * float64(time.Microsecond))
	res.ReqPerSec = float64(r.Req2xx) / res.Seconds
	return res, nil
}
