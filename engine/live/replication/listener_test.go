package replication

import (
	"context"
	"errors"
	"runtime"
	"testing"
	"time"

	"github.com/jackc/pgx/v5"
	"github.com/trellis-gql/trellis/engine/pgtest"
)

func TestCommitEvents(t *testing.T) {
	dbURL := pgtest.NewDatabase(t)
	conn := connect(t, dbURL)
	exec(t, conn,
		"CREATE TABLE a (id int PRIMARY KEY, v text)",
		"CREATE TABLE b (id int PRIMARY KEY, v text)",
		`CREATE SCHEMA "Other"`,
		`CREATE TABLE "Other"."C c" (id int PRIMARY KEY)`)
	slot := randomName(t, "trellis_t_")
	l := start(t, Config{DatabaseURL: dbURL, Slot: slot})
	other := Table{Schema: "Other", Name: "C c"}

	t.Run("two tables in one transaction", func(t *testing.T) {
		before := time.Now()
		exec(t, conn, "BEGIN", "INSERT INTO b VALUES (1, 'x')", "INSERT INTO a VALUES (1, 'x')",
			"UPDATE b SET v = 'y'", "INSERT INTO a VALUES (2, 'x')", "COMMIT")
		ev := wantCommit(t, l, tbl("a"), tbl("b"))
		if d := ev.CommitTime.Sub(before); d < -time.Minute || d > time.Minute {
			t.Errorf("CommitTime %v is far from %v", ev.CommitTime, before)
		}
	})
	t.Run("rollback emits nothing", func(t *testing.T) {
		exec(t, conn, "BEGIN", "INSERT INTO a VALUES (10, 'x')", "ROLLBACK",
			`INSERT INTO "Other"."C c" VALUES (1)`)
		wantCommit(t, l, other)
	})
	t.Run("update and delete", func(t *testing.T) {
		exec(t, conn, "UPDATE a SET v = 'z' WHERE id = 1")
		exec(t, conn, "DELETE FROM b")
		wantCommit(t, l, tbl("a"))
		wantCommit(t, l, tbl("b"))
	})
	t.Run("no-op statements emit nothing", func(t *testing.T) {
		exec(t, conn, "UPDATE a SET v = 'z' WHERE id = -1", "CREATE TABLE d (id int)", "SELECT 1")
		exec(t, conn, "INSERT INTO b VALUES (3, 'x')")
		wantCommit(t, l, tbl("b"))
	})
	t.Run("truncate", func(t *testing.T) {
		exec(t, conn, `TRUNCATE a, "Other"."C c"`)
		wantCommit(t, l, other, tbl("a"))
		wantQuiet(t, l)
	})
	t.Run("close drops the temporary slot", func(t *testing.T) {
		if !slotExists(t, conn, slot) {
			t.Fatalf("slot %s does not exist while listening", slot)
		}
		var temporary bool
		if err := conn.QueryRow(context.Background(),
			"SELECT temporary FROM pg_replication_slots WHERE slot_name = $1", slot).Scan(&temporary); err != nil {
			t.Fatal(err)
		}
		if !temporary {
			t.Errorf("slot %s is not temporary", slot)
		}
		if err := l.Close(); err != nil {
			t.Fatalf("Close: %v", err)
		}
		wantClosed(t, l)
		eventually(t, "slot dropped", func() bool { return !slotExists(t, conn, slot) })
	})
}

func TestResyncAfterTerminate(t *testing.T) {
	dbURL := pgtest.NewDatabase(t)
	conn := connect(t, dbURL)
	exec(t, conn, "CREATE TABLE a (id int)")
	slot := randomName(t, "trellis_t_")
	l := start(t, Config{DatabaseURL: dbURL, Slot: slot})
	exec(t, conn, "INSERT INTO a VALUES (1)")
	wantCommit(t, l, tbl("a"))

	var terminated bool
	err := conn.QueryRow(context.Background(),
		"SELECT pg_terminate_backend(active_pid) FROM pg_replication_slots WHERE slot_name = $1", slot).Scan(&terminated)
	if err != nil || !terminated {
		t.Fatalf("terminate walsender: %v %v", terminated, err)
	}
	wantResync(t, l)
	exec(t, conn, "INSERT INTO a VALUES (2)")
	wantCommit(t, l, tbl("a"))
	if !slotExists(t, conn, slot) {
		t.Errorf("slot %s not recreated", slot)
	}
}

func TestNonSuperuser(t *testing.T) {
	role, withRole := newRole(t, "REPLICATION")
	dbURL := pgtest.NewDatabase(t)
	admin := connect(t, dbURL)
	ident := pgx.Identifier{role}.Sanitize()
	dbName := admin.Config().Database
	exec(t, admin,
		"CREATE TABLE a (id int)", `CREATE TABLE "B b" (id int)`, "CREATE TABLE c (id int)",
		"CREATE VIEW v AS SELECT * FROM a",
		"ALTER TABLE a OWNER TO "+ident, `ALTER TABLE "B b" OWNER TO `+ident,
		"GRANT CREATE ON DATABASE "+pgx.Identifier{dbName}.Sanitize()+" TO "+ident)
	bb := Table{Schema: "public", Name: "B b"}
	cfg := Config{DatabaseURL: withRole(dbURL)}
	l := start(t, cfg, tbl("a"), tbl("missing"), tbl("v"))

	pubTables := func() []Table {
		t.Helper()
		got, err := publicationTables(context.Background(), admin, DefaultPublication)
		if err != nil {
			t.Fatal(err)
		}
		return got
	}
	if got := pubTables(); len(got) != 1 || got[0] != tbl("a") {
		t.Fatalf("publication tables = %v, want [a]", got)
	}
	exec(t, admin, "INSERT INTO c VALUES (1)", `INSERT INTO "B b" VALUES (1)`, "INSERT INTO a VALUES (1)")
	wantCommit(t, l, tbl("a"))

	if err := l.SetTables(testCtx(t), []Table{bb, tbl("missing")}); err != nil {
		t.Fatalf("SetTables: %v", err)
	}
	if got := pubTables(); len(got) != 1 || got[0] != bb {
		t.Fatalf("publication tables = %v, want [B b]", got)
	}
	exec(t, admin, "INSERT INTO a VALUES (2)", `INSERT INTO "B b" VALUES (2)`)
	wantCommit(t, l, bb)

	if err := l.SetTables(testCtx(t), nil); err != nil {
		t.Fatalf("SetTables(nil): %v", err)
	}
	if got := pubTables(); len(got) != 0 {
		t.Fatalf("publication tables = %v, want none", got)
	}
	exec(t, admin, "INSERT INTO a VALUES (3)", `INSERT INTO "B b" VALUES (3)`)
	wantQuiet(t, l)

	if err := l.SetTables(testCtx(t), []Table{tbl("c")}); err == nil {
		t.Errorf("SetTables of a table the role does not own: no error")
	}
}

