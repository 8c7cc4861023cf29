package main

import (
	"context"
	"net"
	"net/url"
	"os"
	"os/exec"
	"path/filepath"
	"testing"

	"github.com/jackc/pgx/v5"
)

// TestFloorAnswersLikeTheEngine builds the engine and the floor, starts
// both on the benchmark data set as the runner does, and checks that they
// answer every case with the same JSON (checkCase). It runs the two
// mutations once each: they write the values a benchmark run writes, so
// the data set is left as a run leaves it.
//
// The database is TRELLIS_BENCH_DATABASE_URL, else the trellis_bench
// database next to TRELLIS_TEST_DATABASE_URL's; the test is skipped unless
// it holds the data set (hack/bench/dataset.sh loads it).
func TestFloorAnswersLikeTheEngine(t *testing.T) {
	if testing.Short() {
		t.Skip("builds the engine and needs the benchmark data set")
	}
	ctx := context.Background()
	dbURL := benchDatabaseURL(t)
	goBin, err := exec.LookPath("go")
	if err != nil {
		t.Skip("no go command to build the engine with")
	}
	dir := t.TempDir()
	for bin, pkg := range map[string]string{"trellis": "../../cmd/trellis", "floor": "./floor"} {
		if out, err := exec.Command(goBin, "build", "-o", filepath.Join(dir, bin), pkg).CombinedOutput(); err != nil {
			t.Fatalf("building %s: %v\n%s", pkg, err, out)
		}
	}

	o := options{
		DatabaseURL: dbURL, MetadataDir: "metadata", QueriesDir: "queries",
		Trellis: filepath.Join(dir, "trellis"), Floor: filepath.Join(dir, "floor"),
		Port: freePort(t), FloorPort: freePort(t), PoolMaxConns: 4,
		EngineLog: filepath.Join(dir, "engine.log"), FloorLog: filepath.Join(dir, "floor.log"),
	}
	eng, floor, err := startServers(ctx, o)
	if err != nil {
		t.Fatal(err)
	}
	defer eng.stop()
	defer floor.stop()
	for _, c := range cases {
		t.Run(c.Name, func(t *testing.T) {
			if c.Pending != "" {
				t.Skip(c.Pending)
			}
			if err := checkCase(ctx, eng, floor, o.QueriesDir, c); err != nil {
				t.Error(err)
			}
		})
	}
}

// benchDatabaseURL finds the benchmark database, or skips the test.
func benchDatabaseURL(t *testing.T) string {
	t.Helper()
	dbURL := os.Getenv("TRELLIS_BENCH_DATABASE_URL")
	if dbURL == "" {
		test := os.Getenv("TRELLIS_TEST_DATABASE_URL")
		u, err := url.Parse(test)
		if test == "" || err != nil || u.Scheme == "" {
			t.Skip("set TRELLIS_BENCH_DATABASE_URL, or TRELLIS_TEST_DATABASE_URL as a postgres:// URL")
		}
		u.Path = "/trellis_bench"
		dbURL = u.String()
	}
	db, err := pgx.Connect(context.Background(), dbURL)
	if err != nil {
		t.Skipf("no benchmark database (hack/bench/dataset.sh makes it): %v", err)
	}
	defer db.Close(context.Background())
	var version string
	if err := db.QueryRow(context.Background(), "select version from bench_meta.data_version").Scan(&version); err != nil {
		t.Skipf("the benchmark data set is not loaded (hack/bench/dataset.sh loads it): %v", err)
	}
	return dbURL
}

// freePort asks the kernel for a free port on 127.0.0.1.
func freePort(t *testing.T) int {
	t.Helper()
	l, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	defer l.Close()
	return l.Addr().(*net.TCPAddr).Port
}
