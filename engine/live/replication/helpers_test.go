package replication

import (
	"context"
	"crypto/rand"
	"encoding/hex"
	"log/slog"
	"net/url"
	"reflect"
	"runtime"
	"sync"
	"testing"
	"time"

	"github.com/jackc/pgx/v5"
	"github.com/trellis-gql/trellis/engine/pgtest"
)

// eventTimeout is how long a test waits for an event that must come.
const eventTimeout = 10 * time.Second

// quietWait is how long a test waits to see that nothing comes.
const quietWait = 300 * time.Millisecond

// testCtx returns a context that ends with the test, at the latest after
// a minute.
func testCtx(t *testing.T) context.Context {
	ctx, cancel := context.WithTimeout(context.Background(), time.Minute)
	t.Cleanup(cancel)
	return ctx
}

// connect opens a connection closed when the test ends.
func connect(t *testing.T, dsn string) *pgx.Conn {
	t.Helper()
	ctx, cancel := context.WithTimeout(context.Background(), eventTimeout)
	defer cancel()
	conn, err := pgx.Connect(ctx, dsn)
	if err != nil {
		t.Fatalf("connect: %v", err)
	}
	t.Cleanup(func() {
		if err := conn.Close(context.Background()); err != nil {
			t.Errorf("close: %v", err)
		}
	})
	return conn
}

// exec runs each statement, failing the test on error.
func exec(t *testing.T, conn *pgx.Conn, sqls ...string) {
	t.Helper()
	ctx, cancel := context.WithTimeout(context.Background(), eventTimeout)
	defer cancel()
	for _, sql := range sqls {
		if _, err := conn.Exec(ctx, sql); err != nil {
			t.Fatalf("%s: %v", sql, err)
		}
	}
}

// start starts a Listener that is closed when the test ends.
func start(t *testing.T, cfg Config, tables ...Table) *Listener {
	t.Helper()
	if cfg.StandbyInterval == 0 {
		cfg.StandbyInterval = time.Second
	}
	if cfg.MaxBackoff == 0 {
		cfg.MinBackoff, cfg.MaxBackoff = 20*time.Millisecond, 500*time.Millisecond
	}
	l, err := Start(testCtx(t), cfg, tables)
	if err != nil {
		t.Fatalf("Start: %v", err)
	}
	t.Cleanup(func() {
		if err := l.Close(); err != nil {
			t.Errorf("Close: %v", err)
		}
	})
	return l
}

// next returns the next event, failing the test when none comes in time or
// the channel is closed.
func next(t *testing.T, l *Listener) Event {
	t.Helper()
	select {
	case ev, ok := <-l.Events():
		if !ok {
			t.Fatal("Events closed")
		}
		return ev
	case <-time.After(eventTimeout):
		t.Fatalf("no event within %v", eventTimeout)
	}
	return Event{}
}

// wantCommit fails the test unless the next event is a Commit of exactly tables.
func wantCommit(t *testing.T, l *Listener, tables ...Table) Event {
	t.Helper()
	ev := next(t, l)
	if ev.Kind != Commit || !reflect.DeepEqual(ev.Tables, tables) {
		t.Fatalf("event = %v %v, want commit %v", ev.Kind, ev.Tables, tables)
	}
	if ev.LSN == 0 || ev.CommitTime.IsZero() {
		t.Fatalf("commit event without LSN or time: %+v", ev)
	}
	return ev
}

// wantResync fails the test unless the next event is a Resync.
func wantResync(t *testing.T, l *Listener) {
	t.Helper()
	if ev := next(t, l); ev.Kind != Resync || len(ev.Tables) != 0 {
		t.Fatalf("event = %v %v, want resync", ev.Kind, ev.Tables)
	}
}

// wantQuiet fails the test when an event comes within quietWait.
func wantQuiet(t *testing.T, l *Listener) {
	t.Helper()
	select {
	case ev := <-l.Events():
		t.Fatalf("unexpected event %v %v", ev.Kind, ev.Tables)
	case <-time.After(quietWait):
	}
}

