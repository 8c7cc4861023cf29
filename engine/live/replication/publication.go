package replication

import (
	"context"
	"errors"
	"fmt"
	"strings"

	"github.com/jackc/pgx/v5"
	"github.com/jackc/pgx/v5/pgconn"
)

// ErrUnavailable is wrapped by Start when logical replication cannot be
// used at all (wal_level, role attributes, a refused replication
// connection, no free slot or WAL sender): the caller logs it once and
// falls back to polling.
var ErrUnavailable = errors.New("replication: logical replication unavailable")

// SQLSTATEs that mean the server will not replicate to us.
const (
	codeInsufficientPrivilege = "42501"
	codeInvalidAuthorization  = "28000"
	codeTooManyConnections    = "53300"
	codeConfigLimitExceeded   = "53400"
	codePrerequisiteState     = "55000"
	codeDuplicateObject       = "42710"
)

// role is what the availability check learns about the connected role.
type role struct {
	name  string
	super bool
}

// connectSQL opens an ordinary (non-replication) connection.
func connectSQL(ctx context.Context, dsn string) (*pgx.Conn, error) {
	cc, err := pgx.ParseConfig(dsn)
	if err != nil {
		return nil, fmt.Errorf("replication: parse database URL: %w", err)
	}
	delete(cc.RuntimeParams, "replication")
	conn, err := pgx.ConnectConfig(ctx, cc)
	if err != nil {
		return nil, fmt.Errorf("replication: connect: %w", err)
	}
	return conn, nil
}

// checkAvailable returns an error wrapping ErrUnavailable when wal_level
// is not logical or the role has neither REPLICATION nor SUPERUSER.
func checkAvailable(ctx context.Context, conn *pgx.Conn) (role, error) {
	var r role
	var walLevel string
	var repl bool
	err := conn.QueryRow(ctx, `SELECT current_setting('wal_level'), r.rolname, r.rolsuper, r.rolreplication
		FROM pg_roles r WHERE r.rolname = current_user`).Scan(&walLevel, &r.name, &r.super, &repl)
	if err != nil {
		return r, fmt.Errorf("replication: check settings: %w", err)
	}
	if walLevel != "logical" {
		return r, fmt.Errorf("%w: wal_level is %q, not \"logical\"", ErrUnavailable, walLevel)
	}
	if !r.super && !repl {
		return r, fmt.Errorf("%w: role %q has neither the REPLICATION nor the SUPERUSER attribute", ErrUnavailable, r.name)
	}
	return r, nil
}

// unavailable wraps err in ErrUnavailable when its SQLSTATE says that the
// server refuses to replicate to us, and leaves other errors alone.
func unavailable(what string, err error) error {
	var pgErr *pgconn.PgError
	if errors.As(err, &pgErr) {
		switch pgErr.Code {
		case codeInsufficientPrivilege, codeInvalidAuthorization, codeTooManyConnections,
			codeConfigLimitExceeded, codePrerequisiteState:
			return fmt.Errorf("%w: %s: %w", ErrUnavailable, what, err)
		}
	}
	return fmt.Errorf("replication: %s: %w", what, err)
}

// syncPublication makes publication name publish the given tables: FOR ALL
// TABLES when the role is superuser and the publication is new, otherwise
// exactly those of tables that exist and are tables. A FOR ALL TABLES
// publication is left alone.
func syncPublication(ctx context.Context, conn *pgx.Conn, name string, super bool, tables []Table) error {
	exists, all, err := lookupPublication(ctx, conn, name)
	if err != nil {
		return err
	}
	if all {
		return nil
	}
	want, err := existingTables(ctx, conn, tables)
	if err != nil {
		return err
	}
	if !exists {
		err := createPublication(ctx, conn, name, super, want)
		var pgErr *pgconn.PgError
		if !errors.As(err, &pgErr) || pgErr.Code != codeDuplicateObject {
			return err
		}
		// Created concurrently by another engine: bring it in line below.
	}
	return alterPublication(ctx, conn, name, want)
}

// ensurePublication creates publication name when it is missing, and
// otherwise leaves it alone (SetTables owns its table list).
func ensurePublication(ctx context.Context, conn *pgx.Conn, name string, super bool, tables []Table) error {
	exists, _, err := lookupPublication(ctx, conn, name)
	if err != nil || exists {
		return err
	}
	want, err := existingTables(ctx, conn, tables)
	if err != nil {
		return err
	}
	err = createPublication(ctx, conn, name, super, want)
	var pgErr *pgconn.PgError
	if errors.As(err, &pgErr) && pgErr.Code == codeDuplicateObject {
		return nil
	}
	return err
}

func lookupPublication(ctx context.Context, conn *pgx.Conn, name string) (exists, all bool, err error) {
	err = conn.QueryRow(ctx, `SELECT puballtables FROM pg_publication WHERE pubname = $1`, name).Scan(&all)
	if errors.Is(err, pgx.ErrNoRows) {
		return false, false, nil
	}
	if err != nil {
		return false, false, fmt.Errorf("replication: look up publication %s: %w", name, err)
	}
	return true, all, nil
}

