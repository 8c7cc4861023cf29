package main

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"strconv"
	"sync"
	"sync/atomic"
	"time"

	"github.com/coder/websocket"
)

// The two ways to spread subscribers over Q rows.
const (
	// modeLiteral writes the row's id in the query text: Q texts, so Q
	// cohorts (one multiplexed statement each per batch).
	modeLiteral = "literal"
	// modeVariables uses one text with $id: one cohort for everybody.
	modeVariables = "variables"
)

// subscription returns subscriber i's subscribe payload: it reads row
// i % q + 1.
func subscription(mode string, i, q int) []byte {
	k := i%q + 1
	var p []byte
	if mode == modeVariables {
		p, _ = json.Marshal(map[string]any{
			"query":     "subscription($id: Int!) { counters_by_pk(id: $id) { id value } }",
			"variables": map[string]int{"id": k},
		})
	} else {
		p, _ = json.Marshal(map[string]any{
			"query": fmt.Sprintf("subscription { counters(where: {id: {_eq: %d}}) { id value } }", k),
		})
	}
	b, _ := json.Marshal(map[string]any{"id": strconv.Itoa(i), "type": "subscribe", "payload": json.RawMessage(p)})
	return b
}

// delivery is one `next` message after a subscriber's first.
type delivery struct {
	Sub   int32 // subscriber index
	ID    int32 // counters.id in the result
	Value int64
	At    time.Time
}

// clientConn is one WebSocket connection and its subscribers, whose
// messages one reader goroutine handles.
type clientConn struct {
	ws    *websocket.Conn
	first int // index of its first subscriber
	n     int // how many it carries
	fleet *fleet

	// Owned by the reader until it ends (done closed).
	seen       []bool // first result received, per subscriber
	deliveries []delivery
	err        error
	done       chan struct{}
}

// fleet is every connection of one combination.
type fleet struct {
	conns     []*clientConn
	firsts    atomic.Int64 // subscribers that have their first result
	delivered atomic.Int64 // deliveries after the first
	failed    chan error   // a reader's first error
	closing   atomic.Bool  // close has begun: read errors are expected
	failOnce  sync.Once
}

// openFleet opens ceil(n/perConn) connections carrying n subscriptions
// and waits for every subscriber's first result.
func openFleet(ctx context.Context, wsURL, mode string, n, q, perConn int) (*fleet, error) {
	f := &fleet{failed: make(chan error, 1)}
	for first := 0; first < n; first += perConn {
		f.conns = append(f.conns, &clientConn{first: first, n: min(perConn, n-first), fleet: f, done: make(chan struct{})})
	}
	sem := make(chan struct{}, 8)
	errs := make(chan error, len(f.conns))
	for _, c := range f.conns {
		sem <- struct{}{}
		go func() {
			defer func() { <-sem }()
			errs <- c.open(ctx, wsURL, mode, q)
		}()
	}
	for range f.conns {
		if err := <-errs; err != nil {
			f.close()
			return nil, err
		}
	}
	if err := f.waitFirsts(ctx, int64(n)); err != nil {
		f.close()
		return nil, err
	}
	return f, nil
}

// waitFirsts waits up to 120 s for n first results.
func (f *fleet) waitFirsts(ctx context.Context, n int64) error {
	deadline := time.After(120 * time.Second)
	tick := time.NewTicker(10 * time.Millisecond)
	defer tick.Stop()
	for f.firsts.Load() < n {
		select {
		case err := <-f.failed:
			return err
		case <-ctx.Done():
			return ctx.Err()
		case <-deadline:
			return fmt.Errorf("only %d of %d subscribers had their first result after 120 s", f.firsts.Load(), n)
		case <-tick.C:
		}
	}
	return nil
}

// open dials, initialises the connection, starts its reader and sends
// its subscriptions.
func (c *clientConn) open(ctx context.Context, wsURL, mode string, q int) error {
	dctx, cancel := context.WithTimeout(ctx, 30*time.Second)
	defer cancel()
	ws, _, err := websocket.Dial(dctx, wsURL, &websocket.DialOptions{Subprotocols: []string{"graphql-transport-ws"}})
	if err != nil {
		return fmt.Errorf("dialling %s: %w", wsURL, err)
	}
	ws.SetReadLimit(1 << 20)
	if err := initConn(dctx, ws); err != nil {
		ws.CloseNow()
		return err
	}
	c.ws, c.seen = ws, make([]bool, c.n)
	go c.read()
	for i := c.first; i < c.first+c.n; i++ {
		if err := ws.Write(dctx, websocket.MessageText, subscription(mode, i, q)); err != nil {
			return err
		}
	}
	return nil
}

