// Package server owns Trellis' HTTP surface: /v1/graphql, /healthz,
// /v1/version and the GraphiQL console; it decodes requests, authenticates
// them, runs them through engine/gql and writes Hasura's response shapes.
//
// Input: HTTP requests. Output: HTTP responses; result bytes from Postgres
// are written inside the {"data": …} envelope unchanged. Invariants: never
// builds SQL; no panic reaches a client (recovered, answered "unexpected").
package server
