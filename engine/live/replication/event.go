package replication

import (
	"cmp"
	"slices"
	"time"

	"github.com/jackc/pglogrepl"
)

// EventKind says what an Event reports.
type EventKind int

const (
	// Commit: a committed transaction changed Tables.
	Commit EventKind = iota
	// Resync: the stream restarted after a connection loss; changes may have
	// been missed, so the consumer must refetch everything.
	Resync
)

// String returns "commit" or "resync".
func (k EventKind) String() string {
	switch k {
	case Commit:
		return "commit"
	case Resync:
		return "resync"
	}
	return "unknown"
}

// Event is one item of the Listener's stream.
type Event struct {
	Kind EventKind
	// Tables holds, for Commit, the distinct tables the transaction
	// inserted into, updated, deleted from or truncated, sorted by schema
	// then name. Empty for Resync.
	Tables []Table
	// LSN is, for Commit, the end of the transaction's commit record; for
	// Resync, the new slot's consistent point (0 when a permanent slot was
	// reused).
	LSN pglogrepl.LSN
	// CommitTime is the commit timestamp (Commit only).
	CommitTime time.Time
}

// merge returns the event that stands for a followed by b. A Resync absorbs
// everything, since the consumer refetches everything after it; two commits
// merge into the union of their tables, at the later LSN.
func merge(a, b Event) Event {
	if a.Kind == Resync || b.Kind == Resync {
		return Event{Kind: Resync, LSN: max(a.LSN, b.LSN)}
	}
	return Event{
		Kind:       Commit,
		Tables:     sortedTables(append(slices.Clone(a.Tables), b.Tables...)),
		LSN:        max(a.LSN, b.LSN),
		CommitTime: latest(a.CommitTime, b.CommitTime),
	}
}

func latest(a, b time.Time) time.Time {
	if b.After(a) {
		return b
	}
	return a
}

// sortedTables sorts ts by schema then name and removes duplicates, in place.
func sortedTables(ts []Table) []Table {
	slices.SortFunc(ts, func(a, b Table) int {
		return cmp.Or(cmp.Compare(a.Schema, b.Schema), cmp.Compare(a.Name, b.Name))
	})
	return slices.Compact(ts)
}
