// Package migrations manages a project's SQL migrations the way the Hasura
// CLI (config v3) does, so that a project, its folders and the state kept
// on a server are shared by Trellis's CLI and Hasura's.
//
// Files: <dir>/<version>_<name>/up.sql and down.sql, versions being
// numbers (timestamps in milliseconds); Load lists them, Create and Delete
// add and remove them, Squash merges a run of them into one.
//
// State: which versions a server has applied lives in the server's catalog
// state (hdb_catalog.hdb_version.cli_state, read with get_catalog_state),
// as {"migrations": {"<database>": {"<version>": <dirty>}}}; State reads
// and edits that document and keeps every other key of it. Versions that a
// config v2 project recorded in hdb_catalog.schema_migrations are taken
// over the first time, as the Hasura CLI does.
//
// Plan turns the files, the applied versions and what the user asked for
// (all pending, up N, down N, goto V, one version) into steps; Applier runs
// them on a Server, one migration at a time, each migration and its state
// change in one transaction when the server allows it. A failure stops the
// run with a *StepError naming the file, line and column.
//
// Invariants: nothing here prompts or reads a terminal; Plan is pure; a
// version is marked applied only after its SQL ran.
package migrations
