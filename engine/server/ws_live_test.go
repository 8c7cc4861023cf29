package server_test

import (
	"context"
	"fmt"
	"strings"
	"testing"
	"time"

	"github.com/coder/websocket"
	"github.com/golang-jwt/jwt/v5"

	"github.com/trellis-gql/trellis/engine/auth"
	"github.com/trellis-gql/trellis/engine/pgtest"
	"github.com/trellis-gql/trellis/engine/server"
)

// A JWT's expiry closes the connection at that time (4401); a token that
// does not verify fails connection_init as Hasura fails it.
func TestWebSocketJWT(t *testing.T) {
	s := newTestServer(t, serverOptions{live: true, adminSecret: "secret", auth: auth.Config{JWTSecrets: []string{`{"type":"HS256","key":"` + hsKey + `"}`}}})
	token := func(exp time.Time) string {
		c := claims(with(roles("student", "student"), "x-hasura-user-id", "1"))
		c["exp"] = exp.Unix()
		return mint(t, jwt.SigningMethodHS256, []byte(hsKey), c, "")
	}
	t.Run("expiry closes the connection", func(t *testing.T) {
		c := s.dialWS(t, "graphql-transport-ws")
		c.init(map[string]string{"Authorization": "Bearer " + token(time.Now().Add(2*time.Second))})
		c.start("1", `subscription { subjects(where: {id: {_eq: 1}}) { id } }`, nil)
		c.expect(`{"type":"next","id":"1","payload":{"data":{"subjects":[{"id":1}]}}}`)
		start := time.Now()
		err := c.closeErr()
		if code := closeCode(err); code != 4401 {
			t.Fatalf("close code %d (%v), want 4401", code, err)
		}
		if waited := time.Since(start); waited > 3*time.Second {
			t.Fatalf("closed %v after the first result, the token expired 2s after it was made", waited)
		}
	})
	t.Run("legacy: a bad token fails the init", func(t *testing.T) {
		c := s.dialWS(t, "graphql-ws")
		c.sendJSON(map[string]any{"type": "connection_init", "payload": map[string]any{"headers": map[string]string{"Authorization": "Bearer nope"}}})
		m := c.next()
		if m.Type != "connection_error" {
			t.Fatalf("got %s", m.raw)
		}
		if code := closeCode(c.closeErr()); code != 4400 {
			t.Fatalf("close code %d, want 4400", code)
		}
	})
	t.Run("graphql-transport-ws: a bad token fails the init", func(t *testing.T) {
		c := s.dialWS(t, "graphql-transport-ws")
		c.sendJSON(map[string]any{"type": "connection_init", "payload": map[string]any{"Authorization": "Bearer nope"}})
		if code := closeCode(c.closeErr()); code != 4403 {
			t.Fatalf("close code %d, want 4403", code)
		}
	})
	t.Run("top-level connectionParams", func(t *testing.T) {
		c := s.dialWS(t, "graphql-transport-ws")
		c.sendJSON(map[string]any{"type": "connection_init", "payload": map[string]any{"Authorization": "Bearer " + token(time.Now().Add(time.Hour))}})
		c.expect(`{"type":"connection_ack"}`)
		c.start("1", `subscription { subjects(where: {id: {_eq: 2}}) { id } }`, nil)
		c.expect(`{"type":"next","id":"1","payload":{"data":{"subjects":[{"id":2}]}}}`)
	})
}

// The engine recovers when the Postgres cluster restarts under it: the
// change feed reconnects and every live query is refetched, so changes
// made while it was away arrive.
func TestLiveQueryClusterRestart(t *testing.T) {
	cl := pgtest.NewCluster(t, pgtest.ClusterOptions{})
	s := newTestServer(t, serverOptions{live: true, dsn: cl.URL("postgres")})
	if s.feed.Polling() {
		t.Fatal("the private cluster should allow logical replication")
	}
	c := s.dialWS(t, "graphql-ws")
	c.init(nil)
	c.start("1", subjectsSub, nil)
	c.expect(`{"type":"data","id":"1","payload":{"data":{"subjects":[{"id":19,"name":"Art History"},{"id":20,"name":"Study Skills"}]}}}`)

	cl.Restart(t)
	// The first write after the restart: the engine learns of it from the
	// new replication connection, or from the refetch that follows it.
	deadline := time.Now().Add(30 * time.Second)
	for {
		if err := tryExec(s.dsn, `INSERT INTO subjects (id, name, category) VALUES (40, 'S40', 'x')`); err == nil {
			break
		} else if time.Now().After(deadline) {
			t.Fatalf("the database did not come back: %v", err)
		}
		time.Sleep(100 * time.Millisecond)
	}
	c.expect(`{"type":"data","id":"1","payload":{"data":{"subjects":[{"id":19,"name":"Art History"},{"id":20,"name":"Study Skills"},{"id":40,"name":"S40"}]}}}`)
	s.exec(t, `DELETE FROM subjects WHERE id = 40`)
	c.expect(`{"type":"data","id":"1","payload":{"data":{"subjects":[{"id":19,"name":"Art History"},{"id":20,"name":"Study Skills"}]}}}`)
}

