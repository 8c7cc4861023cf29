package live

import (
	"context"
	"errors"
	"hash/maphash"
	"log/slog"
	"sync"
	"sync/atomic"
	"time"

	"github.com/jackc/pgx/v5/pgconn"

	"github.com/trellis-gql/trellis/engine/catalog"
	"github.com/trellis-gql/trellis/engine/exec"
	"github.com/trellis-gql/trellis/engine/gql"
	"github.com/trellis-gql/trellis/engine/sqlgen"
)

// Sink receives a subscription's results. Its methods are called from the
// manager's workers and must not block: a connection queues the message,
// or gives up on a client that does not keep up.
type Sink interface {
	// Data delivers a result that differs from the last one delivered (the
	// first result always).
	Data(res *gql.Result)
	// Error delivers a refetch's error (its statement failed); the
	// subscription goes on.
	Error(err error)
}

// Config tunes a Manager.
type Config struct {
	DB     *exec.DB
	Logger *slog.Logger
	// BatchSize is the number of subscribers one multiplexed statement
	// answers (Hasura's HASURA_GRAPHQL_LIVE_QUERIES_MULTIPLEXED_BATCH_SIZE);
	// 0 means 100.
	BatchSize int
	// Workers is the number of refetches that run at once; 0 means 4.
	Workers int
	// MinInterval is the least time between two refetches of one cohort:
	// the first change is answered at once, changes during the interval
	// are answered together at its end. 0 means 20 ms; negative, none.
	MinInterval time.Duration
	// PollInterval is how often every cohort is refetched when no change
	// feed drives the manager (Poll); 0 means 1 s, Hasura's default
	// HASURA_GRAPHQL_LIVE_QUERIES_MULTIPLEXED_REFETCH_INTERVAL.
	PollInterval time.Duration
	// MaxSubscriptions caps the subscriptions of the whole engine; 0 means
	// no cap.
	MaxSubscriptions int
	// BaseTables returns the tables a view reads (see
	// replication.BaseTables); nil makes a query of a view depend on every
	// table.
	BaseTables func(ctx context.Context, view catalog.QualifiedName) ([]catalog.QualifiedName, error)
}

// Manager runs the live queries of an engine: it groups subscriptions
// into cohorts, refetches the cohorts a change touches, one statement per
// batch of subscribers, and delivers each subscriber's result when it
// changed.
type Manager struct {
	cfg  Config
	log  *slog.Logger
	seed maphash.Seed

	mu      sync.Mutex
	cohorts map[string]*cohort
	// byTable lists the cohorts that read each table; anyTable those that
	// call functions or read views whose tables are unknown, which any
	// change may concern.
	byTable  map[catalog.QualifiedName]map[*cohort]struct{}
	anyTable map[*cohort]struct{}
	views    map[catalog.QualifiedName][]catalog.QualifiedName
	subs     int

	queue  workQueue
	ctx    context.Context
	cancel context.CancelFunc
	wg     sync.WaitGroup
	stmts  atomic.Int64
	closed atomic.Bool
}

// ErrTooManySubscriptions is returned when the engine's cap is reached.
var ErrTooManySubscriptions = errors.New("too many subscriptions")

// New starts a manager's workers; Close stops them.
func New(cfg Config) *Manager {
	if cfg.BatchSize <= 0 {
		cfg.BatchSize = 100
	}
	if cfg.Workers <= 0 {
		cfg.Workers = 4
	}
	if cfg.MinInterval == 0 {
		cfg.MinInterval = 20 * time.Millisecond
	}
	if cfg.PollInterval <= 0 {
		cfg.PollInterval = time.Second
	}
	log := cfg.Logger
	if log == nil {
		log = slog.New(slog.DiscardHandler)
	}
	ctx, cancel := context.WithCancel(context.Background())
	m := &Manager{
		cfg: cfg, log: log.With("component", "live"), seed: maphash.MakeSeed(),
		cohorts:  map[string]*cohort{},
		byTable:  map[catalog.QualifiedName]map[*cohort]struct{}{},
		anyTable: map[*cohort]struct{}{},
		views:    map[catalog.QualifiedName][]catalog.QualifiedName{},
		ctx:      ctx, cancel: cancel,
	}
	m.queue.init()
	for range cfg.Workers {
		m.wg.Add(1)
		go m.work()
	}
	return m
}

