package server

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"net/http"
	"strings"
	"sync"
	"time"

	"github.com/coder/websocket"

	"github.com/trellis-gql/trellis/engine/auth"
	"github.com/trellis-gql/trellis/engine/gqlerr"
	"github.com/trellis-gql/trellis/engine/live"
)

// The GraphQL WebSocket transports on /v1/graphql (and /v1alpha1/graphql):
//
//   - "graphql-transport-ws", the protocol of the graphql-ws library:
//     connection_init/ack, ping/pong, subscribe, next, error, complete;
//   - the legacy "graphql-ws" of subscriptions-transport-ws (Apollo's older
//     clients): connection_init/ack, start, data, error, complete, stop, ka.
//
// As in Hasura, only a Sec-WebSocket-Protocol of exactly
// graphql-transport-ws selects the first; anything else (none included)
// gets the legacy protocol. Messages follow Hasura's wire forms, message
// for message (see docs/live-queries.md for where Trellis departs).

// Subprotocol names.
const (
	protoTransportWS = "graphql-transport-ws"
	protoLegacyWS    = "graphql-ws"
)

// WSConfig tunes the WebSocket transports.
type WSConfig struct {
	// KeepAlive is the interval of the legacy protocol's ka messages and of
	// graphql-transport-ws's pings (HASURA_GRAPHQL_WEBSOCKET_KEEPALIVE);
	// 0 means 5 s.
	KeepAlive time.Duration
	// InitTimeout closes a graphql-transport-ws connection that has not
	// sent connection_init in time (4408); 0 means 3 s
	// (HASURA_GRAPHQL_WEBSOCKET_CONNECTION_INIT_TIMEOUT).
	InitTimeout time.Duration
	// MaxSubscriptions caps the subscriptions of one connection; 0 means
	// 1000.
	MaxSubscriptions int
	// MaxMessageBytes caps a message either way: a bigger client message
	// closes the connection, a bigger result is answered with an error;
	// 0 means 16 MiB.
	MaxMessageBytes int
	// SendQueue is how many messages may wait for a slow client before
	// the connection is closed (1008); 0 means 1024.
	SendQueue int
}

func (c *WSConfig) defaults() {
	if c.KeepAlive <= 0 {
		c.KeepAlive = 5 * time.Second
	}
	if c.InitTimeout <= 0 {
		c.InitTimeout = 3 * time.Second
	}
	if c.MaxSubscriptions <= 0 {
		c.MaxSubscriptions = 1000
	}
	if c.MaxMessageBytes <= 0 {
		c.MaxMessageBytes = 16 << 20
	}
	if c.SendQueue <= 0 {
		c.SendQueue = 1024
	}
}

// Close codes.
const (
	closeBadRequest   websocket.StatusCode = 4400
	closeUnauthorized websocket.StatusCode = 4401
	closeForbidden    websocket.StatusCode = 4403
	closeInitTimeout  websocket.StatusCode = 4408
	closeDuplicateID  websocket.StatusCode = 4409
	closeRestart      websocket.StatusCode = 1012
	closeTooSlow      websocket.StatusCode = websocket.StatusPolicyViolation
)

// websocketUpgrade serves GET on the GraphQL paths: a WebSocket handshake,
// or a plain GET, which Hasura answers with 405.
func (s *Server) websocketUpgrade(w http.ResponseWriter, r *http.Request) {
	if !strings.EqualFold(r.Header.Get("Upgrade"), "websocket") {
		var buf bytes.Buffer
		writeError(&buf, gqlerr.New(gqlerr.MethodNotAllowed, "$", "only POST method is allowed on "+r.URL.Path+", or a WebSocket upgrade"), false)
		writeJSON(w, http.StatusMethodNotAllowed, buf.Bytes())
		return
	}
	proto := protoLegacyWS
	if offered := r.Header.Values("Sec-WebSocket-Protocol"); len(offered) == 1 && strings.TrimSpace(offered[0]) == protoTransportWS {
		proto = protoTransportWS
	}
	// The handshake answers with the protocol when the client offered it
	// (Hasura answers it even when not offered, which browsers refuse).
	conn, err := websocket.Accept(w, r, &websocket.AcceptOptions{
		Subprotocols:       []string{proto},
		InsecureSkipVerify: true, // origins are checked by the CORS settings below
	})
	if err != nil {
		return // Accept answered the client
	}
	if origin := r.Header.Get("Origin"); origin != "" && !s.cfg.CORS.allows(origin) {
		conn.Close(websocket.StatusPolicyViolation, "received origin header does not match configured CORS domains")
		return
	}
	c := newWSConn(s, conn, proto, r)
	s.trackWS(c, true)
	defer s.trackWS(c, false)
	c.serve()
}

