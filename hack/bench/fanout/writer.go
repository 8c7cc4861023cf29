package main

import (
	"context"
	"fmt"
	"time"

	"github.com/jackc/pgx/v5"
)

// commit is one committed update: row ID reached Value; Sent is when the
// statement was sent, Returned when Exec returned (the commit is durable
// and visible then).
type commit struct {
	ID       int32
	Value    int64
	Sent     time.Time
	Returned time.Time
}

// writer commits the updates, one implicit transaction each.
type writer struct {
	conn *pgx.Conn
}

const bumpSQL = "update counters set value = value + 1, changed_at = now() where id = $1 returning value"

// newWriter connects, turns synchronous_commit on and prepares the update,
// then flushes its statistics: from then on each update is exactly one
// commit in pg_stat_database.
func newWriter(ctx context.Context, dbURL string, force bool) (*writer, error) {
	conn, err := pgx.Connect(ctx, dbURL)
	if err != nil {
		return nil, fmt.Errorf("writer: %w", err)
	}
	w := &writer{conn: conn}
	if _, err := conn.Exec(ctx, "set synchronous_commit = on"); err != nil {
		w.close()
		return nil, fmt.Errorf("writer: %w", err)
	}
	if _, err := conn.Prepare(ctx, "bump", bumpSQL); err != nil {
		w.close()
		return nil, fmt.Errorf("writer: %w", err)
	}
	if force {
		if _, err := conn.Exec(ctx, "select pg_stat_force_next_flush()"); err != nil {
			w.close()
			return nil, fmt.Errorf("writer: %w", err)
		}
	}
	return w, nil
}

// run commits at rate per second for d, cycling over ids 1..q. It
// returns the commits and how many statements it sent.
func (w *writer) run(ctx context.Context, rate float64, d time.Duration, q int) ([]commit, int, error) {
	interval := time.Duration(float64(time.Second) / rate)
	tick := time.NewTicker(interval)
	defer tick.Stop()
	stop := time.After(d)
	var out []commit
	sent := 0
	for next := 0; ; next++ {
		id := int32(next%q + 1)
		c := commit{ID: id, Sent: time.Now()}
		sent++
		if err := w.conn.QueryRow(ctx, "bump", id).Scan(&c.Value); err != nil {
			return out, sent, fmt.Errorf("writer: %w", err)
		}
		c.Returned = time.Now()
		out = append(out, c)
		select {
		case <-ctx.Done():
			return out, sent, ctx.Err()
		case <-stop:
			return out, sent, nil
		case <-tick.C:
		}
	}
}

func (w *writer) close() { w.conn.Close(context.Background()) }
