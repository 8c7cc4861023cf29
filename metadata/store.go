package metadata

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"strings"

	"github.com/jackc/pgx/v5"
	"github.com/jackc/pgx/v5/pgconn"
)

// NotifyChannel is the LISTEN/NOTIFY channel on which a change of the
// stored metadata is announced; the payload is "<resource_version>
// <instance id>".
const NotifyChannel = "trellis_metadata"

// DB is what the store needs of a connection or transaction.
type DB interface {
	Exec(ctx context.Context, sql string, args ...any) (pgconn.CommandTag, error)
	QueryRow(ctx context.Context, sql string, args ...any) pgx.Row
}

// catalogDDL creates Hasura's catalog tables, with Hasura's names and
// shapes, so that the stock CLI and existing Hasura databases work as they
// are.
const catalogDDL = `
CREATE SCHEMA IF NOT EXISTS hdb_catalog;
CREATE TABLE IF NOT EXISTS hdb_catalog.hdb_metadata (
  id integer PRIMARY KEY,
  metadata json NOT NULL,
  resource_version integer NOT NULL DEFAULT 1 UNIQUE
);
CREATE TABLE IF NOT EXISTS hdb_catalog.hdb_version (
  hasura_uuid uuid PRIMARY KEY DEFAULT gen_random_uuid(),
  version text NOT NULL,
  upgraded_on timestamptz NOT NULL,
  cli_state jsonb NOT NULL DEFAULT '{}'::jsonb,
  console_state jsonb NOT NULL DEFAULT '{}'::jsonb,
  ee_client_id text,
  ee_client_secret text
);
CREATE UNIQUE INDEX IF NOT EXISTS hdb_version_one_row ON hdb_catalog.hdb_version ((version IS NOT NULL));
INSERT INTO hdb_catalog.hdb_version (version, upgraded_on) VALUES ('48', now()) ON CONFLICT DO NOTHING;
-- Raises a check_violation: a mutation whose permission check fails calls
-- it from the statement that writes, as Hasura's function of the same name
-- is called, so that the failure aborts that statement and its transaction.
-- A database Hasura managed already has it (perhaps owned by another role):
-- it is created only when missing.
DO $do$ BEGIN
  IF to_regprocedure('hdb_catalog.check_violation(text)') IS NULL THEN
    CREATE FUNCTION hdb_catalog.check_violation(msg text) RETURNS boolean
      LANGUAGE plpgsql AS $$ BEGIN RAISE check_violation USING message = msg; END; $$;
  END IF;
END $do$;
`

// EnsureCatalog creates hdb_catalog's tables when they are missing. It is
// safe to run concurrently from several engines (an advisory lock orders
// them).
func EnsureCatalog(ctx context.Context, db DB) error {
	if _, err := db.Exec(ctx, `SELECT pg_advisory_xact_lock(hashtext('trellis.hdb_catalog'))`); err != nil {
		return fmt.Errorf("locking hdb_catalog: %w", err)
	}
	if _, err := db.Exec(ctx, catalogDDL); err != nil {
		return fmt.Errorf("creating hdb_catalog: %w", err)
	}
	return nil
}

// Stored is the metadata as stored, with its resource version (0 when
// nothing is stored yet).
type Stored struct {
	Metadata        *Metadata
	ResourceVersion int64
}

// LoadStored reads the stored metadata. With forUpdate, the row is locked
// until the transaction ends, which serializes changes across engines.
func LoadStored(ctx context.Context, db DB, forUpdate bool) (Stored, error) {
	q := `SELECT metadata::text, resource_version FROM hdb_catalog.hdb_metadata WHERE id = 1`
	if forUpdate {
		q += ` FOR UPDATE`
	}
	var raw string
	var version int64
	err := db.QueryRow(ctx, q).Scan(&raw, &version)
	if errors.Is(err, pgx.ErrNoRows) {
		return Stored{Metadata: Empty()}, nil
	}
	if err != nil {
		return Stored{}, fmt.Errorf("reading the stored metadata: %w", err)
	}
	md := &Metadata{}
	if err := json.Unmarshal([]byte(raw), md); err != nil {
		return Stored{}, fmt.Errorf("decoding the stored metadata: %w", err)
	}
	return Stored{Metadata: md, ResourceVersion: version}, nil
}

