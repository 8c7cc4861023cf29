package server_test

import (
	"context"
	"encoding/json"
	"fmt"
	"runtime"
	"strings"
	"testing"
	"time"

	"github.com/jackc/pgx/v5"
)

// exec runs SQL on the test server's database, as another client would.
func (s *testServer) exec(t testing.TB, sql string, args ...any) {
	t.Helper()
	ctx := context.Background()
	conn, err := pgx.Connect(ctx, s.dsn)
	if err != nil {
		t.Fatal(err)
	}
	defer conn.Close(ctx)
	if _, err := conn.Exec(ctx, sql, args...); err != nil {
		t.Fatalf("%s: %v", sql, err)
	}
}

const subjectsSub = `subscription { subjects(where: {id: {_gt: 18}}, order_by: {id: asc}) { id name } }`

// Both protocols: the first result, exactly one new result per relevant
// commit, nothing for a commit to a table the query does not read, nothing
// after stop.
func TestLiveQueryBothProtocols(t *testing.T) {
	s := newTestServer(t, serverOptions{live: true})
	for _, proto := range []string{"graphql-ws", "graphql-transport-ws"} {
		t.Run(proto, func(t *testing.T) {
			c := s.dialWS(t, proto)
			if c.proto != proto {
				t.Fatalf("negotiated %q", c.proto)
			}
			data := "data"
			if proto == "graphql-transport-ws" {
				data = "next"
			}
			c.init(nil)
			c.start("1", subjectsSub, nil)
			c.expect(`{"type":"` + data + `","id":"1","payload":{"data":{"subjects":[{"id":19,"name":"Art History"},{"id":20,"name":"Study Skills"}]}}}`)

			id := 100
			if proto == "graphql-transport-ws" {
				id = 200
			}
			s.exec(t, `INSERT INTO subjects (id, name, category) VALUES ($1, $2, 'test')`, id, fmt.Sprint("Subject ", id))
			c.expect(fmt.Sprintf(`{"type":"%s","id":"1","payload":{"data":{"subjects":[{"id":19,"name":"Art History"},{"id":20,"name":"Study Skills"},{"id":%d,"name":"Subject %d"}]}}}`, data, id, id))

			// A commit to another table, and one that changes nothing the
			// query returns, send nothing.
			s.exec(t, `UPDATE users SET name = name || '' WHERE id = 1`)
			s.exec(t, `UPDATE subjects SET category = 'other' WHERE id = $1`, id)
			c.quiet(300 * time.Millisecond)

			c.stop("1")
			s.exec(t, `DELETE FROM subjects WHERE id = $1`, id)
			c.quiet(300 * time.Millisecond)
		})
	}
}

// Queries and mutations over the socket answer once, then complete.
func TestWebSocketQueryAndMutation(t *testing.T) {
	s := newTestServer(t, serverOptions{live: true})
	for _, proto := range []string{"graphql-ws", "graphql-transport-ws"} {
		t.Run(proto, func(t *testing.T) {
			data := "data"
			if proto == "graphql-transport-ws" {
				data = "next"
			}
			c := s.dialWS(t, proto)
			c.init(nil)
			c.start("q", `query { subjects_by_pk(id: 1) { id name } }`, nil)
			c.expect(`{"type":"` + data + `","id":"q","payload":{"data":{"subjects_by_pk":{"id":1,"name":"Algebra"}}}}`)
			c.expect(`{"type":"complete","id":"q"}`)
			c.start("m", `mutation($n: String!) { update_subjects_by_pk(pk_columns: {id: 1}, _set: {category: $n}) { id category } }`, map[string]any{"n": "STEM"})
			c.expect(`{"type":"` + data + `","id":"m","payload":{"data":{"update_subjects_by_pk":{"id":1,"category":"STEM"}}}}`)
			c.expect(`{"type":"complete","id":"m"}`)
		})
	}
}

