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

// TestTableShape pins the results tables' columns: result files from
// different runs are compared line by line.
func TestTableShape(t *testing.T) {
	rows := []row{
		{Name: "by_pk",
			Engine: measurement{Load: loadResult{Requests: 1000, ReqPerSec: 450, P50: 1500 * time.Microsecond, P99: 8 * time.Millisecond},
				CPU: 100 * time.Millisecond, PostgresCPU: -1, PeakRSS: 20 << 20},
			Floor: measurement{Load: loadResult{Requests: 2000, Non2xx: 1, ReqPerSec: 500, P50: time.Millisecond, P99: 4 * time.Millisecond},
				CPU: 100 * time.Millisecond, PostgresCPU: 300 * time.Millisecond, PeakRSS: 10 << 20, PeakSinceStart: true}},
		{Name: "update_by_pk", Pending: "not yet"},
	}
	t.Run("engine", func(t *testing.T) {
		var b strings.Builder
		writeTable(&b, rows)
		want := tableHeader +
			"| by_pk | 450 | 1.50 | 8.00 | 0.100 | – | 20.0 | 1000 | 0 |\n" +
			"| update_by_pk | – | – | – | – | – | – | – | – |\n"
		if b.String() != want {
			t.Errorf("got\n%s\nwant\n%s", b.String(), want)
		}
	})
	t.Run("floor", func(t *testing.T) {
		var b strings.Builder
		writeFloorTable(&b, rows)
		want := floorHeader +
			"| by_pk | 500 | 1.00 | 4.00 | 0.050 | 0.150 | 10.0* | 2000 | 1 | 0.90 |\n" +
			"| update_by_pk | – | – | – | – | – | – | – | – | – |\n"
		if b.String() != want {
			t.Errorf("got\n%s\nwant\n%s", b.String(), want)
		}
	})
}

func TestPoolURL(t *testing.T) {
	got, err := poolURL("postgres://u@h:5432/db?sslmode=disable", 50, floorAppName)
	if err != nil {
		t.Fatal(err)
	}
	if want := "postgres://u@h:5432/db?application_name=trellis-bench-floor&pool_max_conns=50&sslmode=disable"; got != want {
		t.Errorf("got %s, want %s", got, want)
	}
	if _, err := poolURL("host=h dbname=db", 50, floorAppName); err == nil {
		t.Error("no error for a key=value connection string")
	}
}
