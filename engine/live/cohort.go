package live

import (
	"context"
	"encoding/binary"
	"encoding/json"
	"hash/maphash"
	"strconv"
	"sync"
	"sync/atomic"
	"time"

	"github.com/jackc/pgx/v5"

	"github.com/trellis-gql/trellis/engine/catalog"
	"github.com/trellis-gql/trellis/engine/exec"
	"github.com/trellis-gql/trellis/engine/gql"
	"github.com/trellis-gql/trellis/engine/sqlgen"
)

// cohort is the set of subscriptions one multiplexed statement answers.
type cohort struct {
	m         *Manager
	key       string
	mux       *sqlgen.Multiplexed
	streaming bool
	tables    []catalog.QualifiedName // routed tables (Manager.route)

	mu   sync.Mutex
	subs []*subscriber

	// queued is set while the cohort waits for a worker; run serialises
	// its refetches; last is when the last one started (unix ns).
	queued atomic.Bool
	run    sync.Mutex
	last   atomic.Int64
	// seq orders refetches: a subscriber never takes an older result after
	// a newer one.
	seq atomic.Uint64
}

func newCohort(m *Manager, lq *gql.LiveQuery) *cohort {
	return &cohort{m: m, key: lq.Cohort, mux: sqlgen.Multiplex(lq.Statement), streaming: lq.Streaming}
}

func (c *cohort) add(s *subscriber) {
	c.mu.Lock()
	c.subs = append(c.subs, s)
	c.mu.Unlock()
}

// remove drops a subscriber and returns how many are left.
func (c *cohort) remove(s *subscriber) int {
	c.mu.Lock()
	defer c.mu.Unlock()
	for i, have := range c.subs {
		if have == s {
			last := len(c.subs) - 1
			c.subs[i] = c.subs[last]
			c.subs[last] = nil
			c.subs = c.subs[:last]
			break
		}
	}
	return len(c.subs)
}

// wait returns how long a refetch must wait to keep MinInterval.
func (c *cohort) wait(min time.Duration) time.Duration {
	if min <= 0 {
		return 0
	}
	last := c.last.Load()
	if last == 0 {
		return 0
	}
	return time.Until(time.Unix(0, last).Add(min))
}

// refetch runs the cohort's statement for the given subscribers (nil: all
// of them), in batches, and delivers the results. It returns the first
// error of a batch that could not run.
func (c *cohort) refetch(ctx context.Context, only []*subscriber) error {
	subs := only
	if subs == nil {
		c.run.Lock()
		defer c.run.Unlock()
		c.last.Store(time.Now().UnixNano())
		c.mu.Lock()
		subs = append([]*subscriber(nil), c.subs...)
		c.mu.Unlock()
	}
	seq := c.seq.Add(1)
	size := c.m.cfg.BatchSize
	if len(subs) <= size {
		return c.runBatch(ctx, seq, subs)
	}
	// A big cohort's batches run side by side, as many at once as there
	// are workers.
	errs := make([]error, (len(subs)+size-1)/size)
	sem := make(chan struct{}, c.m.cfg.Workers)
	var wg sync.WaitGroup
	for i := range errs {
		batch := subs[i*size : min((i+1)*size, len(subs))]
		sem <- struct{}{}
		wg.Add(1)
		go func() {
			defer func() { <-sem; wg.Done() }()
			errs[i] = c.runBatch(ctx, seq, batch)
		}()
	}
	wg.Wait()
	for _, err := range errs {
		if err != nil {
			return err
		}
	}
	return nil
}

// runBatch runs one multiplexed statement for a batch of subscribers.
func (c *cohort) runBatch(ctx context.Context, seq uint64, batch []*subscriber) error {
	args := make([][]any, len(batch))
	cursors := make([]uint64, len(batch))
	for i, s := range batch {
		args[i], cursors[i] = s.snapshot()
	}
	encoded, err := json.Marshal(args)
	if err != nil {
		return err
	}
	params := make([]any, 0, 1+len(c.mux.Shared))
	params = append(params, string(encoded))
	params = append(params, c.mux.Shared...)
	c.m.stmts.Add(1)
	rows, err := c.m.cfg.DB.Pool.Query(ctx, c.mux.SQL, params...)
	if err != nil {
		return c.fail(batch, err)
	}
	defer rows.Close()
	for rows.Next() {
		raw := rows.RawValues()
		n := position(raw[0], rows.FieldDescriptions()[0].Format)
		if n < 1 || n > len(batch) {
			continue
		}
		cols := make([][]byte, len(raw)-1)
		for i, v := range raw[1:] {
			if v != nil {
				cols[i] = append([]byte(nil), v...)
			}
		}
		i := n - 1
		c.deliver(batch[i], seq, cursors[i], cols)
	}
	rows.Close()
	if err := rows.Err(); err != nil {
		return c.fail(batch, err)
	}
	return nil
}