// Errors in Hasura's shapes: a validation error (error, then complete), a
// start before connection_init, a duplicate id, a message that does not
// parse.
func TestWebSocketErrors(t *testing.T) {
	s := newTestServer(t, serverOptions{live: true})
	t.Run("legacy", func(t *testing.T) {
		c := s.dialWS(t, "graphql-ws")
		c.start("1", subjectsSub, nil)
		c.expect(`{"type":"error","id":"1","payload":{"message":"start received before the connection is initialised","extensions":{"path":"$","code":"start-failed"}}}`)
		c.expect(`{"type":"complete","id":"1"}`)
		c.init(nil)
		c.start("2", `subscription { nope { id } }`, nil)
		c.expect(`{"type":"error","id":"2","payload":{"errors":[{"message":"field 'nope' not found in type: 'subscription_root'","extensions":{"path":"$.selectionSet.nope","code":"validation-failed"}}]}}`)
		c.expect(`{"type":"complete","id":"2"}`)
		c.start("3", `subscription { subjects { id } users { id } }`, nil)
		c.expect(`{"type":"error","id":"3","payload":{"errors":[{"message":"subscriptions must select one top level field","extensions":{"path":"$","code":"validation-failed"}}]}}`)
		c.expect(`{"type":"complete","id":"3"}`)
		c.start("4", subjectsSub, nil)
		c.next() // its first result
		c.start("4", subjectsSub, nil)
		c.expect(`{"type":"error","id":"4","payload":{"message":"an operation already exists with this id: 4","extensions":{"path":"$","code":"start-failed"}}}`)
		c.expect(`{"type":"complete","id":"4"}`)
		c.sendRaw(`{"type":"test"}`)
		c.expect(`{"type":"connection_error","payload":"parsing ClientMessage failed: Error in $: unexpected type for ClientMessage: test"}`)
	})
	t.Run("graphql-transport-ws", func(t *testing.T) {
		c := s.dialWS(t, "graphql-transport-ws")
		c.init(nil)
		c.sendRaw(`{"type":"ping","payload":{"message":"hi"}}`)
		c.expect(`{"type":"pong","payload":{"message":"hi"}}`)
		c.start("2", `subscription { nope { id } }`, nil)
		c.expect(`{"type":"error","id":"2","payload":[{"message":"field 'nope' not found in type: 'subscription_root'","extensions":{"path":"$.selectionSet.nope","code":"validation-failed"}}]}`)
		c.expect(`{"type":"complete","id":"2"}`)
		c.start("4", subjectsSub, nil)
		c.next()
		c.start("4", subjectsSub, nil)
		if code := closeCode(c.closeErr()); code != 4409 {
			t.Fatalf("close code %d, want 4409", code)
		}
	})
	t.Run("graphql-transport-ws subscribe before init", func(t *testing.T) {
		c := s.dialWS(t, "graphql-transport-ws")
		c.start("1", subjectsSub, nil)
		if code := closeCode(c.closeErr()); code != 4401 {
			t.Fatalf("close code %d, want 4401", code)
		}
	})
}

// A role sees only its permitted rows in pushed results, with its session
// variables from connection_init's headers.
func TestLiveQueryPermissions(t *testing.T) {
	s := newTestServer(t, serverOptions{live: true})
	count := func(userID int) int {
		var n int
		ctx := context.Background()
		conn, err := pgx.Connect(ctx, s.dsn)
		if err != nil {
			t.Fatal(err)
		}
		defer conn.Close(ctx)
		if err := conn.QueryRow(ctx, `SELECT count(*) FROM matches m JOIN students s ON s.id = m.student_id WHERE s.user_id = $1`, userID).Scan(&n); err != nil {
			t.Fatal(err)
		}
		return n
	}
	msg := func(typ string, n int) string {
		return fmt.Sprintf(`{"type":"%s","id":"1","payload":{"data":{"matches_aggregate":{"aggregate":{"count":%d}}}}}`, typ, n)
	}
	// Two students of the seed (users 1 and 2 are students' users).
	var u1, u2 int
	ctx := context.Background()
	conn, err := pgx.Connect(ctx, s.dsn)
	if err != nil {
		t.Fatal(err)
	}
	if err := conn.QueryRow(ctx, `SELECT min(user_id), max(user_id) FROM (SELECT user_id FROM students ORDER BY id LIMIT 2) s`).Scan(&u1, &u2); err != nil {
		t.Fatal(err)
	}
	conn.Close(ctx)
	n1, n2 := count(u1), count(u2)

	c := s.dialWS(t, "graphql-transport-ws")
	c.init(map[string]string{"X-Hasura-Role": "student", "X-Hasura-User-Id": fmt.Sprint(u1)})
	c.start("1", `subscription { matches_aggregate { aggregate { count } } }`, nil)
	c.expect(msg("next", n1))
	other := s.dialWS(t, "graphql-ws")
	other.init(map[string]string{"X-Hasura-Role": "student", "X-Hasura-User-Id": fmt.Sprint(u2)})
	other.start("1", `subscription { matches_aggregate { aggregate { count } } }`, nil)
	other.expect(msg("data", n2))
	if st := s.live.Stats(); st.Cohorts != 1 || st.Subscriptions != 2 {
		t.Fatalf("the two students' subscriptions should share one cohort: %+v", st)
	}

	// A new match of the first student reaches the first student only.
	s.exec(t, `INSERT INTO matches (student_id, tutor_id, subject_id) SELECT s.id, 1, 1 FROM students s WHERE s.user_id = $1`, u1)
	c.expect(msg("next", n1+1))
	other.quiet(300 * time.Millisecond)
}

// Every goroutine of a connection ends when it closes.
func TestWebSocketNoGoroutineLeak(t *testing.T) {
	s := newTestServer(t, serverOptions{live: true})
	// Warm up the pool and the manager's workers.
	c := s.dialWS(t, "graphql-ws")
	c.init(nil)
	c.start("1", subjectsSub, nil)
	c.next()
	c.conn.CloseNow()
	waitGoroutines(t, -1)
	before := runtime.NumGoroutine()
	for i := range 5 {
		c := s.dialWS(t, "graphql-transport-ws")
		c.init(nil)
		for j := range 3 {
			c.start(fmt.Sprint(j), subjectsSub, nil)
			c.next()
		}
		c.start("q", `query { subjects_by_pk(id: 1) { id } }`, nil)
		c.next()
		c.next()
		if i%2 == 0 {
			c.conn.CloseNow()
		} else {
			c.conn.Close(1000, "")
		}
	}
	waitGoroutines(t, before)
	if st := s.live.Stats(); st.Subscriptions != 0 || st.Cohorts != 0 {
		t.Fatalf("subscriptions left: %+v", st)
	}
}

