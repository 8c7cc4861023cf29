package metadataapi

import (
	"context"
	"fmt"
	"strconv"
	"strings"
	"time"

	"github.com/jackc/pgx/v5"

	"github.com/trellis-gql/trellis/engine/catalog"
	"github.com/trellis-gql/trellis/engine/exec"
	"github.com/trellis-gql/trellis/engine/gql"
	"github.com/trellis-gql/trellis/metadata"
)

// Boot prepares the store and builds the first snapshot: it creates
// hdb_catalog when missing, stores apply (a metadata directory given at
// start) when it is not nil, and loads the stored metadata. It returns the
// snapshot and the stored resource version.
func Boot(ctx context.Context, db *exec.DB, apply *metadata.Metadata) (*gql.Snapshot, int64, error) {
	var snap *gql.Snapshot
	var version int64
	err := pgx.BeginFunc(ctx, db.Pool, func(tx pgx.Tx) error {
		if err := metadata.EnsureCatalog(ctx, tx); err != nil {
			return err
		}
		stored, err := metadata.LoadStored(ctx, tx, true)
		if err != nil {
			return err
		}
		version = stored.ResourceVersion
		md := stored.Metadata
		// Applying the same directory again stores nothing and bumps no
		// version.
		if apply != nil && !sameJSON(apply, md) {
			if version, err = metadata.Save(ctx, tx, apply, stored.ResourceVersion, "boot"); err != nil {
				return err
			}
			md = apply
		}
		cat, err := catalog.Load(ctx, tx)
		if err != nil {
			return fmt.Errorf("introspecting the database: %w", err)
		}
		if cat, err = metadata.WithEnumRows(ctx, tx, md, cat); err != nil {
			return err
		}
		snap = gql.NewSnapshot(metadata.Resolve(md, cat))
		return nil
	})
	if err != nil {
		return nil, 0, err
	}
	return snap, version, nil
}

// SetVersion records the resource version of the snapshot the engine
// serves (the one Boot returned).
func (a *API) SetVersion(v int64) {
	a.mu.Lock()
	a.version = v
	a.mu.Unlock()
}

// Listen follows changes made by other engines on the same database: on
// each notification it reloads the stored metadata and the catalog and
// swaps the snapshot. It returns when ctx ends; connection failures are
// retried with a capped backoff.
func (a *API) Listen(ctx context.Context) {
	backoff := 100 * time.Millisecond
	for ctx.Err() == nil {
		err := a.listenOnce(ctx)
		if ctx.Err() != nil {
			return
		}
		a.log.Warn("metadata listener stopped; retrying", "error", err, "in", backoff)
		select {
		case <-ctx.Done():
			return
		case <-time.After(backoff):
		}
		backoff = min(backoff*2, 5*time.Second)
	}
}

func (a *API) listenOnce(ctx context.Context) error {
	// A connection of its own: it waits for notifications all the time
	// and would otherwise take one from the requests' pool.
	conn, err := pgx.ConnectConfig(ctx, a.db.Pool.Config().ConnConfig.Copy())
	if err != nil {
		return err
	}
	defer conn.Close(context.Background())
	if _, err := conn.Exec(ctx, "LISTEN "+metadata.NotifyChannel); err != nil {
		return err
	}
	// Changes may have been missed while not listening.
	if err := a.Reload(ctx); err != nil {
		return err
	}
	for {
		n, err := conn.WaitForNotification(ctx)
		if err != nil {
			return err
		}
		version, from, _ := strings.Cut(n.Payload, " ")
		if from == a.instance {
			continue
		}
		if v, err := strconv.ParseInt(version, 10, 64); err == nil && v <= a.currentVersion() {
			continue
		}
		if err := a.Reload(ctx); err != nil {
			return err
		}
	}
}

func (a *API) currentVersion() int64 {
	a.mu.Lock()
	defer a.mu.Unlock()
	return a.version
}

// Reload rebuilds the snapshot from the stored metadata and the database,
// unless the stored version is the one served already.
func (a *API) Reload(ctx context.Context) error {
	a.mu.Lock()
	defer a.mu.Unlock()
	stored, err := metadata.LoadStored(ctx, a.db.Pool, false)
	if err != nil {
		return err
	}
	if stored.ResourceVersion == a.version {
		return nil
	}
	cat, err := catalog.Load(ctx, a.db.Pool)
	if err != nil {
		return err
	}
	if cat, err = metadata.WithEnumRows(ctx, a.db.Pool, stored.Metadata, cat); err != nil {
		return err
	}
	a.engine.Swap(gql.NewSnapshot(metadata.Resolve(stored.Metadata, cat)))
	a.version, a.stored = stored.ResourceVersion, stored.Metadata
	a.log.Info("metadata reloaded", "resource_version", stored.ResourceVersion)
	if a.onReload != nil {
		a.onReload(stored.ResourceVersion)
	}
	return nil
}
