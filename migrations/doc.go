// Package migrations reads a project's migration files, laid out as the
// Hasura CLI (config v3) writes them: <dir>/<version>_<name>/up.sql and
// down.sql, versions being numbers (timestamps in milliseconds).
//
// Input: a migrations directory of one database. Output: the migrations in
// version order. Applying them and tracking their state come with the CLI.
package migrations
