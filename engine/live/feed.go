package live

import (
	"context"
	"errors"
	"log/slog"
	"sync"

	"github.com/trellis-gql/trellis/engine/catalog"
	"github.com/trellis-gql/trellis/engine/gql"
	"github.com/trellis-gql/trellis/engine/live/replication"
)

// FeedConfig configures the change feed that drives a Manager.
type FeedConfig struct {
	// DatabaseURL is the engine's database.
	DatabaseURL string
	// Tables returns the tracked tables, for the publication; it is called
	// at the start and by Feed.Retrack.
	Tables func() []catalog.QualifiedName
	Logger *slog.Logger
	// Replication tunes the listener (its DatabaseURL and Logger are set
	// from the fields above).
	Replication replication.Config
	// ForcePolling skips logical replication.
	ForcePolling bool
}

// Feed drives a Manager from the database's committed changes (logical
// replication), or, where that is unavailable, by polling.
type Feed struct {
	m        *Manager
	cfg      FeedConfig
	listener *replication.Listener
	cancel   context.CancelFunc
	wg       sync.WaitGroup
}

// StartFeed connects a Manager to the database's change stream. When
// logical replication cannot be used (wal_level is not logical, the role
// may not replicate), it says so once in the log and polls every cohort
// at the manager's PollInterval instead, as Hasura does.
func StartFeed(ctx context.Context, m *Manager, cfg FeedConfig) (*Feed, error) {
	log := cfg.Logger
	if log == nil {
		log = slog.New(slog.DiscardHandler)
	}
	log = log.With("component", "live")
	ctx, cancel := context.WithCancel(ctx)
	f := &Feed{m: m, cfg: cfg, cancel: cancel}
	if !cfg.ForcePolling {
		rc := cfg.Replication
		rc.DatabaseURL, rc.Logger = cfg.DatabaseURL, log
		l, err := replication.Start(ctx, rc, toReplication(cfg.Tables()))
		switch {
		case err == nil:
			f.listener = l
			m.cfg.BaseTables = f.baseTables
			f.wg.Add(1)
			go f.consume(ctx)
			log.Info("live queries follow the database's changes (logical replication)")
			return f, nil
		case errors.Is(err, replication.ErrUnavailable):
			log.Warn("logical replication is unavailable: live queries poll the database instead", "interval", m.cfg.PollInterval, "reason", err)
		default:
			cancel()
			return nil, err
		}
	}
	f.wg.Add(1)
	go func() {
		defer f.wg.Done()
		m.Poll(ctx)
	}()
	return f, nil
}

// Polling reports whether the feed polls (no logical replication).
func (f *Feed) Polling() bool { return f.listener == nil }

// Retrack updates the publication after the tracked tables changed.
func (f *Feed) Retrack(ctx context.Context) error {
	if f.listener == nil {
		return nil
	}
	return f.listener.SetTables(ctx, toReplication(f.cfg.Tables()))
}

// Close stops the feed.
func (f *Feed) Close() {
	f.cancel()
	if f.listener != nil {
		_ = f.listener.Close()
	}
	f.wg.Wait()
}

// consume routes each committed change to the cohorts it concerns, and
// refetches everything after the stream was interrupted.
func (f *Feed) consume(ctx context.Context) {
	defer f.wg.Done()
	for {
		select {
		case <-ctx.Done():
			return
		case ev, ok := <-f.listener.Events():
			if !ok {
				return
			}
			switch ev.Kind {
			case replication.Commit:
				names := make([]catalog.QualifiedName, len(ev.Tables))
				for i, t := range ev.Tables {
					names[i] = catalog.QualifiedName{Schema: t.Schema, Name: t.Name}
				}
				f.m.Changed(names)
			case replication.Resync:
				f.m.RefetchAll()
			}
		}
	}
}

// baseTables finds the tables a view reads, on a connection of the pool.
func (f *Feed) baseTables(ctx context.Context, view catalog.QualifiedName) ([]catalog.QualifiedName, error) {
	base, err := replication.BaseTables(ctx, f.m.cfg.DB.Pool, replication.Table{Schema: view.Schema, Name: view.Name})
	if err != nil {
		return nil, err
	}
	out := make([]catalog.QualifiedName, len(base))
	for i, t := range base {
		out[i] = catalog.QualifiedName{Schema: t.Schema, Name: t.Name}
	}
	return out, nil
}

// TrackedTables are the tables (not views) a snapshot's metadata tracks:
// what the publication covers when it cannot cover all tables.
func TrackedTables(snap *gql.Snapshot) []catalog.QualifiedName {
	var out []catalog.QualifiedName
	for _, t := range snap.Model.Tables {
		if t.Info.Kind == catalog.KindTable || t.Info.Kind == catalog.KindPartitionedTable {
			out = append(out, t.Info.Name)
		}
	}
	return out
}

func toReplication(names []catalog.QualifiedName) []replication.Table {
	out := make([]replication.Table, len(names))
	for i, n := range names {
		out[i] = replication.Table{Schema: n.Schema, Name: n.Name}
	}
	return out
}
