// Package auth turns a request's headers into a Session: the role the
// request runs as and its x-hasura-* session variables.
//
// Input: HTTP headers and the configured admin secret. Output: a Session or
// a *gqlerr.Error (access-denied). Invariant: knows nothing about tables.
package auth
