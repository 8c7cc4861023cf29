package live

import (
	"errors"
	"testing"

	"github.com/trellis-gql/trellis/engine/gql"
)

type countSink struct{ data, errs int }

func (s *countSink) Data(*gql.Result) { s.data++ }
func (s *countSink) Error(error)      { s.errs++ }

// A subscriber takes a result only when it is newer than the last and
// differs from it; an error makes the next result go out whatever it is.
func TestSubscriberOffer(t *testing.T) {
	sink := &countSink{}
	s := &subscriber{sink: sink}
	send := func() { sink.data++ }
	steps := []struct {
		seq, hash uint64
		want      int
	}{
		{2, 10, 1}, // first result
		{1, 11, 1}, // older than the last delivered
		{3, 10, 1}, // unchanged
		{4, 12, 2}, // changed
	}
	for i, st := range steps {
		s.offer(st.seq, st.hash, send)
		if sink.data != st.want {
			t.Fatalf("step %d: %d results delivered, want %d", i, sink.data, st.want)
		}
	}
	s.fail(errors.New("boom"))
	s.offer(5, 12, send)
	if sink.errs != 1 || sink.data != 3 {
		t.Fatalf("after an error: %d errors, %d results", sink.errs, sink.data)
	}
	s.stop()
	s.offer(6, 13, send)
	s.fail(errors.New("late"))
	if sink.data != 3 || sink.errs != 1 {
		t.Fatal("a stopped subscriber got something")
	}
}

// A stream's batch read from a cursor that has moved since is dropped, so
// no row goes out twice; a delivered batch moves every cursor argument.
func TestSubscriberAdvance(t *testing.T) {
	s := &subscriber{sink: &countSink{}, args: []any{"session", "0", "0"}, cursorPos: []int{1, 2}}
	sent := 0
	send := func() { sent++ }
	_, ver := s.snapshot()
	if !s.advance(ver, "5", send) || sent != 1 {
		t.Fatal("first batch not delivered")
	}
	if s.advance(ver, "7", send) || sent != 1 {
		t.Fatal("a batch read before the cursor moved was delivered")
	}
	args, ver2 := s.snapshot()
	if args[1] != "5" || args[2] != "5" || args[0] != "session" || ver2 == ver {
		t.Fatalf("args %v, version %d", args, ver2)
	}
}