// wantClosed fails the test unless Events is closed within eventTimeout
// (events still buffered are discarded).
func wantClosed(t *testing.T, l *Listener) {
	t.Helper()
	deadline := time.After(eventTimeout)
	for {
		select {
		case _, ok := <-l.Events():
			if !ok {
				return
			}
		case <-deadline:
			t.Fatal("Events not closed")
		}
	}
}

// slotExists reports whether the replication slot exists.
func slotExists(t *testing.T, conn *pgx.Conn, slot string) bool {
	t.Helper()
	var n int
	err := conn.QueryRow(context.Background(),
		"SELECT count(*) FROM pg_replication_slots WHERE slot_name = $1", slot).Scan(&n)
	if err != nil {
		t.Fatalf("pg_replication_slots: %v", err)
	}
	return n > 0
}

// eventually fails the test unless cond holds within eventTimeout.
func eventually(t *testing.T, what string, cond func() bool) {
	t.Helper()
	for deadline := time.Now().Add(eventTimeout); !cond(); {
		if time.Now().After(deadline) {
			t.Fatalf("%s: not within %v", what, eventTimeout)
		}
		time.Sleep(20 * time.Millisecond)
	}
}

// wantGoroutines fails the test unless the number of goroutines falls back
// to at most before.
func wantGoroutines(t *testing.T, before int) {
	t.Helper()
	var now int
	for deadline := time.Now().Add(eventTimeout); ; {
		if now = runtime.NumGoroutine(); now <= before {
			return
		}
		if time.Now().After(deadline) {
			buf := make([]byte, 1<<16)
			t.Fatalf("%d goroutines, %d before:\n%s", now, before, buf[:runtime.Stack(buf, true)])
		}
		time.Sleep(20 * time.Millisecond)
	}
}

// randomName returns prefix followed by random hex.
func randomName(t *testing.T, prefix string) string {
	var b [6]byte
	if _, err := rand.Read(b[:]); err != nil {
		t.Fatal(err)
	}
	return prefix + hex.EncodeToString(b[:])
}

// newRole creates a login role with attrs (e.g. "REPLICATION") on the test
// server, dropped when the test ends, and returns dbURL with that role's
// credentials. Call it before pgtest.NewDatabase, so that the database (and
// what the role owns in it) is dropped first.
func newRole(t *testing.T, attrs string) (name string, withRole func(dbURL string) string) {
	t.Helper()
	name = randomName(t, "trellis_t_role_")
	password := randomName(t, "pw")
	admin := connect(t, pgtest.ServerURL(t))
	ident := pgx.Identifier{name}.Sanitize()
	// A password cannot be a parameter of CREATE ROLE; this one is hex.
	exec(t, admin, "CREATE ROLE "+ident+" LOGIN "+attrs+" PASSWORD '"+password+"'")
	t.Cleanup(func() {
		if _, err := admin.Exec(context.Background(), "DROP ROLE IF EXISTS "+ident); err != nil {
			t.Errorf("drop role %s: %v", name, err)
		}
	})
	return name, func(dbURL string) string {
		u, err := url.Parse(dbURL)
		if err != nil {
			t.Fatalf("parse %s: %v", dbURL, err)
		}
		u.User = url.UserPassword(name, password)
		return u.String()
	}
}

func tbl(name string) Table { return Table{Schema: "public", Name: name} }

// logRecorder is a slog.Handler that keeps the level and message of every
// record.
type logRecorder struct {
	mu      sync.Mutex
	records []string // "LEVEL message"
}

func (r *logRecorder) Enabled(context.Context, slog.Level) bool { return true }
func (r *logRecorder) WithAttrs([]slog.Attr) slog.Handler       { return r }
func (r *logRecorder) WithGroup(string) slog.Handler            { return r }
func (r *logRecorder) Handle(_ context.Context, rec slog.Record) error {
	r.mu.Lock()
	defer r.mu.Unlock()
	r.records = append(r.records, rec.Level.String()+" "+rec.Message)
	return nil
}

// count returns how many records read "LEVEL message".
func (r *logRecorder) count(record string) int {
	r.mu.Lock()
	defer r.mu.Unlock()
	n := 0
	for _, got := range r.records {
		if got == record {
			n++
		}
	}
	return n
}