// initConn sends connection_init and waits for connection_ack,
// answering pings meanwhile.
func initConn(ctx context.Context, ws *websocket.Conn) error {
	if err := ws.Write(ctx, websocket.MessageText, []byte(`{"type":"connection_init","payload":{}}`)); err != nil {
		return err
	}
	for {
		_, raw, err := ws.Read(ctx)
		if err != nil {
			return fmt.Errorf("waiting for connection_ack: %w", err)
		}
		var m message
		if err := json.Unmarshal(raw, &m); err != nil {
			return fmt.Errorf("undecodable message %s: %w", raw, err)
		}
		switch m.Type {
		case "connection_ack":
			return nil
		case "ping": // the engine pings as soon as the socket opens
			if err := ws.Write(ctx, websocket.MessageText, []byte(`{"type":"pong"}`)); err != nil {
				return err
			}
		default:
			return fmt.Errorf("expected connection_ack, got %s", raw)
		}
	}
}

// message is the part of a server message the reader looks at.
type message struct {
	ID      string `json:"id"`
	Type    string `json:"type"`
	Payload struct {
		Data   map[string]json.RawMessage `json:"data"`
		Errors json.RawMessage            `json:"errors"`
	} `json:"payload"`
}

// counter is a row of the result.
type counter struct {
	ID    int32 `json:"id"`
	Value int64 `json:"value"`
}

// read handles the connection's messages until it closes.
func (c *clientConn) read() {
	defer close(c.done)
	ctx := context.Background() // the connection ends by Close
	for {
		_, raw, err := c.ws.Read(ctx)
		at := time.Now()
		if err != nil {
			if !c.fleet.closing.Load() && websocket.CloseStatus(err) != websocket.StatusNormalClosure {
				c.fail(fmt.Errorf("connection of subscribers %d–%d: %w", c.first, c.first+c.n-1, err))
			}
			return
		}
		if err := c.handle(ctx, raw, at); err != nil {
			c.fail(err)
			c.ws.CloseNow()
			return
		}
	}
}

// fail records the reader's error and reports the fleet's first.
func (c *clientConn) fail(err error) {
	c.err = err
	c.fleet.failOnce.Do(func() { c.fleet.failed <- err })
}

// handle takes one server message.
func (c *clientConn) handle(ctx context.Context, raw []byte, at time.Time) error {
	var m message
	if err := json.Unmarshal(raw, &m); err != nil {
		return fmt.Errorf("undecodable message %s: %w", raw, err)
	}
	switch m.Type {
	case "ping":
		return c.ws.Write(ctx, websocket.MessageText, []byte(`{"type":"pong"}`))
	case "pong":
		return nil
	case "next":
	default: // error, complete, or anything else ends the benchmark
		return fmt.Errorf("unexpected message %s", raw)
	}
	if len(m.Payload.Errors) > 0 {
		return fmt.Errorf("subscription %s: %s", m.ID, raw)
	}
	sub, err := strconv.Atoi(m.ID)
	if err != nil || sub < c.first || sub >= c.first+c.n {
		return fmt.Errorf("next for an unknown id: %s", raw)
	}
	row, err := parseRow(m.Payload.Data)
	if err != nil {
		return fmt.Errorf("%w: %s", err, raw)
	}
	if !c.seen[sub-c.first] {
		c.seen[sub-c.first] = true
		c.fleet.firsts.Add(1)
		return nil
	}
	c.deliveries = append(c.deliveries, delivery{Sub: int32(sub), ID: row.ID, Value: row.Value, At: at})
	c.fleet.delivered.Add(1)
	return nil
}

// parseRow finds the one row of a result: counters_by_pk's object or
// counters' one-element list.
func parseRow(data map[string]json.RawMessage) (counter, error) {
	var row counter
	if len(data) != 1 {
		return row, fmt.Errorf("expected one root field")
	}
	for _, v := range data {
		v = bytes.TrimSpace(v)
		if len(v) > 0 && v[0] == '[' {
			var rows []counter
			if err := json.Unmarshal(v, &rows); err != nil || len(rows) != 1 {
				return row, fmt.Errorf("expected one row")
			}
			return rows[0], nil
		}
		if err := json.Unmarshal(v, &row); err != nil {
			return row, err
		}
	}
	return row, nil
}

// close closes every connection and waits for the readers to end.
func (f *fleet) close() {
	f.closing.Store(true)
	for _, c := range f.conns {
		if c.ws != nil {
			go c.ws.Close(websocket.StatusNormalClosure, "")
		}
	}
	for _, c := range f.conns {
		if c.ws == nil {
			continue
		}
		select {
		case <-c.done:
		case <-time.After(10 * time.Second):
			c.ws.CloseNow()
			<-c.done
		}
	}
}

// readErr returns the first error a reader ended with, if any.
func (f *fleet) readErr() error {
	for _, c := range f.conns {
		select {
		case <-c.done:
			if c.err != nil {
				return c.err
			}
		default:
		}
	}
	return nil
}
