package replication

import (
	"context"
	"errors"
	"fmt"

	"github.com/jackc/pgx/v5"
)

// ErrNotFound is returned by BaseTables when the relation does not exist.
var ErrNotFound = errors.New("replication: relation not found")

// Querier runs a query: *pgx.Conn, *pgxpool.Pool and pgx.Tx satisfy it.
type Querier interface {
	Query(ctx context.Context, sql string, args ...any) (pgx.Rows, error)
}

// baseTablesSQL follows the rewrite rules of views and materialized views
// (pg_rewrite) to the relations they reference (pg_depend), recursively,
// and keeps the ordinary and partitioned tables. UNION stops at relations
// already seen.
const baseTablesSQL = `WITH RECURSIVE rel(oid) AS (
	SELECT $1::oid
	UNION
	SELECT d.refobjid
	FROM rel
	JOIN pg_rewrite r ON r.ev_class = rel.oid
	JOIN pg_depend d ON d.classid = 'pg_rewrite'::regclass AND d.objid = r.oid
		AND d.refclassid = 'pg_class'::regclass AND d.refobjid <> rel.oid
)
SELECT ns.nspname, c.relname
FROM rel
JOIN pg_class c ON c.oid = rel.oid
JOIN pg_namespace ns ON ns.oid = c.relnamespace
WHERE c.relkind IN ('r', 'p')
`

// BaseTables returns the tables that view (a view or materialized view)
// reads, through other views recursively, sorted; a table is its own base
// table. Relations reached only through functions are not found. It
// returns an error wrapping ErrNotFound when view does not exist.
func BaseTables(ctx context.Context, q Querier, view Table) ([]Table, error) {
	rows, err := q.Query(ctx, `SELECT c.oid FROM pg_class c
		JOIN pg_namespace ns ON ns.oid = c.relnamespace
		WHERE ns.nspname = $1 AND c.relname = $2`, view.Schema, view.Name)
	if err != nil {
		return nil, fmt.Errorf("replication: look up %s: %w", view, err)
	}
	oid, err := pgx.CollectExactlyOneRow(rows, pgx.RowTo[uint32])
	if errors.Is(err, pgx.ErrNoRows) {
		return nil, fmt.Errorf("%w: %s", ErrNotFound, view)
	}
	if err != nil {
		return nil, fmt.Errorf("replication: look up %s: %w", view, err)
	}
	rows, err = q.Query(ctx, baseTablesSQL, oid)
	if err != nil {
		return nil, fmt.Errorf("replication: base tables of %s: %w", view, err)
	}
	tables, err := collectTables(rows)
	if err != nil {
		return nil, err
	}
	return sortedTables(tables), nil
}
