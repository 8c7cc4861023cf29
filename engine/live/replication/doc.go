// Package replication turns PostgreSQL logical replication (the pgoutput
// plugin, protocol version 1) into a stream of "these tables changed in a
// committed transaction" events for live queries.
//
// Input: a database URL, a publication name and the tables the engine
// tracks. Output: a channel of Events — one Commit per committed
// transaction that inserted, updated, deleted or truncated at least one
// published table, and one Resync after every reconnect.
//
// Invariants:
//   - the slot is TEMPORARY unless Config.Permanent: a crashed engine never
//     makes Postgres retain WAL; a temporary slot dies with its connection, so
//     changes made while disconnected are lost and a reconnect emits Resync
//     (the consumer refetches everything);
//   - no change is lost while connected: when the consumer is slow, pending
//     commits are merged (union of tables) rather than dropped, and a Resync
//     absorbs everything pending before it;
//   - one reader goroutine owns the replication connection; it answers
//     keepalives that ask for a reply at once and sends a standby status
//     update every StandbyInterval;
//   - slot and publication names match a strict pattern before they reach
//     a replication command; SQL identifiers are always quoted; values are
//     always arguments;
//   - Close (or the end of Start's ctx) stops every goroutine before it
//     returns and closes the Events channel.
//
// The package knows tables, never GraphQL: mapping tables to live queries
// is the router's job (engine/live). Views are not published by Postgres;
// BaseTables gives the tables a view reads so that the caller can track those.
package replication