// Close stops the workers and the polling; subscriptions get nothing more.
func (m *Manager) Close() {
	if m.closed.Swap(true) {
		return
	}
	m.cancel()
	m.queue.close()
	m.wg.Wait()
}

// Stats are counters for tests and benchmarks.
type Stats struct {
	Cohorts, Subscriptions int
	// Statements counts the multiplexed statements run since the start.
	Statements int64
}

// Stats returns the manager's counters.
func (m *Manager) Stats() Stats {
	m.mu.Lock()
	defer m.mu.Unlock()
	return Stats{Cohorts: len(m.cohorts), Subscriptions: m.subs, Statements: m.stmts.Load()}
}

// Subscription is one client subscription; Stop ends it.
type Subscription struct {
	m    *Manager
	c    *cohort
	sub  *subscriber
	once sync.Once
}

// Subscribe adds a live query and delivers its first result before it
// returns (or its error, returned too). Later results go to sink as the
// data they read changes.
func (m *Manager) Subscribe(ctx context.Context, lq *gql.LiveQuery, sink Sink) (*Subscription, error) {
	if m.closed.Load() {
		return nil, errors.New("the live query manager is closed")
	}
	sub := &subscriber{sink: sink, lq: lq}
	if lq.Statement == nil { // constant: one result, never another
		sink.Data(lq.Result(nil))
		return &Subscription{m: m, sub: sub}, nil
	}
	m.mu.Lock()
	if m.cfg.MaxSubscriptions > 0 && m.subs >= m.cfg.MaxSubscriptions {
		m.mu.Unlock()
		return nil, ErrTooManySubscriptions
	}
	c := m.cohorts[lq.Cohort]
	if c == nil {
		c = newCohort(m, lq)
		m.cohorts[lq.Cohort] = c
		m.route(ctx, c, lq)
	}
	sub.varying = c.mux.Varying
	sub.args = sqlgen.SubscriberArgs(lq.Statement, c.mux.Varying)
	sub.cursorPos = cursorPositions(lq.Statement, c.mux.Varying)
	c.add(sub)
	m.subs++
	m.mu.Unlock()

	s := &Subscription{m: m, c: c, sub: sub}
	if err := c.refetch(ctx, []*subscriber{sub}); err != nil {
		s.Stop()
		return nil, err
	}
	return s, nil
}

// Stop ends the subscription: nothing more reaches its sink.
func (s *Subscription) Stop() {
	s.sub.stop()
	if s.c == nil {
		return
	}
	s.once.Do(func() {
		m := s.m
		m.mu.Lock()
		defer m.mu.Unlock()
		m.subs--
		if s.c.remove(s.sub) == 0 && m.cohorts[s.c.key] == s.c {
			delete(m.cohorts, s.c.key)
			m.unroute(s.c)
		}
	})
}

// Changed marks for refetch the cohorts that read any of the tables (one
// committed transaction's).
func (m *Manager) Changed(tables []catalog.QualifiedName) {
	m.mu.Lock()
	touched := make(map[*cohort]struct{})
	for _, t := range tables {
		for c := range m.byTable[t] {
			touched[c] = struct{}{}
		}
	}
	for c := range m.anyTable {
		touched[c] = struct{}{}
	}
	m.mu.Unlock()
	for c := range touched {
		m.mark(c)
	}
}

// RefetchAll marks every cohort: after the change feed was interrupted,
// or on a polling tick.
func (m *Manager) RefetchAll() {
	m.mu.Lock()
	all := make([]*cohort, 0, len(m.cohorts))
	for _, c := range m.cohorts {
		all = append(all, c)
	}
	m.mu.Unlock()
	for _, c := range all {
		m.mark(c)
	}
}