// LockVersion locks the stored metadata row until the transaction ends and
// returns its resource version (0 when nothing is stored yet). A caller
// that has the document of that version in memory need not read it again.
func LockVersion(ctx context.Context, db DB) (int64, error) {
	var version int64
	err := db.QueryRow(ctx, `SELECT resource_version FROM hdb_catalog.hdb_metadata WHERE id = 1 FOR UPDATE`).Scan(&version)
	if errors.Is(err, pgx.ErrNoRows) {
		return 0, nil
	}
	if err != nil {
		return 0, fmt.Errorf("locking the stored metadata: %w", err)
	}
	return version, nil
}

// Save stores md as the version after prev and announces the change on
// NotifyChannel (delivered when the transaction commits). It fails with a
// conflict when the stored version is no longer prev.
func Save(ctx context.Context, db DB, md *Metadata, prev int64, instance string) (int64, error) {
	raw := ExportJSON(md)
	var next int64
	err := db.QueryRow(ctx, `
INSERT INTO hdb_catalog.hdb_metadata (id, metadata, resource_version) VALUES (1, $1::text::json, 1)
ON CONFLICT (id) DO UPDATE SET metadata = EXCLUDED.metadata, resource_version = hdb_metadata.resource_version + 1
  WHERE hdb_metadata.resource_version = $2::integer
RETURNING resource_version`, string(raw), prev).Scan(&next)
	if errors.Is(err, pgx.ErrNoRows) {
		return 0, &APIError{Status: 409, Code: CodeConflict, Path: "$", Message: "metadata was changed by another request; retry"}
	}
	if err != nil {
		return 0, fmt.Errorf("storing the metadata: %w", err)
	}
	if _, err := db.Exec(ctx, `SELECT pg_notify($1::text, $2::text)`, NotifyChannel, fmt.Sprintf("%d %s", next, instance)); err != nil {
		return 0, fmt.Errorf("announcing the metadata change: %w", err)
	}
	return next, nil
}

// Empty is the metadata of a fresh engine: version 3 and, as Hasura adds
// when it starts with a database URL, the source "default" with no tables
// (the Hasura CLI's migrations name it).
func Empty() *Metadata {
	return &Metadata{Version: 3, Sources: []Source{{
		Name: DefaultSource, Kind: "postgres", Tables: []TableEntry{},
		Configuration: json.RawMessage(defaultSourceConfig),
	}}}
}

// CatalogState is the state the Hasura CLI and console keep in hdb_version.
type CatalogState struct {
	ID           string          `json:"id"`
	CLIState     json.RawMessage `json:"cli_state"`
	ConsoleState json.RawMessage `json:"console_state"`
}

// LoadCatalogState reads hdb_version's row. The states' members come in
// key order, as Hasura answers them, not in jsonb's order.
func LoadCatalogState(ctx context.Context, db DB) (CatalogState, error) {
	var st CatalogState
	var cli, console string
	err := db.QueryRow(ctx, `SELECT hasura_uuid::text, cli_state::text, console_state::text FROM hdb_catalog.hdb_version LIMIT 1`).Scan(&st.ID, &cli, &console)
	if err != nil {
		return st, fmt.Errorf("reading the catalog state: %w", err)
	}
	if st.CLIState, err = keysSorted(cli); err != nil {
		return st, err
	}
	if st.ConsoleState, err = keysSorted(console); err != nil {
		return st, err
	}
	return st, nil
}

// keysSorted re-encodes a JSON value with every object's members sorted
// by key (numbers keep their text).
func keysSorted(raw string) (json.RawMessage, error) {
	dec := json.NewDecoder(strings.NewReader(raw))
	dec.UseNumber()
	var v any
	if err := dec.Decode(&v); err != nil {
		return nil, fmt.Errorf("decoding the catalog state: %w", err)
	}
	var out bytes.Buffer
	enc := json.NewEncoder(&out)
	enc.SetEscapeHTML(false)
	if err := enc.Encode(v); err != nil {
		return nil, fmt.Errorf("encoding the catalog state: %w", err)
	}
	return bytes.TrimSuffix(out.Bytes(), []byte("\n")), nil
}

// SetCatalogState replaces the CLI's ("cli") or the console's ("console")
// state.
func SetCatalogState(ctx context.Context, db DB, kind string, state json.RawMessage) error {
	col := map[string]string{"cli": "cli_state", "console": "console_state"}[kind]
	if col == "" {
		return Errorf(CodeParseFailed, "$.args.type", "unexpected catalog state type %q: expected \"cli\" or \"console\"", kind)
	}
	// col is one of two constants, never user text.
	_, err := db.Exec(ctx, `UPDATE hdb_catalog.hdb_version SET `+col+` = $1::text::jsonb`, string(state))
	if err != nil {
		return fmt.Errorf("storing the catalog state: %w", err)
	}
	return nil
}
