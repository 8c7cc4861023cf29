// Package schema builds one GraphQL schema per role from the resolved
// metadata model: Hasura's generated names, types, arguments and scalars.
//
// Input: a *metadata.Model and a role. Output: a *Schema holding both the
// graphql-go schema (used only to answer introspection) and the lookup
// tables the planner walks. Invariants: a Schema is immutable; every
// generated name is made in naming.go; this package never runs SQL.
package schema