// waitGoroutines waits until at most n goroutines run (n < 0: until the
// count is stable), failing after 10 s.
func waitGoroutines(t *testing.T, n int) {
	t.Helper()
	deadline := time.Now().Add(10 * time.Second)
	last := -1
	for time.Now().Before(deadline) {
		g := runtime.NumGoroutine()
		if (n >= 0 && g <= n) || (n < 0 && g == last) {
			return
		}
		last = g
		time.Sleep(100 * time.Millisecond)
	}
	buf := make([]byte, 1<<20)
	t.Fatalf("goroutines: %d, want at most %d\n%s", runtime.NumGoroutine(), n, buf[:runtime.Stack(buf, true)])
}

// A streaming subscription sends the rows past its cursor, in batches of
// batch_size, each row once and in order, and nothing when no row is new.
func TestStreamingSubscription(t *testing.T) {
	s := newTestServer(t, serverOptions{live: true})
	c := s.dialWS(t, "graphql-transport-ws")
	c.init(nil)
	c.start("s", `subscription($from: Int!) { subjects_stream(batch_size: 2, cursor: {initial_value: {id: $from}}, where: {category: {_neq: "hidden"}}) { id name } }`, map[string]any{"from": 17})
	c.expect(`{"type":"next","id":"s","payload":{"data":{"subjects_stream":[{"id":18,"name":"Music Theory"},{"id":19,"name":"Art History"}]}}}`)
	c.expect(`{"type":"next","id":"s","payload":{"data":{"subjects_stream":[{"id":20,"name":"Study Skills"}]}}}`)
	c.quiet(200 * time.Millisecond)

	// One row, then five in one transaction (three batches), one that the
	// where excludes, and an update of an old row: each new row once.
	s.exec(t, `INSERT INTO subjects (id, name, category) VALUES (21, 'S21', 'x')`)
	c.expect(`{"type":"next","id":"s","payload":{"data":{"subjects_stream":[{"id":21,"name":"S21"}]}}}`)
	s.exec(t, `INSERT INTO subjects (id, name, category) VALUES (22, 'S22', 'x'), (23, 'S23', 'hidden'), (24, 'S24', 'x'), (25, 'S25', 'x'), (26, 'S26', 'x'), (27, 'S27', 'x')`)
	var got []string
	for len(got) < 5 {
		m := c.next()
		var p struct {
			Data struct {
				Rows []struct {
					ID int `json:"id"`
				} `json:"subjects_stream"`
			} `json:"data"`
		}
		if err := json.Unmarshal(m.Payload, &p); err != nil || m.Type != "next" || len(p.Data.Rows) == 0 || len(p.Data.Rows) > 2 {
			t.Fatalf("unexpected %s", m.raw)
		}
		for _, r := range p.Data.Rows {
			got = append(got, fmt.Sprint(r.ID))
		}
	}
	if strings.Join(got, ",") != "22,24,25,26,27" {
		t.Fatalf("rows %v, want 22,24,25,26,27 once each, in order", got)
	}
	s.exec(t, `UPDATE subjects SET name = 'Algebra I' WHERE id = 1`)
	c.quiet(300 * time.Millisecond)
}

// Without logical replication, live queries poll, with the same cohorts.
func TestLiveQueryPollingFallback(t *testing.T) {
	s := newTestServer(t, serverOptions{live: true, polling: true, pollInterval: 100 * time.Millisecond})
	if !s.feed.Polling() {
		t.Fatal("the feed does not poll")
	}
	c := s.dialWS(t, "graphql-ws")
	c.init(nil)
	c.start("1", subjectsSub, nil)
	c.expect(`{"type":"data","id":"1","payload":{"data":{"subjects":[{"id":19,"name":"Art History"},{"id":20,"name":"Study Skills"}]}}}`)
	c.quiet(300 * time.Millisecond) // polls that find no change send nothing
	s.exec(t, `INSERT INTO subjects (id, name, category) VALUES (30, 'S30', 'x')`)
	c.expect(`{"type":"data","id":"1","payload":{"data":{"subjects":[{"id":19,"name":"Art History"},{"id":20,"name":"Study Skills"},{"id":30,"name":"S30"}]}}}`)
}

// tryExec runs SQL on a database, returning the error.
func tryExec(dsn, sql string) error {
	ctx, cancel := context.WithTimeout(context.Background(), 5*time.Second)
	defer cancel()
	conn, err := pgx.Connect(ctx, dsn)
	if err != nil {
		return err
	}
	defer conn.Close(ctx)
	_, err = conn.Exec(ctx, sql)
	return err
}
