package replication

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"slices"
	"sync"
	"time"

	"github.com/jackc/pgx/v5"
)

// eventBuffer is the capacity of the Events channel, and the number of
// pending events beyond it before commits start to merge.
const eventBuffer = 64

// attemptTimeout bounds one reconnect attempt (connect, publication, slot).
const attemptTimeout = 30 * time.Second

// Listener streams change events from one replication slot. Create it with
// Start; stop it with Close or by ending Start's ctx.
type Listener struct {
	cfg    Config
	log    *slog.Logger
	q      *queue
	out    chan Event
	cancel context.CancelFunc
	wg     sync.WaitGroup

	mu     sync.Mutex
	tables []Table // the tracked tables, for a publication created on reconnect
}

// Start checks that logical replication is usable, creates or updates the
// publication for tables (FOR ALL TABLES when the role is superuser),
// creates the slot and starts streaming. When logical replication cannot be
// used the error wraps ErrUnavailable. The Listener runs until ctx ends or
// Close is called.
func Start(ctx context.Context, cfg Config, tables []Table) (*Listener, error) {
	cfg, err := cfg.withDefaults()
	if err != nil {
		return nil, err
	}
	tables = slices.Clone(tables)
	if err := prepare(ctx, cfg, tables, syncPublication); err != nil {
		return nil, err
	}
	s, err := openStream(ctx, cfg)
	if err != nil {
		return nil, err
	}
	runCtx, cancel := context.WithCancel(ctx)
	l := &Listener{
		cfg:    cfg,
		log:    cfg.Logger.With("component", "replication", "slot", cfg.Slot),
		q:      newQueue(eventBuffer),
		out:    make(chan Event, eventBuffer),
		cancel: cancel,
		tables: tables,
	}
	l.wg.Add(2)
	go func() {
		defer l.wg.Done()
		l.run(runCtx, s)
	}()
	go func() {
		defer l.wg.Done()
		l.q.feed(runCtx, l.out)
	}()
	return l, nil
}

// Events returns the stream of events. It is closed when Start's ctx ends
// or Close is called.
func (l *Listener) Events() <-chan Event { return l.out }

// SetTables makes the publication follow the tracked tables after a
// metadata reload: tables that do not exist, and views, are skipped (pass
// the BaseTables of a view). A FOR ALL TABLES publication is left as it is.
// Calls must not overlap.
func (l *Listener) SetTables(ctx context.Context, tables []Table) error {
	tables = slices.Clone(tables)
	l.mu.Lock()
	l.tables = tables
	l.mu.Unlock()
	return prepare(ctx, l.cfg, tables, syncPublication)
}

// Close stops the Listener: every goroutine has returned when it returns,
// the Events channel is closed and a temporary slot is dropped (by closing
// its connection). It is safe to call more than once.
func (l *Listener) Close() error {
	l.cancel()
	l.wg.Wait()
	return nil
}

// publicationFunc is syncPublication or ensurePublication.
type publicationFunc func(ctx context.Context, conn *pgx.Conn, name string, super bool, tables []Table) error

// prepare checks availability and sets up the publication with pub, on a
// short-lived ordinary connection.
func prepare(ctx context.Context, cfg Config, tables []Table, pub publicationFunc) (err error) {
	conn, err := connectSQL(ctx, cfg.DatabaseURL)
	if err != nil {
		return err
	}
	defer func() {
		cctx, cancel := context.WithTimeout(context.WithoutCancel(ctx), closeTimeout)
		defer cancel()
		if cerr := conn.Close(cctx); cerr != nil {
			err = errors.Join(err, fmt.Errorf("replication: close: %w", cerr))
		}
	}()
	r, err := checkAvailable(ctx, conn)
	if err != nil {
		return err
	}
	return pub(ctx, conn, cfg.Publication, r.super, tables)
}

// run is the reader: it owns the stream, and replaces it after a failure.
func (l *Listener) run(ctx context.Context, s *stream) {
	for {
		err := s.run(ctx, l.q)
		if ctx.Err() != nil {
			// Confirm what was queued, so that a permanent slot resumes
			// after it; the connection may already be broken.
			if serr := s.sendStatus(context.WithoutCancel(ctx), false); serr != nil {
				l.log.Debug("final standby status", "err", serr)
			}
		}
		if cerr := s.close(); cerr != nil {
			l.log.Debug("close replication connection", "err", cerr)
		}
		if ctx.Err() != nil {
			return
		}
		l.log.Warn("replication connection lost", "err", err)
		if s = l.reconnect(ctx); s == nil {
			return
		}
		l.q.push(Event{Kind: Resync, LSN: s.start})
	}
}

// reconnect opens a new stream with capped exponential backoff. It returns
// nil when ctx ends first.
func (l *Listener) reconnect(ctx context.Context) *stream {
	backoff := l.cfg.MinBackoff
	timer := time.NewTimer(backoff)
	defer timer.Stop()
	for attempt := 1; ; attempt++ {
		select {
		case <-ctx.Done():
			return nil
		case <-timer.C:
		}
		s, err := l.open(ctx)
		if err == nil {
			l.log.Info("replication reconnected", "attempts", attempt)
			return s
		}
		if ctx.Err() != nil {
			return nil
		}
		backoff = min(2*backoff, l.cfg.MaxBackoff)
		l.log.Warn("replication reconnect failed", "attempt", attempt, "retry_in", backoff, "err", err)
		timer.Reset(backoff)
	}
}

// open makes one reconnect attempt. The publication is only created when
// missing: its table list belongs to Start and SetTables.
func (l *Listener) open(ctx context.Context) (*stream, error) {
	ctx, cancel := context.WithTimeout(ctx, attemptTimeout)
	defer cancel()
	l.mu.Lock()
	tables := l.tables
	l.mu.Unlock()
	if err := prepare(ctx, l.cfg, tables, ensurePublication); err != nil {
		return nil, err
	}
	return openStream(ctx, l.cfg)
}
