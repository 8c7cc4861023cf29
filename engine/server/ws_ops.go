package server

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"

	"github.com/trellis-gql/trellis/engine/gql"
	"github.com/trellis-gql/trellis/engine/gqlerr"
	"github.com/trellis-gql/trellis/engine/live"
)

// start begins an operation: a query or mutation answers once and
// completes, a subscription answers until it is stopped.
func (c *wsConn) start(id string, payload json.RawMessage) {
	c.mu.Lock()
	inited, initErr, sess := c.inited, c.initErr, c.session
	_, dup := c.ops[id]
	count := len(c.ops)
	c.mu.Unlock()
	switch {
	case !inited && c.proto == protoTransportWS:
		c.closeWith(closeUnauthorized, "Unauthorized")
		return
	case !inited:
		msg := "start received before the connection is initialised"
		if initErr != "" {
			msg = "cannot start as connection_init failed with: " + initErr
		}
		c.startFailed(id, msg)
		return
	case dup && c.proto == protoTransportWS:
		c.closeWith(closeDuplicateID, truncateReason("Subscriber for "+id+" already exists"))
		return
	case dup:
		c.startFailed(id, "an operation already exists with this id: "+id)
		return
	case count >= c.s.ws.MaxSubscriptions:
		c.sendErrors(id, gqlerr.New(gqlerr.BadRequest, "$", "too many operations on this connection"))
		c.complete(id)
		return
	}
	req, err := decodeRequest(payload)
	if err != nil {
		c.sendErrors(id, err)
		c.complete(id)
		return
	}
	req.SessionVars = sess.Vars
	req.BackendOnly = sess.BackendOnly
	typ, err := gql.OperationType(req)
	if err != nil {
		c.sendErrors(id, err)
		c.complete(id)
		return
	}
	ctx, cancel := context.WithCancel(context.Background())
	op := &wsOp{cancel: cancel}
	c.mu.Lock()
	c.ops[id] = op
	c.mu.Unlock()
	c.wg.Add(1)
	go func() {
		defer c.wg.Done()
		if typ == "subscription" {
			c.subscribe(ctx, id, op, sess.Role, req)
			return
		}
		defer c.forget(id, op)
		res, err := c.s.cfg.Engine.Execute(ctx, sess.Role, req)
		if ctx.Err() != nil {
			return // stopped meanwhile
		}
		if err != nil {
			c.execError(id, err)
		} else {
			c.sendData(id, res)
		}
		c.complete(id)
	}()
}

// subscribe runs a subscription: its first result, then every change.
func (c *wsConn) subscribe(ctx context.Context, id string, op *wsOp, role string, req gql.Request) {
	lq, err := c.s.cfg.Engine.Subscribe(ctx, role, req)
	if err == nil && c.s.cfg.Live == nil {
		err = gqlerr.New(gqlerr.NotSupported, "$", "subscriptions are not enabled")
	}
	if err != nil {
		c.forget(id, op)
		c.sendErrors(id, err)
		c.complete(id)
		return
	}
	sub, err := c.s.cfg.Live.Subscribe(ctx, lq, &wsSink{c: c, id: id})
	if err != nil {
		c.forget(id, op)
		if ctx.Err() != nil {
			return
		}
		if errors.Is(err, live.ErrTooManySubscriptions) {
			err = gqlerr.New(gqlerr.BadRequest, "$", "too many subscriptions on this server")
		}
		c.execError(id, err)
		c.complete(id)
		return
	}
	c.mu.Lock()
	if c.ops[id] == op {
		op.sub = sub
		sub = nil
	}
	c.mu.Unlock()
	if sub != nil { // stopped while it started
		sub.Stop()
	}
}

// stop ends an operation; nothing is sent back.
func (c *wsConn) stop(id string) {
	c.mu.Lock()
	op := c.ops[id]
	delete(c.ops, id)
	c.mu.Unlock()
	if op != nil {
		op.stop()
	}
}

// forget drops a finished operation from the map (if it is still there).
func (c *wsConn) forget(id string, op *wsOp) {
	c.mu.Lock()
	if c.ops[id] == op {
		delete(c.ops, id)
	}
	c.mu.Unlock()
	op.cancel()
}

// dataType is the type of a result message.
func (c *wsConn) dataType() string {
	if c.proto == protoTransportWS {
		return "next"
	}
	return "data"
}

// message encodes {"type","id","payload"} with payload written by body.
func message(typ, id string, body func(*bytes.Buffer)) []byte {
	var buf bytes.Buffer
	buf.WriteString(`{"type":`)
	t, _ := json.Marshal(typ)
	buf.Write(t)
	buf.WriteString(`,"id":`)
	i, _ := json.Marshal(id)
	buf.Write(i)
	buf.WriteString(`,"payload":`)
	body(&buf)
	buf.WriteByte('}')
	return buf.Bytes()
}

