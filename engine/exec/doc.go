// Package exec runs compiled statements on a pgx pool and hands back the
// JSON Postgres built, as raw bytes.
//
// Input: a *sqlgen.Statement. Output: one []byte per result column, or a
// *gqlerr.Error translated from the Postgres error. Invariants: one round
// trip per statement; result bytes are never decoded.
package exec
