// Package gql runs the request pipeline: GraphQL text → parsed document →
// plan against the role's schema → one SQL statement → the JSON Postgres
// returns; introspection fields are answered by graphql-go from the same
// schema.
//
// Input: a Request and a role. Output: a Result holding each root field's
// JSON bytes in response order, or a *gqlerr.Error. Invariants: one
// statement per operation; result bytes are passed through, never decoded.
package gql
