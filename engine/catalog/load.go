package catalog

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"

	"github.com/jackc/pgx/v5"
)

// Querier is what Load needs of a connection or a pool. *pgx.Conn,
// *pgxpool.Pool, *pgxpool.Conn and pgx.Tx satisfy it.
type Querier interface {
	Query(ctx context.Context, sql string, args ...any) (pgx.Rows, error)
}

// ErrNoResult is returned when the introspection statement returns no row,
// which a working server never does.
var ErrNoResult = errors.New("catalog: introspection returned no row")

// Load introspects the database behind q: every table, partitioned table,
// view, materialized view and foreign table outside pg_catalog,
// information_schema, pg_toast*, pg_temp* and hdb_catalog, with their columns,
// keys and foreign keys; the plain functions (no aggregates, window
// functions or procedures) outside the same schemas, with their input
// arguments; and the types those columns and functions use plus every enum.
//
// It sends one statement in one round trip (QueryExecModeExec: no prepare),
// whatever the number of tables; the result is a consistent snapshot.
// It needs PostgreSQL 12 or later.
//
// Column defaults follow pg_attrdef: HasDefault is true and Default holds the
// expression for a column with a DEFAULT and for a generated column (its
// generation expression; Generated tells them apart). An identity column has
// no pg_attrdef entry: HasDefault is false and Identity is set.
func Load(ctx context.Context, q Querier) (*Catalog, error) {
	raw, err := query(ctx, q)
	if err != nil {
		return nil, err
	}
	return decode(raw)
}

// query runs introspectSQL and returns its single json value.
func query(ctx context.Context, q Querier) ([]byte, error) {
	rows, err := q.Query(ctx, introspectSQL, pgx.QueryExecModeExec)
	if err != nil {
		return nil, fmt.Errorf("catalog: introspection query: %w", err)
	}
	defer rows.Close()
	var raw []byte
	found := false
	for rows.Next() {
		if err := rows.Scan(&raw); err != nil {
			return nil, fmt.Errorf("catalog: scan introspection result: %w", err)
		}
		found = true
	}
	if err := rows.Err(); err != nil {
		return nil, fmt.Errorf("catalog: introspection query: %w", err)
	}
	if !found {
		return nil, ErrNoResult
	}
	return raw, nil
}

// decode turns the json document of introspectSQL into a Catalog.
func decode(raw []byte) (*Catalog, error) {
	var doc rawCatalog
	if err := json.Unmarshal(raw, &doc); err != nil {
		return nil, fmt.Errorf("catalog: decode introspection result: %w", err)
	}
	c := &Catalog{
		Tables:    make(map[QualifiedName]*Table, len(doc.Tables)),
		Types:     make(map[uint32]*Type, len(doc.Types)),
		Functions: make(map[QualifiedName][]*Function, len(doc.Functions)),
	}
	for i := range doc.Tables {
		t, err := doc.Tables[i].table()
		if err != nil {
			return nil, err
		}
		c.Tables[t.Name] = t
	}
	for i := range doc.Types {
		t := doc.Types[i].typ()
		c.Types[t.OID] = t
	}
	for i := range doc.Functions {
		f := doc.Functions[i].function()
		c.Functions[f.Name] = append(c.Functions[f.Name], f)
	}
	return c, nil
}
