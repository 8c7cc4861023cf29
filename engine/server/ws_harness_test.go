package server_test

import (
	"context"
	"encoding/json"
	"net/http"
	"strings"
	"testing"
	"time"

	"github.com/coder/websocket"
)

// wsClient is a WebSocket client of /v1/graphql for tests: it reads every
// message into a channel (keep-alives dropped) so a test can wait for the
// next one or check that none comes.
type wsClient struct {
	t     testing.TB
	conn  *websocket.Conn
	proto string
	msgs  chan wsMsg
	// closed receives the close error when the connection ends.
	closed chan error
}

type wsMsg struct {
	Type    string          `json:"type"`
	ID      string          `json:"id,omitempty"`
	Payload json.RawMessage `json:"payload,omitempty"`
	raw     string
}

// dialWS connects with a subprotocol ("" offers none).
func (s *testServer) dialWS(t testing.TB, proto string) *wsClient {
	t.Helper()
	return s.dialWSPath(t, proto, "/v1/graphql", nil)
}

func (s *testServer) dialWSPath(t testing.TB, proto, path string, header http.Header) *wsClient {
	t.Helper()
	return dialWSURL(t, s.URL+path, proto, header)
}

// dialWSURL connects to an http:// URL's WebSocket.
func dialWSURL(t testing.TB, url, proto string, header http.Header) *wsClient {
	t.Helper()
	ctx, cancel := context.WithTimeout(context.Background(), 5*time.Second)
	defer cancel()
	opts := &websocket.DialOptions{HTTPHeader: header}
	if proto != "" {
		opts.Subprotocols = []string{proto}
	}
	conn, _, err := websocket.Dial(ctx, "ws"+strings.TrimPrefix(url, "http"), opts)
	if err != nil {
		t.Fatalf("dial: %v", err)
	}
	c := &wsClient{t: t, conn: conn, proto: conn.Subprotocol(), msgs: make(chan wsMsg, 1000), closed: make(chan error, 1)}
	go func() {
		for {
			_, data, err := conn.Read(context.Background())
			if err != nil {
				c.closed <- err
				close(c.msgs)
				return
			}
			var m wsMsg
			if err := json.Unmarshal(data, &m); err != nil {
				t.Errorf("server sent non-JSON %q", data)
				continue
			}
			m.raw = string(data)
			if testing.Verbose() {
				t.Logf("<- %s", data)
			}
			if m.Type == "ka" || (m.Type == "ping" && m.ID == "") {
				continue
			}
			c.msgs <- m
		}
	}()
	t.Cleanup(func() { conn.Close(websocket.StatusNormalClosure, "") })
	return c
}

// sendJSON sends a message.
func (c *wsClient) sendJSON(v any) {
	c.t.Helper()
	b, err := json.Marshal(v)
	if err != nil {
		c.t.Fatal(err)
	}
	c.sendRaw(string(b))
}

func (c *wsClient) sendRaw(s string) {
	c.t.Helper()
	ctx, cancel := context.WithTimeout(context.Background(), 5*time.Second)
	defer cancel()
	if err := c.conn.Write(ctx, websocket.MessageText, []byte(s)); err != nil {
		c.t.Fatalf("write: %v", err)
	}
}

// init sends connection_init with headers and expects connection_ack.
func (c *wsClient) init(headers map[string]string) {
	c.t.Helper()
	payload := map[string]any{}
	if headers != nil {
		payload["headers"] = headers
	}
	c.sendJSON(map[string]any{"type": "connection_init", "payload": payload})
	if m := c.next(); m.Type != "connection_ack" {
		c.t.Fatalf("expected connection_ack, got %s", m.raw)
	}
}

// start starts an operation, with the message type of the protocol.
func (c *wsClient) start(id, query string, vars any) {
	c.t.Helper()
	typ := "start"
	if c.proto == "graphql-transport-ws" {
		typ = "subscribe"
	}
	payload := map[string]any{"query": query}
	if vars != nil {
		payload["variables"] = vars
	}
	c.sendJSON(map[string]any{"type": typ, "id": id, "payload": payload})
}

// stop stops an operation.
func (c *wsClient) stop(id string) {
	c.t.Helper()
	typ := "stop"
	if c.proto == "graphql-transport-ws" {
		typ = "complete"
	}
	c.sendJSON(map[string]any{"type": typ, "id": id})
}

// next returns the next message, failing after 10 s.
func (c *wsClient) next() wsMsg {
	c.t.Helper()
	select {
	case m, ok := <-c.msgs:
		if !ok {
			c.t.Fatalf("connection closed while waiting for a message: %v", c.closeErr())
		}
		return m
	case <-time.After(10 * time.Second):
		c.t.Fatal("no message within 10s")
	}
	return wsMsg{}
}

// expect reads the next message and compares it with want (JSON, key order
// ignored).
func (c *wsClient) expect(want string) {
	c.t.Helper()
	m := c.next()
	if !jsonEqual(c.t, m.raw, want) {
		c.t.Fatalf("message:\n got  %s\n want %s", m.raw, want)
	}
}

// quiet checks that no message arrives for a while.
func (c *wsClient) quiet(d time.Duration) {
	c.t.Helper()
	select {
	case m, ok := <-c.msgs:
		if ok {
			c.t.Fatalf("unexpected message: %s", m.raw)
		}
	case <-time.After(d):
	}
}

// closeErr waits for the connection's end and returns its error.
func (c *wsClient) closeErr() error {
	select {
	case err := <-c.closed:
		c.closed <- err
		return err
	case <-time.After(10 * time.Second):
		c.t.Fatal("connection not closed within 10s")
	}
	return nil
}

func jsonEqual(t testing.TB, a, b string) bool {
	t.Helper()
	var x, y any
	if err := json.Unmarshal([]byte(a), &x); err != nil {
		t.Fatalf("not JSON: %s", a)
	}
	if err := json.Unmarshal([]byte(b), &y); err != nil {
		t.Fatalf("not JSON: %s", b)
	}
	xb, _ := json.Marshal(x)
	yb, _ := json.Marshal(y)
	return string(xb) == string(yb)
}

// closeCode is the close code of a connection's end (-1 if none).
func closeCode(err error) int {
	return int(websocket.CloseStatus(err))
}
