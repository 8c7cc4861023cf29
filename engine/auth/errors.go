package auth

import (
	"errors"
	"fmt"
	"net/http"

	"github.com/trellis-gql/trellis/engine/gqlerr"
)

// Error is an authentication failure: Hasura's coded error (path "$") and
// the HTTP status Hasura answers it with on the APIs that use statuses
// (/v1/metadata, /v1/query, /v2/query). /v1/graphql answers 200 whatever
// the status. errors.As finds the *gqlerr.Error inside.
type Error struct {
	Status int
	Coded  *gqlerr.Error
}

func (e *Error) Error() string { return e.Coded.Message }

// Unwrap gives the coded error to gqlerr.As.
func (e *Error) Unwrap() error { return e.Coded }

func newError(status int, code gqlerr.Code, msg string) *Error {
	return &Error{Status: status, Coded: gqlerr.New(code, "$", msg)}
}

func newErrorf(status int, code gqlerr.Code, format string, args ...any) *Error {
	return newError(status, code, fmt.Sprintf(format, args...))
}

// HTTPStatus is the status Hasura answers an authentication error with:
// 401 for a missing or wrong admin secret and a webhook's refusal, 400 for
// bad tokens and headers, 500 when the webhook fails.
func HTTPStatus(err error) int {
	var e *Error
	if errors.As(err, &e) {
		return e.Status
	}
	return http.StatusInternalServerError
}