// position decodes a row's subscriber position (a bigint, in binary or
// text format); 0 for anything else.
func position(raw []byte, format int16) int {
	if format == pgx.BinaryFormatCode {
		if len(raw) != 8 {
			return 0
		}
		return int(binary.BigEndian.Uint64(raw))
	}
	n, err := strconv.Atoi(string(raw))
	if err != nil {
		return 0
	}
	return n
}

// fail reports a statement's error to its subscribers when it is the
// statement's own; a lost connection or a server going down is returned
// as a transientError, and the cohort is run again later.
func (c *cohort) fail(batch []*subscriber, err error) error {
	if transient(err) {
		return transientError{err}
	}
	e := exec.Translate(err)
	for _, s := range batch {
		s.fail(e)
	}
	return e
}

// deliver hands a subscriber its result if it changed. For a stream, the
// result is its next batch of rows: empty batches are not sent, and a
// delivered batch moves the cursor on (and asks for the next batch).
func (c *cohort) deliver(s *subscriber, seq, cursor uint64, cols [][]byte) {
	if c.streaming {
		if len(cols) < 2 || cols[len(cols)-1] == nil {
			return // no row past the cursor
		}
		if !s.advance(cursor, string(cols[len(cols)-1]), func() { s.sink.Data(s.lq.Result(cols[:len(cols)-1])) }) {
			return
		}
		c.m.mark(c) // there may be more rows than one batch
		return
	}
	var h maphash.Hash
	h.SetSeed(c.m.seed)
	for _, col := range cols {
		_, _ = h.Write(col)
		_ = h.WriteByte(0xff) // separates columns; never in JSON text
	}
	s.offer(seq, h.Sum64(), func() { s.sink.Data(s.lq.Result(cols)) })
}

// subscriber is one subscription of a cohort.
type subscriber struct {
	sink Sink
	lq   *gql.LiveQuery

	mu      sync.Mutex
	stopped bool
	// args are the values of the cohort's varying arguments (the cursor's
	// moves on with a stream); cursorPos are the cursor's positions in
	// args, cursorVer counts its moves.
	varying   []int
	args      []any
	cursorPos []int
	cursorVer uint64
	// seq and hash identify the last result delivered.
	seq  uint64
	hash uint64
	sent bool
}

func (s *subscriber) snapshot() ([]any, uint64) {
	s.mu.Lock()
	defer s.mu.Unlock()
	return append([]any(nil), s.args...), s.cursorVer
}

// offer delivers a live query's result unless it is older than the last
// one delivered or the same.
func (s *subscriber) offer(seq, hash uint64, send func()) {
	s.mu.Lock()
	defer s.mu.Unlock()
	if s.stopped || seq < s.seq || (s.sent && hash == s.hash) {
		return
	}
	s.seq, s.hash, s.sent = seq, hash, true
	send()
}

// advance delivers a stream's batch read from cursor version ver and moves
// the cursor to next; a batch read from a cursor that has moved since is
// dropped (its rows were sent already), so every row goes out once.
func (s *subscriber) advance(ver uint64, next string, send func()) bool {
	s.mu.Lock()
	defer s.mu.Unlock()
	if s.stopped || ver != s.cursorVer {
		return false
	}
	for _, p := range s.cursorPos {
		s.args[p] = next
	}
	s.cursorVer++
	send()
	return true
}

// fail delivers a refetch's error; the next result that succeeds is sent
// whatever it is.
func (s *subscriber) fail(err error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	if s.stopped {
		return
	}
	s.sent = false
	s.sink.Error(err)
}

// stop marks the subscriber stopped: nothing more reaches its sink.
func (s *subscriber) stop() {
	s.mu.Lock()
	s.stopped = true
	s.mu.Unlock()
}

// cursorPositions maps a statement's cursor arguments to their positions
// among the varying arguments.
func cursorPositions(st *sqlgen.Statement, varying []int) []int {
	var out []int
	for _, a := range st.CursorArgs {
		for p, i := range varying {
			if i == a {
				out = append(out, p)
			}
		}
	}
	return out
}

// workQueue is an unbounded FIFO of cohorts for the workers.
type workQueue struct {
	mu     sync.Mutex
	cond   *sync.Cond
	items  []*cohort
	closed bool
}

func (q *workQueue) init() { q.cond = sync.NewCond(&q.mu) }

func (q *workQueue) push(c *cohort) {
	q.mu.Lock()
	if !q.closed {
		q.items = append(q.items, c)
		q.cond.Signal()
	}
	q.mu.Unlock()
}

func (q *workQueue) pop() (*cohort, bool) {
	q.mu.Lock()
	defer q.mu.Unlock()
	for len(q.items) == 0 && !q.closed {
		q.cond.Wait()
	}
	if q.closed {
		return nil, false
	}
	c := q.items[0]
	q.items[0] = nil
	q.items = q.items[1:]
	return c, true
}

func (q *workQueue) close() {
	q.mu.Lock()
	q.closed = true
	q.cond.Broadcast()
	q.mu.Unlock()
}
