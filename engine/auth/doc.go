// Package auth turns a request into a Session: the role the request runs
// as, its x-hasura-* session variables and when its credentials expire.
//
// Input: the request's headers (and, for a POST-mode webhook, its GraphQL
// body) and the configured modes: admin secret, JWT (Hasura's
// HASURA_GRAPHQL_JWT_SECRET JSON; keys given inline or fetched from a
// JWKS URL and cached per Cache-Control/Expires), auth webhook (GET or
// POST, answers cached per their Cache-Control/Expires), unauthorized role.
// Output: a Session, or an *Error carrying Hasura's code, message and
// HTTP status (invalid-jwt, invalid-headers, access-denied, …).
//
// Invariants: knows nothing about tables; variable names are lower-cased
// and Vars always holds x-hasura-role; never logs secrets or tokens.
package auth