// Poll refetches every cohort every PollInterval until ctx ends: Hasura's
// behaviour, for databases without logical replication.
func (m *Manager) Poll(ctx context.Context) {
	t := time.NewTicker(m.cfg.PollInterval)
	defer t.Stop()
	for {
		select {
		case <-ctx.Done():
			return
		case <-m.ctx.Done():
			return
		case <-t.C:
			m.RefetchAll()
		}
	}
}

// route records which tables a new cohort reads. Called with m.mu held.
func (m *Manager) route(ctx context.Context, c *cohort, lq *gql.LiveQuery) {
	if lq.Reads.Functions {
		m.anyTable[c] = struct{}{}
	}
	for _, t := range lq.Reads.Tables {
		names := []catalog.QualifiedName{t.Name}
		if t.Kind == catalog.KindView || t.Kind == catalog.KindMaterializedView {
			base, ok := m.baseTables(ctx, t.Name)
			if !ok {
				m.anyTable[c] = struct{}{}
				continue
			}
			names = base
		}
		for _, n := range names {
			if m.byTable[n] == nil {
				m.byTable[n] = map[*cohort]struct{}{}
			}
			m.byTable[n][c] = struct{}{}
			c.tables = append(c.tables, n)
		}
	}
}

// baseTables returns (and remembers) the tables a view reads. Called with
// m.mu held.
func (m *Manager) baseTables(ctx context.Context, view catalog.QualifiedName) ([]catalog.QualifiedName, bool) {
	if base, ok := m.views[view]; ok {
		return base, true
	}
	if m.cfg.BaseTables == nil {
		return nil, false
	}
	base, err := m.cfg.BaseTables(ctx, view)
	if err != nil {
		m.log.Warn("could not find the tables a view reads: its live queries are refetched on every change", "view", view, "error", err)
		return nil, false
	}
	m.views[view] = base
	return base, true
}

// unroute forgets a cohort. Called with m.mu held.
func (m *Manager) unroute(c *cohort) {
	delete(m.anyTable, c)
	for _, t := range c.tables {
		delete(m.byTable[t], c)
		if len(m.byTable[t]) == 0 {
			delete(m.byTable, t)
		}
	}
}

// mark queues a cohort for refetch unless it is queued already.
func (m *Manager) mark(c *cohort) {
	if c.queued.CompareAndSwap(false, true) {
		m.queue.push(c)
	}
}

// work runs queued refetches until the manager closes.
func (m *Manager) work() {
	defer m.wg.Done()
	for {
		c, ok := m.queue.pop()
		if !ok {
			return
		}
		if wait := c.wait(m.cfg.MinInterval); wait > 0 {
			// Too soon after the last refetch: come back at the end of the
			// interval (still queued, so changes meanwhile add nothing).
			time.AfterFunc(wait, func() { m.queue.push(c) })
			continue
		}
		c.queued.Store(false)
		err := c.refetch(m.ctx, nil)
		var retry transientError
		switch {
		case err == nil || m.ctx.Err() != nil:
		case errors.As(err, &retry):
			m.log.Debug("live query refetch could not reach the database; trying again", "error", err)
			time.AfterFunc(retryDelay, func() { m.mark(c) })
		default:
			m.log.Warn("live query refetch failed", "error", err)
		}
	}
}

// transient reports whether a statement failed for want of a working
// connection rather than by itself: no answer from the server, or the
// server shutting down, restarting or out of connections (SQLSTATE
// classes 08, 53 and 57). Such a refetch is tried again.
func transient(err error) bool {
	var pgErr *pgconn.PgError
	if !errors.As(err, &pgErr) {
		return !errors.Is(err, context.Canceled)
	}
	switch pgErr.Code[:2] {
	case "08", "53", "57":
		return true
	}
	return false
}

// transientError marks a refetch to try again.
type transientError struct{ error }

func (e transientError) Unwrap() error { return e.error }

// retryDelay is how long a cohort whose refetch could not reach the
// database waits before the next try.
const retryDelay = 250 * time.Millisecond
