package main

import (
	"strings"
	"testing"
	"time"
)

func TestSummarise(t *testing.T) {
	msList := func(vs ...int) []time.Duration {
		var out []time.Duration
		for _, v := range vs {
			out = append(out, time.Duration(v)*time.Millisecond)
		}
		return out
	}
	hundred := make([]int, 100)
	for i := range hundred {
		hundred[i] = 100 - i // unsorted on purpose
	}
	for _, tc := range []struct {
		name          string
		in            []time.Duration
		p50, p99, max float64
	}{
		{"one", msList(7), 7, 7, 7},
		{"two", msList(9, 1), 1, 9, 9},
		{"odd", msList(5, 1, 3), 3, 5, 5},
		{"hundred", msList(hundred...), 50, 99, 100},
	} {
		t.Run(tc.name, func(t *testing.T) {
			got := summarise(tc.in)
			if got.P50 != tc.p50 || got.P99 != tc.p99 || got.Max != tc.max || got.N != len(tc.in) {
				t.Errorf("summarise = %+v, want p50 %v p99 %v max %v n %d", got, tc.p50, tc.p99, tc.max, len(tc.in))
			}
		})
	}
}

func TestSubscribersOf(t *testing.T) {
	for _, tc := range []struct {
		name        string
		id, n, q, w int
	}{
		{"even", 3, 100, 10, 10},
		{"remainder first rows", 1, 105, 10, 11},
		{"remainder last rows", 10, 105, 10, 10},
		{"more rows than subscribers", 7, 5, 10, 0},
	} {
		t.Run(tc.name, func(t *testing.T) {
			if got := subscribersOf(tc.id, tc.n, tc.q); got != tc.w {
				t.Errorf("subscribersOf(%d, %d, %d) = %d, want %d", tc.id, tc.n, tc.q, got, tc.w)
			}
		})
	}
}

func TestExpectedStatements(t *testing.T) {
	for _, tc := range []struct {
		name    string
		mode    string
		n, q, w int
	}{
		{"literal, small cohorts", modeLiteral, 1000, 100, 100},
		{"literal, big cohorts", modeLiteral, 10000, 10, 100},
		{"literal, fewer subscribers than rows", modeLiteral, 5, 10, 5},
		{"variables", modeVariables, 10000, 100, 100},
		{"variables, one batch", modeVariables, 50, 10, 1},
	} {
		t.Run(tc.name, func(t *testing.T) {
			if got := expectedStatements(tc.mode, tc.n, tc.q); got != tc.w {
				t.Errorf("expectedStatements = %d, want %d", got, tc.w)
			}
		})
	}
}

func TestAnalyse(t *testing.T) {
	t0 := time.Unix(1000, 0)
	at := func(ms int) time.Time { return t0.Add(time.Duration(ms) * time.Millisecond) }
	// 4 subscribers over 2 rows: 0 and 2 read row 1, 1 and 3 read row 2.
	p := phases{
		RSSBefore: 1000, RSSIdle: 5000, PeakRSS: 1 << 20,
		X0: reading{Commits: 100, Own: 10}, X1: reading{Commits: 102, Own: 12},
		X2: reading{Commits: 110, Own: 14}, WriterStmts: 2,
		Commits: []commit{
			{ID: 1, Value: 1, Sent: at(0), Returned: at(1)},
			{ID: 2, Value: 1, Sent: at(50), Returned: at(51)},
		},
		CPU: 10 * time.Millisecond, Wall: 100 * time.Millisecond,
		Deliveries: []delivery{
			{Sub: 0, ID: 1, Value: 1, At: at(3)},
			{Sub: 2, ID: 1, Value: 1, At: at(5)},
			{Sub: 2, ID: 1, Value: 1, At: at(6)},  // duplicate
			{Sub: 1, ID: 2, Value: 1, At: at(61)}, // subscriber 3 gets nothing: missing
			{Sub: 1, ID: 2, Value: 7, At: at(70)}, // no such commit: stray
		},
	}
	r := analyse(modeLiteral, 4, 2, p)
	want := result{
		Subscribers: 4, Queries: 2, Cohorts: 2, Commits: 2,
		Expected: 4, Received: 5, Missing: 1, Duplicate: 1, Stray: 1,
		Latency:   latencies{P50: 4, P99: 10, Max: 10, N: 3},
		CommitRTT: 1, StmtsPerChange: 2, ExpectedStmts: 2, IdleStmts: 0,
		BytesPerSub: 1000, CPUPerCommit: 5, CPUShare: 10, PeakRSS: 1 << 20,
	}
	if r != want {
		t.Errorf("analyse =\n%+v\nwant\n%+v", r, want)
	}
	var b strings.Builder
	writeTable(&b, []result{r})
	row := "| 4 | 2 | 2 | 2 | 4 | 5 | 1 | 1 | 1 | 4.0 | 10.0 | 10.0 | 1.0 | 2.0 | 2 | 0 | 1000 | 5.00 | 10 | 1.0 |\n"
	if !strings.HasSuffix(b.String(), row) {
		t.Errorf("table ends\n%s\nwant\n%s", b.String(), row)
	}
}

func TestParseStatus(t *testing.T) {
	rss, hwm, err := parseStatus([]byte("Name:\ttrellis\nVmHWM:\t   2048 kB\nVmRSS:\t   1024 kB\n"))
	if err != nil || rss != 1<<20 || hwm != 2<<20 {
		t.Errorf("parseStatus = %d, %d, %v", rss, hwm, err)
	}
	if _, _, err := parseStatus([]byte("Name:\ttrellis\n")); err == nil {
		t.Error("parseStatus of a status without the lines succeeded")
	}
}
