// Package plan turns a parsed, selected GraphQL operation into the IR that
// engine/sqlgen compiles: root fields, selections, boolean expressions,
// ordering and paging, checked against the role's schema as it walks.
//
// Input: a role's *schema.Schema, a graphql-go AST document, the operation
// name and the request's variables. Output: an *Operation, or a
// *gqlerr.Error with Hasura's code, message and path. Invariants: pure (no
// I/O, deterministic); every user value ends up in an IR Value leaf, never
// in a name.
package plan
