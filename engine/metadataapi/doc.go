// Package metadataapi runs Hasura's metadata and schema APIs — /v1/metadata,
// the legacy /v1/query and /v2/query — against the stored metadata.
//
// Input: an admin's request body. Output: Hasura's JSON response and HTTP
// status. Invariants: a request runs in one transaction that locks the
// stored metadata row, so engines sharing a database apply changes one at a
// time; a failed request changes neither the database nor the metadata;
// after a change the engine's snapshot is swapped whole, and the other
// engines hear of it through LISTEN/NOTIFY and reload.
package metadataapi
