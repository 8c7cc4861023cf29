package pgtest

import (
	"context"
	"testing"
	"time"

	"github.com/jackc/pgx/v5"
)

func TestNewDatabase(t *testing.T) {
	dbURL := NewDatabase(t)
	ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
	defer cancel()
	conn, err := pgx.Connect(ctx, dbURL)
	if err != nil {
		t.Fatalf("connect to %s: %v", dbURL, err)
	}
	defer conn.Close(context.Background())

	var one int
	if err := conn.QueryRow(ctx, "select 1").Scan(&one); err != nil || one != 1 {
		t.Fatalf("select 1 = %d, %v", one, err)
	}
	var name string
	if err := conn.QueryRow(ctx, "select current_database()").Scan(&name); err != nil {
		t.Fatal(err)
	}
	if name == "postgres" {
		t.Fatalf("connected to the maintenance database, not a new one")
	}
	t.Logf("server source: %s", server.source)
	if server.source == sourceHack || server.source == sourceDocker {
		var walLevel string
		if err := conn.QueryRow(ctx, "SHOW wal_level").Scan(&walLevel); err != nil {
			t.Fatal(err)
		}
		if walLevel != "logical" {
			t.Errorf("wal_level = %q, want logical (source %s)", walLevel, server.source)
		}
	}
}

func TestNewDatabaseDropped(t *testing.T) {
	var names []string
	t.Run("create", func(t *testing.T) {
		for range 2 {
			cfg, err := pgx.ParseConfig(NewDatabase(t))
			if err != nil {
				t.Fatal(err)
			}
			names = append(names, cfg.Database)
		}
	})
	if len(names) != 2 || names[0] == names[1] {
		t.Fatalf("database names %q, want two distinct", names)
	}
	ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
	defer cancel()
	conn, err := pgx.Connect(ctx, ServerURL(t))
	if err != nil {
		t.Fatal(err)
	}
	defer conn.Close(context.Background())
	var n int
	if err := conn.QueryRow(ctx, "select count(*) from pg_database where datname = any($1)", names).Scan(&n); err != nil {
		t.Fatal(err)
	}
	if n != 0 {
		t.Errorf("%d of %q still exist after the test ended", n, names)
	}
}

func TestWithDatabase(t *testing.T) {
	tests := []struct {
		name, in, want string
	}{
		{"url", "postgres://postgres@127.0.0.1:55432/postgres?sslmode=disable",
			"postgres://postgres@127.0.0.1:55432/x_1?sslmode=disable"},
		{"url without path", "postgresql://u:p@h:5432", "postgresql://u:p@h:5432/x_1"},
		{"keyword/value", "host=h port=5 dbname=postgres", "host=h port=5 dbname=postgres dbname=x_1"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got, err := withDatabase(tt.in, "x_1")
			if err != nil {
				t.Fatal(err)
			}
			if got != tt.want {
				t.Errorf("withDatabase(%q) = %q, want %q", tt.in, got, tt.want)
			}
			cfg, err := pgx.ParseConfig(got)
			if err != nil {
				t.Fatal(err)
			}
			if cfg.Database != "x_1" {
				t.Errorf("database = %q, want x_1", cfg.Database)
			}
		})
	}
}
