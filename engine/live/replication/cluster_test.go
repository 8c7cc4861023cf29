package replication

import (
	"errors"
	"log/slog"
	"strings"
	"testing"
	"time"

	"github.com/trellis-gql/trellis/engine/pgtest"
)

func TestRestartedServer(t *testing.T) {
	c := pgtest.NewCluster(t, pgtest.ClusterOptions{})
	dbURL := c.URL("postgres")
	exec(t, connect(t, dbURL), "CREATE TABLE a (id int)")
	logs := &logRecorder{}
	l := start(t, Config{DatabaseURL: dbURL, StandbyInterval: time.Second, Logger: slog.New(logs)})
	exec(t, connect(t, dbURL), "INSERT INTO a VALUES (1)")
	wantCommit(t, l, tbl("a"))

	c.Restart(t)
	wantResync(t, l)
	exec(t, connect(t, dbURL), "INSERT INTO a VALUES (2)")
	wantCommit(t, l, tbl("a"))

	if n := logs.count("INFO replication reconnected"); n != 1 {
		t.Errorf("%d recoveries logged, want 1", n)
	}

	// Down for a few attempts: each is logged, and the listener keeps trying.
	c.Stop(t)
	eventually(t, "three failed attempts", func() bool { return logs.count("WARN replication reconnect failed") >= 3 })
	c.Start(t)
	wantResync(t, l)
	if n := logs.count("WARN replication connection lost"); n != 2 {
		t.Errorf("%d connection losses logged, want 2", n)
	}
	exec(t, connect(t, dbURL), "INSERT INTO a VALUES (3)")
	wantCommit(t, l, tbl("a"))
}

func TestUnavailableWalLevel(t *testing.T) {
	c := pgtest.NewCluster(t, pgtest.ClusterOptions{WalLevel: "replica"})
	_, err := Start(testCtx(t), Config{DatabaseURL: c.URL("")}, nil)
	if !errors.Is(err, ErrUnavailable) || !strings.Contains(err.Error(), "wal_level") {
		t.Fatalf("Start: %v, want ErrUnavailable about wal_level", err)
	}
}
