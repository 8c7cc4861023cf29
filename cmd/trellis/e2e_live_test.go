package main

import (
	"context"
	"encoding/json"
	"net/http"
	"strings"
	"testing"
	"time"

	"github.com/coder/websocket"
)

// trellis serve pushes live query results over WebSocket, driven by the
// database's logical replication.
func TestServeLiveQueries(t *testing.T) {
	e := startEngine(t)
	post := func(path, body string) {
		t.Helper()
		resp, err := http.Post(e.url+path, "application/json", strings.NewReader(body))
		if err != nil {
			t.Fatal(err)
		}
		resp.Body.Close()
		if resp.StatusCode != http.StatusOK {
			t.Fatalf("%s %s: status %d", path, body, resp.StatusCode)
		}
	}
	post("/v2/query", `{"type":"run_sql","args":{"sql":"CREATE TABLE notes (id int PRIMARY KEY, body text NOT NULL)"}}`)
	post("/v1/metadata", `{"type":"pg_track_table","args":{"table":"notes"}}`)

	ctx, cancel := context.WithTimeout(context.Background(), 20*time.Second)
	defer cancel()
	conn, _, err := websocket.Dial(ctx, "ws"+strings.TrimPrefix(e.url, "http")+"/v1/graphql", &websocket.DialOptions{Subprotocols: []string{"graphql-transport-ws"}})
	if err != nil {
		t.Fatal(err)
	}
	defer conn.CloseNow()
	send := func(s string) {
		if err := conn.Write(ctx, websocket.MessageText, []byte(s)); err != nil {
			t.Fatal(err)
		}
	}
	next := func() string {
		for {
			_, data, err := conn.Read(ctx)
			if err != nil {
				t.Fatal(err)
			}
			var m struct{ Type string }
			_ = json.Unmarshal(data, &m)
			if m.Type != "ping" {
				return string(data)
			}
		}
	}
	send(`{"type":"connection_init","payload":{}}`)
	if m := next(); m != `{"type":"connection_ack"}` {
		t.Fatalf("got %s", m)
	}
	send(`{"type":"subscribe","id":"1","payload":{"query":"subscription { notes(order_by: {id: asc}) { id body } }"}}`)
	if m := next(); m != `{"type":"next","id":"1","payload":{"data":{"notes":[]}}}` {
		t.Fatalf("got %s", m)
	}
	post("/v1/graphql", `{"query":"mutation { insert_notes_one(object: {id: 1, body: \"hi\"}) { id } }"}`)
	if m := next(); m != `{"type":"next","id":"1","payload":{"data":{"notes":[{"id" : 1, "body" : "hi"}]}}}` {
		t.Fatalf("got %s", m)
	}
}
