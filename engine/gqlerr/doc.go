// Package gqlerr holds the coded error type shared by every stage of the
// request pipeline, with Hasura's error codes as typed constants.
//
// Input: a code, a message and the JSON path of the offending part of the
// request. Output: an *Error that engine/server encodes in Hasura's shape.
// Invariant: this package knows nothing of the wire format.
package gqlerr