// sendData sends a result; one too big for a message is answered with an
// error instead.
func (c *wsConn) sendData(id string, res *gql.Result) {
	msg := message(c.dataType(), id, func(b *bytes.Buffer) { writeData(b, res) })
	if len(msg) > c.s.ws.MaxMessageBytes {
		c.execError(id, gqlerr.New(gqlerr.Unexpected, "$", "the result is larger than the WebSocket message size limit"))
		return
	}
	c.send(msg)
}

// sendErrors sends the error of an operation that could not start: a
// request that does not parse or validate.
func (c *wsConn) sendErrors(id string, err error) {
	c.send(message("error", id, func(b *bytes.Buffer) {
		switch {
		case c.legacy:
			writeLegacyError(b, err)
		case c.proto == protoTransportWS:
			var inner bytes.Buffer
			writeError(&inner, err, c.s.cfg.DevMode)
			b.Write(errorsList(inner.Bytes()))
		default:
			writeError(b, err, c.s.cfg.DevMode)
		}
	}))
}

// startFailed is Hasura's answer to a start it refuses on the legacy
// protocol: one error object (not an errors list), then complete.
func (c *wsConn) startFailed(id, text string) {
	e := gqlerr.New(gqlerr.StartFailed, "$", text)
	c.send(message("error", id, func(b *bytes.Buffer) {
		if c.legacy {
			writeLegacyError(b, e)
			return
		}
		var inner bytes.Buffer
		writeError(&inner, e, false)
		list := errorsList(inner.Bytes())
		b.Write(bytes.TrimSuffix(bytes.TrimPrefix(list, []byte("[")), []byte("]")))
	}))
	c.complete(id)
}

// execError sends an operation's error: one found before the operation
// ran (it does not validate) as error, one of the database as a result
// with errors (data, or next on graphql-transport-ws, whose error message
// would end the operation), as Hasura sorts them. The result's payload is
// the HTTP response's body, {"errors":[…]}.
func (c *wsConn) execError(id string, err error) {
	if !ranError(err) {
		c.sendErrors(id, err)
		return
	}
	c.send(message(c.dataType(), id, func(b *bytes.Buffer) {
		if c.legacy {
			writeLegacyError(b, err)
			return
		}
		writeError(b, err, c.s.cfg.DevMode)
	}))
}

// ranError reports whether an error came from running the operation (the
// database's) rather than from checking it.
func ranError(err error) bool {
	switch gqlerr.As(err).Code {
	case gqlerr.PostgresError, gqlerr.DataException, gqlerr.ConstraintViolation, gqlerr.ConstraintError, gqlerr.PermissionError, gqlerr.Unexpected:
		return true
	}
	return false
}

func (c *wsConn) complete(id string) {
	t, _ := json.Marshal(id)
	c.send([]byte(`{"type":"complete","id":` + string(t) + `}`))
}

// errorsList extracts the list of an {"errors":[…]} body.
func errorsList(body []byte) []byte {
	var b struct {
		Errors json.RawMessage `json:"errors"`
	}
	if json.Unmarshal(body, &b) != nil || len(b.Errors) == 0 {
		return []byte(`[]`)
	}
	return b.Errors
}

// writeLegacyError writes Hasura's legacy error object {path, error, code}
// (the /v1alpha1/graphql endpoint's).
func writeLegacyError(b *bytes.Buffer, err error) {
	e := gqlerr.As(err)
	out, mErr := json.Marshal(struct {
		Path  string      `json:"path"`
		Error string      `json:"error"`
		Code  gqlerr.Code `json:"code"`
	}{e.Path, e.Message, e.Code})
	if mErr != nil {
		out = []byte(`{"path":"$","error":"internal error","code":"unexpected"}`)
	}
	b.Write(out)
}

// wsSink delivers a subscription's results to its connection.
type wsSink struct {
	c  *wsConn
	id string
}

func (s *wsSink) Data(res *gql.Result) { s.c.sendData(s.id, res) }

// Error sends a refetch's error as a result with errors, as Hasura does;
// the subscription goes on.
func (s *wsSink) Error(err error) {
	s.c.send(message(s.c.dataType(), s.id, func(b *bytes.Buffer) {
		if s.c.legacy {
			writeLegacyError(b, err)
			return
		}
		writeError(b, err, s.c.s.cfg.DevMode)
	}))
}

var _ live.Sink = (*wsSink)(nil)