// trackWS adds or removes an open connection (closed on metadata changes).
func (s *Server) trackWS(c *wsConn, open bool) {
	s.wsMu.Lock()
	defer s.wsMu.Unlock()
	if open {
		s.wsConns[c] = struct{}{}
	} else {
		delete(s.wsConns, c)
	}
}

// restartWebSockets closes every open connection with 1012, as Hasura does
// when the metadata changes: clients reconnect and subscribe again against
// the new schema.
func (s *Server) restartWebSockets() {
	s.wsMu.Lock()
	conns := make([]*wsConn, 0, len(s.wsConns))
	for c := range s.wsConns {
		conns = append(conns, c)
	}
	s.wsMu.Unlock()
	for _, c := range conns {
		c.closeWith(closeRestart, "Server state changed, restarting the server")
	}
}

// wsConn is one WebSocket connection.
type wsConn struct {
	s      *Server
	conn   *websocket.Conn
	proto  string
	legacy bool // /v1alpha1/graphql: Hasura's legacy error objects
	// handshake are the upgrade request's headers, read with the first
	// connection_init's.
	handshake http.Header

	out  chan []byte
	done chan struct{} // closed by closeWith

	closeOnce   sync.Once
	closeCode   websocket.StatusCode
	closeReason string

	mu          sync.Mutex
	inited      bool
	initErr     string
	session     auth.Session
	expiry      *time.Timer
	ops         map[string]*wsOp
	wg          sync.WaitGroup // operations in flight
	initialized chan struct{}  // closed at the first successful init
}

// wsOp is an operation in flight: a query running or a subscription.
type wsOp struct {
	cancel context.CancelFunc
	sub    *live.Subscription
}

func newWSConn(s *Server, conn *websocket.Conn, proto string, r *http.Request) *wsConn {
	cfg := s.ws
	conn.SetReadLimit(int64(cfg.MaxMessageBytes))
	h := r.Header.Clone()
	for _, k := range []string{"Sec-Websocket-Key", "Sec-Websocket-Version", "Sec-Websocket-Extensions", "Sec-Websocket-Protocol", "Upgrade", "Connection"} {
		h.Del(k)
	}
	return &wsConn{
		s: s, conn: conn, proto: proto, legacy: r.URL.Path == "/v1alpha1/graphql", handshake: h,
		out: make(chan []byte, cfg.SendQueue), done: make(chan struct{}),
		ops: map[string]*wsOp{}, initialized: make(chan struct{}),
	}
}

// serve runs the connection: this goroutine reads, another writes; both,
// and every operation's, end before serve returns.
func (c *wsConn) serve() {
	var writer sync.WaitGroup
	writer.Add(1)
	go func() {
		defer writer.Done()
		c.writeLoop()
	}()
	c.readLoop()
	c.closeWith(websocket.StatusNormalClosure, "")
	c.stopAll()
	c.wg.Wait()
	writer.Wait()
}

// closeWith ends the connection with a close code; the first call wins.
func (c *wsConn) closeWith(code websocket.StatusCode, reason string) {
	c.closeOnce.Do(func() {
		c.closeCode, c.closeReason = code, reason
		close(c.done)
	})
}

// stopAll ends every operation of the connection.
func (c *wsConn) stopAll() {
	c.mu.Lock()
	ops := c.ops
	c.ops = map[string]*wsOp{}
	if c.expiry != nil {
		c.expiry.Stop()
	}
	c.mu.Unlock()
	for _, op := range ops {
		op.stop()
	}
}