// With wal_level=replica the engine polls, and live queries still work.
func TestLiveQueryWalLevelReplica(t *testing.T) {
	cl := pgtest.NewCluster(t, pgtest.ClusterOptions{WalLevel: "replica"})
	s := newTestServer(t, serverOptions{live: true, dsn: cl.URL("postgres"), pollInterval: 100 * time.Millisecond})
	if !s.feed.Polling() {
		t.Fatal("wal_level=replica: the feed should poll")
	}
	c := s.dialWS(t, "graphql-transport-ws")
	c.init(nil)
	c.start("1", subjectsSub, nil)
	c.expect(`{"type":"next","id":"1","payload":{"data":{"subjects":[{"id":19,"name":"Art History"},{"id":20,"name":"Study Skills"}]}}}`)
	s.exec(t, `UPDATE subjects SET name = 'Art' WHERE id = 19`)
	c.expect(`{"type":"next","id":"1","payload":{"data":{"subjects":[{"id":19,"name":"Art"},{"id":20,"name":"Study Skills"}]}}}`)
}

// A commit costs one statement per cohort that reads the changed table,
// however many subscribers the cohorts have; a cohort that reads another
// table costs nothing, and so does an idle engine.
func TestLiveQueryStatementsPerChange(t *testing.T) {
	s := newTestServer(t, serverOptions{live: true})
	a, b := s.dialWS(t, "graphql-transport-ws"), s.dialWS(t, "graphql-ws")
	a.init(nil)
	b.init(nil)
	for i := 1; i <= 20; i++ {
		c := a
		if i%2 == 0 {
			c = b
		}
		id := fmt.Sprint(i)
		c.start("by_pk"+id, `subscription($id: Int!) { subjects_by_pk(id: $id) { id name } }`, map[string]any{"id": i})
		c.next()
		c.start("agg"+id, `subscription($c: String!) { subjects_aggregate(where: {category: {_eq: $c}}) { aggregate { count } } }`, map[string]any{"c": "Arts"})
		c.next()
		c.start("users"+id, `subscription($id: Int!) { users_by_pk(id: $id) { id } }`, map[string]any{"id": i})
		c.next()
	}
	st := s.live.Stats()
	if st.Cohorts != 3 || st.Subscriptions != 60 {
		t.Fatalf("stats %+v, want 3 cohorts of 20", st)
	}
	time.Sleep(200 * time.Millisecond)
	idle := s.live.Stats().Statements
	time.Sleep(300 * time.Millisecond)
	if n := s.live.Stats().Statements - idle; n != 0 {
		t.Fatalf("%d statements while idle", n)
	}
	s.exec(t, `UPDATE subjects SET name = 'Algebra I' WHERE id = 1`)
	a.expect(`{"type":"next","id":"by_pk1","payload":{"data":{"subjects_by_pk":{"id":1,"name":"Algebra I"}}}}`)
	a.quiet(200 * time.Millisecond) // the aggregate did not change
	b.quiet(0)
	if n := s.live.Stats().Statements - idle; n != 2 {
		t.Fatalf("%d statements for one change, want 2 (the cohorts that read subjects)", n)
	}
}

