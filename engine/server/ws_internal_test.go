package server

import (
	"testing"

	"github.com/coder/websocket"
)

// A client that does not read its messages is cut off when its queue is
// full, instead of the queue growing.
func TestWebSocketSlowClient(t *testing.T) {
	c := &wsConn{out: make(chan []byte, 2), done: make(chan struct{})}
	c.send([]byte("1"))
	c.send([]byte("2"))
	select {
	case <-c.done:
		t.Fatal("closed with room in the queue")
	default:
	}
	c.send([]byte("3"))
	select {
	case <-c.done:
	default:
		t.Fatal("not closed when the queue overflowed")
	}
	if c.closeCode != websocket.StatusPolicyViolation {
		t.Fatalf("close code %d", c.closeCode)
	}
	if len(c.out) != 2 {
		t.Fatalf("queue holds %d messages", len(c.out))
	}
}