func (op *wsOp) stop() {
	op.cancel()
	if op.sub != nil {
		op.sub.Stop()
	}
}

// writeLoop sends queued messages and keep-alives until the connection
// closes, then sends the close frame.
func (c *wsConn) writeLoop() {
	ka := time.NewTicker(c.s.ws.KeepAlive)
	defer ka.Stop()
	var initTimeout <-chan time.Time
	if c.proto == protoTransportWS {
		t := time.NewTimer(c.s.ws.InitTimeout)
		defer t.Stop()
		initTimeout = t.C
	}
	c.keepAlive()
	for {
		select {
		case msg := <-c.out:
			ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
			err := c.conn.Write(ctx, websocket.MessageText, msg)
			cancel()
			if err != nil {
				c.closeWith(websocket.StatusGoingAway, "")
			}
		case <-ka.C:
			c.keepAlive()
		case <-initTimeout:
			select {
			case <-c.initialized:
			default:
				c.closeWith(closeInitTimeout, "Connection initialisation timeout")
			}
		case <-c.done:
			_ = c.conn.Close(c.closeCode, c.closeReason)
			return
		}
	}
}

// keepAlive queues the protocol's keep-alive message.
func (c *wsConn) keepAlive() {
	if c.proto == protoTransportWS {
		c.send([]byte(`{"type":"ping","payload":{"message":"keepalive"}}`))
		return
	}
	c.send([]byte(`{"type":"ka"}`))
}

// send queues a message; a client whose queue is full is too slow to
// keep, and its connection is closed rather than the queue grown.
func (c *wsConn) send(msg []byte) {
	select {
	case <-c.done:
	case c.out <- msg:
	default:
		c.closeWith(closeTooSlow, "client too slow: send queue full")
	}
}

// clientMsg is a message from the client, in either protocol.
type clientMsg struct {
	Type    string          `json:"type"`
	ID      *string         `json:"id"`
	Payload json.RawMessage `json:"payload"`
}

// readLoop reads and handles messages until the connection ends.
func (c *wsConn) readLoop() {
	for {
		typ, data, err := c.conn.Read(context.Background())
		if err != nil {
			if websocket.CloseStatus(err) == websocket.StatusMessageTooBig {
				c.closeWith(websocket.StatusMessageTooBig, "message too big")
			}
			return
		}
		select {
		case <-c.done:
			return
		default:
		}
		if typ != websocket.MessageText && typ != websocket.MessageBinary {
			continue
		}
		c.handle(data)
	}
}

func (c *wsConn) handle(data []byte) {
	var m clientMsg
	if err := json.Unmarshal(data, &m); err != nil {
		c.badMessage("Error in $: Failed reading: not a valid json value")
		return
	}
	switch m.Type {
	case "connection_init":
		c.init(m.Payload)
	case "start", "subscribe":
		if m.ID == nil {
			c.badMessage(`Error in $: key "id" not found`)
			return
		}
		c.start(*m.ID, m.Payload)
	case "stop", "complete":
		if m.ID == nil {
			c.badMessage(`Error in $: key "id" not found`)
			return
		}
		c.stop(*m.ID)
	case "ping":
		c.send(pongMessage(m.Payload))
	case "pong":
	case "connection_terminate":
		c.closeWith(websocket.StatusNormalClosure, "GQL_CONNECTION_TERMINATE received")
	default:
		c.badMessage("Error in $: unexpected type for ClientMessage: " + m.Type)
	}
}

// badMessage answers a message that does not parse: the legacy protocol
// says so and goes on, graphql-transport-ws closes with 4400.
func (c *wsConn) badMessage(detail string) {
	text := "parsing ClientMessage failed: " + detail
	if c.proto == protoTransportWS {
		c.closeWith(closeBadRequest, serverErrorReason(closeBadRequest, "Parsing client message failed: "+text))
		return
	}
	c.send(connectionError(text))
}

