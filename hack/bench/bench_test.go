package main

import (
	"strings"
	"testing"
	"time"
)

func TestParseCPUTime(t *testing.T) {
	// A command name with a space and a parenthesis, as comm may have.
	stat := "4242 (trel lis) S 1 4242 4242 0 -1 4194560 1 0 0 0 250 70 0 0 20 0 9 0 100 0 0\n"
	got, err := parseCPUTime([]byte(stat), 100)
	if err != nil {
		t.Fatal(err)
	}
	if want := 3200 * time.Millisecond; got != want {
		t.Errorf("got %v, want %v", got, want)
	}
	if _, err := parseCPUTime([]byte("garbage"), 100); err == nil {
		t.Error("no error for a malformed line")
	}
}

func TestParseVmHWM(t *testing.T) {
	status := "Name:\ttrellis\nVmPeak:\t  900000 kB\nVmHWM:\t   23456 kB\nVmRSS:\t   20000 kB\n"
	got, err := parseVmHWM([]byte(status))
	if err != nil {
		t.Fatal(err)
	}
	if want := int64(23456 * 1024); got != want {
		t.Errorf("got %d, want %d", got, want)
	}
}

func TestParseBombardier(t *testing.T) {
	out := `{"spec":{},"result":{"timeTakenSeconds":2,"req1xx":0,"req2xx":1000,"req3xx":0,"req4xx":0,"req5xx":10,"others":5,
		"latency":{"mean":2000,"percentiles":{"50":1500,"99":8000}}}}`
	got, err := parseBombardier([]byte(out))
	if err != nil {
		t.Fatal(err)
	}
	want := loadResult{Requests: 1010, Non2xx: 15, Seconds: 2, P50: 1500 * time.Microsecond, P99: 8 * time.Millisecond, ReqPerSec: 500}
	if got != want {
		t.Errorf("got %+v, want %+v", got, want)
	}
}

// TestTableShape pins the results table's columns: result files from
// different runs are compared line by line.
func TestTableShape(t *testing.T) {
	var b strings.Builder
	writeTable(&b, []row{
		{Name: "by_pk", Load: loadResult{Requests: 1000, ReqPerSec: 500, P50: 1500 * time.Microsecond, P99: 8 * time.Millisecond},
			EngineCPU: 100 * time.Millisecond, PostgresCPU: -1, PeakRSS: 20 << 20},
		{Name: "update_by_pk", Pending: "not yet"},
	})
	want := tableHeader +
		"| by_pk | 500 | 1.50 | 8.00 | 0.100 | – | 20.0 | 1000 | 0 |\n" +
		"| update_by_pk | – | – | – | – | – | – | – | – |\n"
	if b.String() != want {
		t.Errorf("got\n%s\nwant\n%s", b.String(), want)
	}
}
