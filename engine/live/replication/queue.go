package replication

import (
	"context"
	"sync"
)

// queue holds the events the consumer has not taken yet, between the reader
// (push, never blocks) and the feeder (pop, then a blocking send on the
// Events channel). It never drops information: beyond limit events, a new
// commit merges into the last pending one, and a Resync replaces everything
// pending (the consumer refetches everything anyway).
type queue struct {
	limit  int
	notify chan struct{} // one slot: "pending may be non-empty"

	mu      sync.Mutex
	pending []Event
}

func newQueue(limit int) *queue {
	return &queue{limit: max(limit, 1), notify: make(chan struct{}, 1)}
}

// push appends ev, merging when the queue is full. It never blocks.
func (q *queue) push(ev Event) {
	q.mu.Lock()
	switch n := len(q.pending); {
	case ev.Kind == Resync:
		q.pending = append(q.pending[:0], ev)
	case n >= q.limit:
		q.pending[n-1] = merge(q.pending[n-1], ev)
	default:
		q.pending = append(q.pending, ev)
	}
	q.mu.Unlock()
	select {
	case q.notify <- struct{}{}:
	default:
	}
}

// pop removes and returns the oldest pending event.
func (q *queue) pop() (Event, bool) {
	q.mu.Lock()
	defer q.mu.Unlock()
	if len(q.pending) == 0 {
		return Event{}, false
	}
	ev := q.pending[0]
	q.pending[0] = Event{}
	q.pending = q.pending[1:]
	return ev, true
}

// feed moves events from q to out until ctx ends, then closes out.
func (q *queue) feed(ctx context.Context, out chan<- Event) {
	defer close(out)
	for {
		ev, ok := q.pop()
		if !ok {
			select {
			case <-q.notify:
				continue
			case <-ctx.Done():
				return
			}
		}
		select {
		case out <- ev:
		case <-ctx.Done():
			return
		}
	}
}
