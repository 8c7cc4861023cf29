package metadata

import (
	"fmt"
	"net/http"
)

// APIError is an error of the metadata and query APIs (/v1/metadata,
// /v1/query, /v2/query), in Hasura's shape: {"path", "error", "code"}
// with an HTTP status.
type APIError struct {
	Status  int    // HTTP status: 400 by default
	Code    string // Hasura's code: "not-exists", "already-exists", …
	Path    string // JSON path into the request: "$.args.table"
	Message string
	// Internal is Hasura's "internal" member, nil when absent: for a
	// metadata change that made objects inconsistent, the list of
	// Inconsistency values.
	Internal any
	// Position is where in the SQL of a failed run_sql the database
	// located the error (1-based characters), 0 when it did not. It is
	// sent only to clients that ask for it (see metadataapi.Options).
	Position int
}

func (e *APIError) Error() string { return e.Message }

// Hasura's metadata API error codes.
const (
	CodeNotSupported         = "not-supported"
	CodeInvalidConfiguration = "invalid-configuration"
	CodeAlreadyExists        = "already-exists"
	CodeAlreadyTracked       = "already-tracked"
	CodeNotExists            = "not-exists"
	CodePermissionDenied     = "permission-denied"
	CodeConflict             = "conflict"
	CodeParseFailed          = "parse-failed"
	CodeInvalidParams        = "invalid-params"
	CodeDependencyError      = "dependency-error"
	CodeConstraintViolation  = "constraint-violation"
	CodeUnexpected           = "unexpected"
	CodeAccessDenied         = "access-denied"
	CodeBadRequest           = "bad-request"
	CodePostgresError        = "postgres-error"
	CodeDataException        = "data-exception"
)

// Errorf returns a 400 APIError.
func Errorf(code, path, format string, args ...any) *APIError {
	return &APIError{Status: http.StatusBadRequest, Code: code, Path: path, Message: fmt.Sprintf(format, args...)}
}