func pongMessage(payload json.RawMessage) []byte {
	var p struct {
		Message *string `json:"message"`
	}
	if len(payload) == 0 || string(payload) == "null" || json.Unmarshal(payload, &p) != nil || p.Message == nil {
		return []byte(`{"type":"pong"}`)
	}
	b, _ := json.Marshal(map[string]any{"type": "pong", "payload": map[string]string{"message": *p.Message}})
	return b
}

func connectionError(text string) []byte {
	b, _ := json.Marshal(struct {
		Type    string `json:"type"`
		Payload string `json:"payload"`
	}{"connection_error", text})
	return b
}

// serverErrorReason is Hasura's close reason: {"server_error_msg":"<code>: <text>"}.
func serverErrorReason(code websocket.StatusCode, text string) string {
	b, _ := json.Marshal(map[string]string{"server_error_msg": itoa(int(code)) + ": " + text})
	return truncateReason(string(b))
}

// truncateReason keeps a close reason within the 123 bytes a close frame
// allows.
func truncateReason(s string) string {
	if len(s) <= 123 {
		return s
	}
	return s[:123]
}

func itoa(n int) string {
	b, _ := json.Marshal(n)
	return string(b)
}

// init authenticates the connection from connection_init's payload
// headers and the handshake's. A second init re-authenticates, as Hasura
// allows.
func (c *wsConn) init(payload json.RawMessage) {
	h, err := initHeaders(payload)
	if err != nil {
		c.badMessage(err.Error())
		return
	}
	c.mu.Lock()
	first := !c.inited && c.initErr == ""
	c.mu.Unlock()
	if first {
		for k, vs := range c.handshake {
			if _, ok := h[k]; !ok {
				h[k] = vs
			}
		}
	}
	sess, err := c.s.cfg.Auth.Authenticate(context.Background(), auth.Request{Header: h})
	if err != nil {
		msg := gqlerr.As(err).Message
		c.mu.Lock()
		c.inited, c.initErr = false, msg
		c.mu.Unlock()
		if c.proto == protoTransportWS {
			c.closeWith(closeForbidden, serverErrorReason(closeForbidden, "Forbidden"))
			return
		}
		c.send(connectionError(msg))
		c.closeWith(closeBadRequest, serverErrorReason(closeBadRequest, "Connection initialization failed: "+msg))
		return
	}
	c.mu.Lock()
	c.inited, c.initErr, c.session = true, "", sess
	if c.expiry != nil {
		c.expiry.Stop()
		c.expiry = nil
	}
	if !sess.Expiry.IsZero() {
		c.expiry = time.AfterFunc(time.Until(sess.Expiry), func() {
			c.closeWith(closeUnauthorized, serverErrorReason(closeUnauthorized, "Unauthorized: the token expired"))
		})
	}
	if first {
		close(c.initialized)
	}
	c.mu.Unlock()
	c.send([]byte(`{"type":"connection_ack"}`))
	c.keepAlive()
}

// initHeaders reads the headers of a connection_init payload: its
// "headers" object, as Hasura reads it, and, where that does not set
// them, string members at the top level (what many clients send as
// connectionParams).
func initHeaders(payload json.RawMessage) (http.Header, error) {
	h := http.Header{}
	if len(payload) == 0 || string(payload) == "null" {
		return h, nil
	}
	var top map[string]json.RawMessage
	if err := json.Unmarshal(payload, &top); err != nil {
		return nil, errors.New("Error in $.payload: parsing ConnParams failed, expected Object")
	}
	if raw, ok := top["headers"]; ok && string(raw) != "null" {
		var hs map[string]string
		if err := json.Unmarshal(raw, &hs); err != nil {
			return nil, errors.New("Error in $.payload.headers: expected an object of strings")
		}
		for k, v := range hs {
			h.Set(k, v)
		}
	}
	for k, raw := range top {
		if k == "headers" || h.Get(k) != "" {
			continue
		}
		var v string
		if json.Unmarshal(raw, &v) == nil {
			h.Set(k, v)
		}
	}
	return h, nil
}