// The limits: operations per connection, the size of a result message.
func TestWebSocketLimits(t *testing.T) {
	s := newTestServer(t, serverOptions{live: true, ws: server.WSConfig{MaxSubscriptions: 2, MaxMessageBytes: 4096}})
	c := s.dialWS(t, "graphql-ws")
	c.init(nil)
	c.start("1", subjectsSub, nil)
	c.next()
	c.start("2", subjectsSub, nil)
	c.next()
	c.start("3", subjectsSub, nil)
	c.expect(`{"type":"error","id":"3","payload":{"errors":[{"message":"too many operations on this connection","extensions":{"path":"$","code":"bad-request"}}]}}`)
	c.expect(`{"type":"complete","id":"3"}`)
	c.stop("2")
	// 5 000 users do not fit in 4 KiB.
	c.start("big", `query { users { id name email } }`, nil)
	c.expect(`{"type":"data","id":"big","payload":{"errors":[{"message":"the result is larger than the WebSocket message size limit","extensions":{"path":"$","code":"unexpected"}}]}}`)
	c.expect(`{"type":"complete","id":"big"}`)
}

// The protocol is chosen as Hasura chooses it: graphql-transport-ws only
// when it is the one protocol offered.
func TestWebSocketProtocolChoice(t *testing.T) {
	s := newTestServer(t, serverOptions{live: true})
	for _, offered := range [][]string{nil, {"graphql-ws"}, {"graphql-ws", "graphql-transport-ws"}, {"foo"}} {
		ctx, cancel := context.WithTimeout(context.Background(), 5*time.Second)
		conn, _, err := websocket.Dial(ctx, "ws"+strings.TrimPrefix(s.URL, "http")+"/v1/graphql", &websocket.DialOptions{Subprotocols: offered})
		cancel()
		if err != nil {
			t.Fatalf("%v: %v", offered, err)
		}
		want := ""
		if len(offered) > 0 && offered[0] == "graphql-ws" {
			want = "graphql-ws"
		}
		if got := conn.Subprotocol(); got != want {
			t.Errorf("%v: answered %q, want %q", offered, got, want)
		}
		// The legacy protocol's keep-alive comes first.
		ctx, cancel = context.WithTimeout(context.Background(), 5*time.Second)
		_, data, err := conn.Read(ctx)
		cancel()
		if err != nil || string(data) != `{"type":"ka"}` {
			t.Errorf("%v: first message %s (%v), want the legacy ka", offered, data, err)
		}
		conn.CloseNow()
	}
}

// A metadata change closes every socket with 1012, as Hasura does: clients
// reconnect and subscribe against the new schema.
func TestWebSocketClosedOnMetadataChange(t *testing.T) {
	s := newTestServer(t, serverOptions{live: true, metadataAPI: true})
	c := s.dialWS(t, "graphql-transport-ws")
	c.init(nil)
	c.start("1", subjectsSub, nil)
	c.next()
	if status, body := s.send(t, "POST", "/v1/metadata", `{"type":"reload_metadata","args":{}}`, nil); status != 200 {
		t.Fatalf("reload: %d %s", status, body)
	}
	if code := closeCode(c.closeErr()); code != 1012 {
		t.Fatalf("close code %d, want 1012", code)
	}
	waitFor(t, func() bool { return s.live.Stats().Subscriptions == 0 })
}

func waitFor(t *testing.T, cond func() bool) {
	t.Helper()
	for deadline := time.Now().Add(10 * time.Second); time.Now().Before(deadline); time.Sleep(20 * time.Millisecond) {
		if cond() {
			return
		}
	}
	t.Fatal("condition not met within 10s")
}

// A cohort bigger than a batch is answered batch by batch (here 3 batches
// of at most 2), every subscriber getting its own result.
func TestLiveQueryBatches(t *testing.T) {
	s := newTestServer(t, serverOptions{live: true, batchSize: 2})
	c := s.dialWS(t, "graphql-transport-ws")
	c.init(nil)
	for i := 1; i <= 5; i++ {
		c.start(fmt.Sprint(i), `subscription($id: Int!) { subjects_by_pk(id: $id) { id name } }`, map[string]any{"id": i})
		c.next()
	}
	before := s.live.Stats().Statements
	s.exec(t, `UPDATE subjects SET name = name || '!' WHERE id IN (2, 5)`)
	got := map[string]bool{}
	for range 2 {
		m := c.next()
		got[m.ID] = true
	}
	if !got["2"] || !got["5"] {
		t.Fatalf("pushed to %v, want 2 and 5", got)
	}
	c.quiet(200 * time.Millisecond)
	if n := s.live.Stats().Statements - before; n != 3 {
		t.Fatalf("%d statements, want 3 batches", n)
	}
}