func TestUnavailableWithoutReplicationRole(t *testing.T) {
	_, withRole := newRole(t, "NOREPLICATION")
	dbURL := pgtest.NewDatabase(t)
	_, err := Start(testCtx(t), Config{DatabaseURL: withRole(dbURL)}, nil)
	if !errors.Is(err, ErrUnavailable) {
		t.Fatalf("Start: %v, want ErrUnavailable", err)
	}
}

func TestOrdinaryErrors(t *testing.T) {
	for name, cfg := range map[string]Config{
		"no URL":           {},
		"bad slot":         {DatabaseURL: "postgres://127.0.0.1:1/x", Slot: "Bad-Slot"},
		"bad publication":  {DatabaseURL: "postgres://127.0.0.1:1/x", Publication: "p'; DROP"},
		"server not there": {DatabaseURL: "postgres://postgres@127.0.0.1:1/x?connect_timeout=5"},
	} {
		t.Run(name, func(t *testing.T) {
			_, err := Start(testCtx(t), cfg, nil)
			if err == nil || errors.Is(err, ErrUnavailable) {
				t.Fatalf("Start: %v, want an ordinary error", err)
			}
		})
	}
}

func TestNoGoroutineLeak(t *testing.T) {
	dbURL := pgtest.NewDatabase(t)
	conn := connect(t, dbURL)
	exec(t, conn, "CREATE TABLE a (id int)")

	t.Run("Close", func(t *testing.T) {
		before := runtime.NumGoroutine()
		l, err := Start(testCtx(t), Config{DatabaseURL: dbURL, StandbyInterval: time.Second}, nil)
		if err != nil {
			t.Fatal(err)
		}
		exec(t, conn, "INSERT INTO a VALUES (1)")
		wantCommit(t, l, tbl("a"))
		// Leave events unread: Close must not wait for a consumer.
		exec(t, conn, "INSERT INTO a VALUES (2)", "INSERT INTO a VALUES (3)")
		if err := l.Close(); err != nil {
			t.Fatal(err)
		}
		if err := l.Close(); err != nil {
			t.Fatalf("second Close: %v", err)
		}
		wantClosed(t, l)
		wantGoroutines(t, before)
	})
	t.Run("context", func(t *testing.T) {
		before := runtime.NumGoroutine()
		ctx, cancel := context.WithCancel(context.Background())
		defer cancel()
		l, err := Start(ctx, Config{DatabaseURL: dbURL, StandbyInterval: time.Second}, nil)
		if err != nil {
			t.Fatal(err)
		}
		exec(t, conn, "INSERT INTO a VALUES (4)")
		wantCommit(t, l, tbl("a"))
		cancel()
		wantClosed(t, l)
		wantGoroutines(t, before)
	})
}

func TestPermanentSlot(t *testing.T) {
	dbURL := pgtest.NewDatabase(t)
	conn := connect(t, dbURL)
	exec(t, conn, "CREATE TABLE a (id int)")
	slot := randomName(t, "trellis_t_")
	t.Cleanup(func() {
		// The walsender of the last Close may still be exiting.
		eventually(t, "drop slot", func() bool {
			_, err := conn.Exec(context.Background(), `SELECT pg_drop_replication_slot(slot_name)
				FROM pg_replication_slots WHERE slot_name = $1 AND NOT active`, slot)
			if err != nil {
				t.Fatalf("drop slot: %v", err)
			}
			return !slotExists(t, conn, slot)
		})
	})
	cfg := Config{DatabaseURL: dbURL, Slot: slot, Permanent: true}
	l := start(t, cfg)
	exec(t, conn, "INSERT INTO a VALUES (1)")
	first := wantCommit(t, l, tbl("a"))
	if err := l.Close(); err != nil {
		t.Fatal(err)
	}
	eventually(t, "slot released", func() bool {
		var active bool
		err := conn.QueryRow(context.Background(),
			"SELECT active FROM pg_replication_slots WHERE slot_name = $1", slot).Scan(&active)
		if err != nil {
			t.Fatalf("slot %s after Close: %v", slot, err)
		}
		return !active
	})

	// A change made while away is replayed by the reused slot, and only it:
	// Close confirmed the first one.
	exec(t, conn, "INSERT INTO a VALUES (2)")
	l = start(t, cfg)
	if ev := wantCommit(t, l, tbl("a")); ev.LSN <= first.LSN {
		t.Fatalf("replayed commit at %v, not after %v", ev.LSN, first.LSN)
	}
	wantQuiet(t, l)
}
