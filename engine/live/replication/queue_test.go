package replication

import (
	"context"
	"reflect"
	"strconv"
	"testing"
	"time"

	"github.com/jackc/pglogrepl"
)

func pglsn(i int) pglogrepl.LSN { return pglogrepl.LSN(i) }

func TestMerge(t *testing.T) {
	t0 := time.Date(2026, 1, 1, 0, 0, 0, 0, time.UTC)
	commit := func(lsn int, at time.Time, names ...string) Event {
		ev := Event{Kind: Commit, LSN: pglsn(lsn), CommitTime: at}
		for _, n := range names {
			ev.Tables = append(ev.Tables, tbl(n))
		}
		return ev
	}
	for _, tc := range []struct {
		name string
		a, b Event
		want Event
	}{
		{"commits", commit(1, t0, "a", "c"), commit(2, t0.Add(time.Second), "b", "c"),
			commit(2, t0.Add(time.Second), "a", "b", "c")},
		{"resync absorbs an earlier commit", commit(1, t0, "a"), Event{Kind: Resync, LSN: 5},
			Event{Kind: Resync, LSN: 5}},
		{"resync absorbs a later commit", Event{Kind: Resync, LSN: 5}, commit(7, t0, "a"),
			Event{Kind: Resync, LSN: 7}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			if got := merge(tc.a, tc.b); !reflect.DeepEqual(got, tc.want) {
				t.Fatalf("merge = %+v, want %+v", got, tc.want)
			}
		})
	}
}

// TestQueueSlowConsumer: a consumer that reads nothing for a while gets, in
// order, the buffered events and then merged ones, and every table is in
// some event: nothing is lost and push never blocks.
func TestQueueSlowConsumer(t *testing.T) {
	q := newQueue(4)
	out := make(chan Event, 2)
	ctx, cancel := context.WithCancel(context.Background())
	done := make(chan struct{})
	go func() {
		defer close(done)
		q.feed(ctx, out)
	}()
	const n = 100
	for i := 1; i <= n; i++ {
		q.push(Event{Kind: Commit, Tables: []Table{tbl("t" + strconv.Itoa(i))}, LSN: pglsn(i)})
	}
	seen := map[Table]bool{}
	var last Event
	// At most: the channel's 2, the one the feeder holds, the queue's 4.
	const most = 2 + 1 + 4
	for got := 0; len(seen) < n; got++ {
		if got == most {
			t.Fatalf("%d events without all %d tables, want them merged", got, n)
		}
		select {
		case ev := <-out:
			if ev.LSN <= last.LSN {
				t.Fatalf("LSN %v after %v", ev.LSN, last.LSN)
			}
			last = ev
			for _, tb := range ev.Tables {
				seen[tb] = true
			}
		case <-time.After(eventTimeout):
			t.Fatalf("only %d of %d tables delivered", len(seen), n)
		}
	}
	if last.LSN != n {
		t.Errorf("last LSN %v, want %v", last.LSN, pglsn(n))
	}
	cancel()
	<-done
	if _, ok := <-out; ok {
		t.Error("out not closed")
	}
}

func TestQueueResyncReplacesPending(t *testing.T) {
	q := newQueue(8)
	q.push(Event{Kind: Commit, Tables: []Table{tbl("a")}, LSN: 1})
	q.push(Event{Kind: Resync, LSN: 2})
	q.push(Event{Kind: Commit, Tables: []Table{tbl("b")}, LSN: 3})
	var got []EventKind
	for ev, ok := q.pop(); ok; ev, ok = q.pop() {
		got = append(got, ev.Kind)
	}
	if want := []EventKind{Resync, Commit}; !reflect.DeepEqual(got, want) {
		t.Fatalf("pending = %v, want %v", got, want)
	}
}

func TestConfigNames(t *testing.T) {
	for _, tc := range []struct {
		cfg Config
		ok  bool
	}{
		{Config{DatabaseURL: "x"}, true},
		{Config{DatabaseURL: "x", Slot: "trellis_live_1", Publication: "pub_1"}, true},
		{Config{DatabaseURL: "x", Slot: "Upper"}, false},
		{Config{DatabaseURL: "x", Slot: "a b"}, false},
		{Config{DatabaseURL: "x", Publication: "p'x"}, false},
		{Config{DatabaseURL: "x", Publication: string(make([]byte, 64))}, false},
	} {
		cfg, err := tc.cfg.withDefaults()
		if (err == nil) != tc.ok {
			t.Errorf("%+v: err = %v, want ok=%v", tc.cfg, err, tc.ok)
		}
		if err == nil && (cfg.Slot == "" || cfg.Publication == "" || cfg.Logger == nil) {
			t.Errorf("%+v: defaults not filled in: %+v", tc.cfg, cfg)
		}
	}
	a, errA := Config{DatabaseURL: "x"}.withDefaults()
	b, errB := Config{DatabaseURL: "x"}.withDefaults()
	if errA != nil || errB != nil {
		t.Fatal(errA, errB)
	}
	if a.Slot == b.Slot {
		t.Errorf("two default slot names are both %s", a.Slot)
	}
}
