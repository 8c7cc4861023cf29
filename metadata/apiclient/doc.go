// Package apiclient is a client of a Hasura-compatible server's APIs — a
// Trellis engine or a Hasura GraphQL Engine v2 — for the CLI: the metadata
// API (/v1/metadata), the schema API (/v2/query), pg_dump
// (/v1alpha1/pg_dump) and the version (/v1/version).
//
// Input: an endpoint URL and an admin secret. Output: the servers' answers
// as JSON, and their errors as *Error with Hasura's code, message, path
// and internal detail. It also implements migrations.Server.
//
// Invariants: every request carries the admin secret in
// X-Hasura-Admin-Secret and a deadline from its context; no request is
// retried, since a metadata change must not be applied twice.
package apiclient
