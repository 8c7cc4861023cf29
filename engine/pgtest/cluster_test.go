package pgtest

import (
	"context"
	"testing"
	"time"

	"github.com/jackc/pgx/v5"
)

func TestCluster(t *testing.T) {
	c := NewCluster(t, ClusterOptions{WalLevel: "replica"})
	if got := setting(t, c.URL(""), "wal_level"); got != "replica" {
		t.Fatalf("wal_level = %q, want replica", got)
	}
	c.Restart(t)
	if got := setting(t, c.URL("postgres"), "wal_level"); got != "replica" {
		t.Fatalf("after restart, wal_level = %q, want replica", got)
	}
	c.Stop(t)
	ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
	defer cancel()
	if conn, err := pgx.Connect(ctx, c.URL("")); err == nil {
		t.Errorf("connected to a stopped cluster")
		if err := conn.Close(ctx); err != nil {
			t.Error(err)
		}
	}
	c.Start(t)
	if got := setting(t, c.URL(""), "wal_level"); got != "replica" {
		t.Fatalf("after start, wal_level = %q, want replica", got)
	}
}

func setting(t *testing.T, url, name string) string {
	t.Helper()
	ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
	defer cancel()
	conn, err := pgx.Connect(ctx, url)
	if err != nil {
		t.Fatalf("connect: %v", err)
	}
	defer conn.Close(context.Background())
	var v string
	if err := conn.QueryRow(ctx, "SELECT current_setting($1)", name).Scan(&v); err != nil {
		t.Fatalf("current_setting(%s): %v", name, err)
	}
	return v
}
