// Package catalog introspects a PostgreSQL database: tables, views,
// materialized views, their columns, keys and foreign keys, and the types
// those columns use (enums included), in every non-system schema.
//
// Input: a connection. Output: an immutable *Catalog. Invariant: one round
// trip of catalog queries, whatever the number of tables; this package never
// reads metadata files.
package catalog
