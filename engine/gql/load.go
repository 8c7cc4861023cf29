package gql

import (
	"context"
	"fmt"

	"github.com/trellis-gql/trellis/engine/catalog"
	"github.com/trellis-gql/trellis/metadata"
)

// LoadSnapshot introspects the database and resolves the metadata against
// it. Inconsistent objects are left out of the snapshot and listed in its
// model; only a failure to introspect is an error.
func LoadSnapshot(ctx context.Context, q catalog.Querier, md *metadata.Metadata) (*Snapshot, error) {
	cat, err := catalog.Load(ctx, q)
	if err != nil {
		return nil, fmt.Errorf("introspecting the database: %w", err)
	}
	if md == nil {
		md = &metadata.Metadata{Version: 3}
	}
	if cat, err = metadata.WithEnumRows(ctx, q, md, cat); err != nil {
		return nil, err
	}
	return NewSnapshot(metadata.Resolve(md, cat)), nil
}
