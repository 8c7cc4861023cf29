// Package sqlgen compiles the planner's IR into one SQL statement and its
// arguments. Postgres builds the response JSON (json_build_object,
// json_agg), so the statement's result bytes are the response.
//
// Input: a *plan.Operation. Output: a *Statement. Invariants: every user
// value is a $n parameter; identifiers come from the catalog and are quoted
// by Ident alone; aliases are deterministic (_0, _1, …) so output is stable
// for golden tests; this package does no I/O.
package sqlgen