// createPublication creates the publication. Partitioned tables publish
// their changes under the root's name, which is the table the engine tracks.
func createPublication(ctx context.Context, conn *pgx.Conn, name string, super bool, tables []Table) error {
	sql := "CREATE PUBLICATION " + pgx.Identifier{name}.Sanitize()
	switch {
	case super:
		sql += " FOR ALL TABLES"
	case len(tables) > 0:
		sql += " FOR TABLE " + tableList(tables)
	}
	sql += " WITH (publish_via_partition_root = true)"
	if _, err := conn.Exec(ctx, sql); err != nil {
		return fmt.Errorf("replication: create publication %s: %w", name, err)
	}
	return nil
}

// alterPublication adds and drops tables so that the publication holds
// exactly want, in one transaction.
func alterPublication(ctx context.Context, conn *pgx.Conn, name string, want []Table) error {
	have, err := publicationTables(ctx, conn, name)
	if err != nil {
		return err
	}
	add, drop := diffTables(want, have)
	if len(add) == 0 && len(drop) == 0 {
		return nil
	}
	ident := pgx.Identifier{name}.Sanitize()
	err = pgx.BeginFunc(ctx, conn, func(tx pgx.Tx) error {
		if len(add) > 0 {
			if _, err := tx.Exec(ctx, "ALTER PUBLICATION "+ident+" ADD TABLE "+tableList(add)); err != nil {
				return err
			}
		}
		if len(drop) > 0 {
			if _, err := tx.Exec(ctx, "ALTER PUBLICATION "+ident+" DROP TABLE "+tableList(drop)); err != nil {
				return err
			}
		}
		return nil
	})
	if err != nil {
		return fmt.Errorf("replication: alter publication %s: %w", name, err)
	}
	return nil
}

// existingTables returns, sorted, those of tables that exist and are
// ordinary or partitioned tables (views and missing tables are skipped).
func existingTables(ctx context.Context, conn *pgx.Conn, tables []Table) ([]Table, error) {
	if len(tables) == 0 {
		return nil, nil
	}
	schemas := make([]string, len(tables))
	names := make([]string, len(tables))
	for i, t := range tables {
		schemas[i], names[i] = t.Schema, t.Name
	}
	rows, err := conn.Query(ctx, `SELECT DISTINCT ns.nspname, c.relname
		FROM unnest($1::text[], $2::text[]) AS w(schema_name, table_name)
		JOIN pg_namespace ns ON ns.nspname = w.schema_name
		JOIN pg_class c ON c.relnamespace = ns.oid AND c.relname = w.table_name
		WHERE c.relkind IN ('r', 'p')
		ORDER BY 1, 2`, schemas, names)
	if err != nil {
		return nil, fmt.Errorf("replication: look up tables: %w", err)
	}
	return collectTables(rows)
}

// publicationTables returns the tables listed in the publication.
func publicationTables(ctx context.Context, conn *pgx.Conn, name string) ([]Table, error) {
	rows, err := conn.Query(ctx, `SELECT ns.nspname, c.relname
		FROM pg_publication p
		JOIN pg_publication_rel pr ON pr.prpubid = p.oid
		JOIN pg_class c ON c.oid = pr.prrelid
		JOIN pg_namespace ns ON ns.oid = c.relnamespace
		WHERE p.pubname = $1
		ORDER BY 1, 2`, name)
	if err != nil {
		return nil, fmt.Errorf("replication: list publication %s: %w", name, err)
	}
	return collectTables(rows)
}

func collectTables(rows pgx.Rows) ([]Table, error) {
	ts, err := pgx.CollectRows(rows, func(row pgx.CollectableRow) (Table, error) {
		var t Table
		err := row.Scan(&t.Schema, &t.Name)
		return t, err
	})
	if err != nil {
		return nil, fmt.Errorf("replication: read tables: %w", err)
	}
	return ts, nil
}

// diffTables returns the tables of want missing from have, and those of
// have missing from want.
func diffTables(want, have []Table) (add, drop []Table) {
	in := func(ts []Table) map[Table]bool {
		m := make(map[Table]bool, len(ts))
		for _, t := range ts {
			m[t] = true
		}
		return m
	}
	w, h := in(want), in(have)
	for _, t := range want {
		if !h[t] {
			add = append(add, t)
		}
	}
	for _, t := range have {
		if !w[t] {
			drop = append(drop, t)
		}
	}
	return add, drop
}

// tableList renders tables as a comma-separated list of quoted names.
func tableList(tables []Table) string {
	parts := make([]string, len(tables))
	for i, t := range tables {
		parts[i] = t.String()
	}
	return strings.Join(parts, ", ")
}
