package gqlerr

import (
	"errors"
	"fmt"
	"strings"
)

// Code is one of Hasura's error codes, as sent in extensions.code.
type Code string

// Hasura's error codes.
const (
	InvalidJSON         Code = "invalid-json"
	ParseFailed         Code = "parse-failed"
	ValidationFailed    Code = "validation-failed"
	NotSupported        Code = "not-supported"
	NotFound            Code = "not-found"
	BadRequest          Code = "bad-request"
	AccessDenied        Code = "access-denied"
	InvalidJWT          Code = "invalid-jwt"
	InvalidHeaders      Code = "invalid-headers"
	ConstraintViolation Code = "constraint-violation"
	ConstraintError     Code = "constraint-error"
	DataException       Code = "data-exception"
	PermissionError     Code = "permission-error"
	PostgresError       Code = "postgres-error"
	Unexpected          Code = "unexpected"
	// StartFailed refuses a WebSocket operation (start before init, an id
	// in use); MethodNotAllowed a plain GET on a GraphQL path.
	StartFailed      Code = "start-failed"
	MethodNotAllowed Code = "method-not-allowed"
)

// Hasura's authentication error codes, besides access-denied, invalid-jwt
// and invalid-headers.
const (
	InvalidParams Code = "invalid-params"
	// JWTInvalidClaims and JWTMissingRoleClaims report a verified JWT
	// whose Hasura claims are unusable.
	JWTInvalidClaims     Code = "jwt-invalid-claims"
	JWTMissingRoleClaims Code = "jwt-missing-role-claims"
)

// Error is a coded error with the JSON path into the request where it arose,
// such as "$.selectionSet.author.args.where".
type Error struct {
	Code    Code
	Message string
	Path    string
	// Internal carries detail for admins only (the SQL, the server error);
	// it is nil for most errors.
	Internal any
}

func (e *Error) Error() string { return e.Message }

// New returns an error with the given code, path and message.
func New(code Code, path, msg string) *Error {
	return &Error{Code: code, Message: msg, Path: path}
}

// Newf is New with a format string.
func Newf(code Code, path, format string, args ...any) *Error {
	return &Error{Code: code, Message: fmt.Sprintf(format, args...), Path: path}
}

// As returns the *Error in err's chain, or an "unexpected" error wrapping
// err's text when there is none.
func As(err error) *Error {
	var e *Error
	if errors.As(err, &e) {
		return e
	}
	return &Error{Code: Unexpected, Message: err.Error(), Path: "$"}
}

// Path builds Hasura-style JSON paths ("$.selectionSet.a.args.where").
// The zero value is the root "$". Paths are immutable: every method returns
// a new value.
type Path struct{ segs []string }

// Root is the path "$".
var Root = Path{}

// Key appends ".k".
func (p Path) Key(k string) Path { return p.with("." + k) }

// Index appends "[i]".
func (p Path) Index(i int) Path { return p.with(fmt.Sprintf("[%d]", i)) }

func (p Path) with(s string) Path {
	segs := make([]string, len(p.segs)+1)
	copy(segs, p.segs)
	segs[len(p.segs)] = s
	return Path{segs: segs}
}

// String renders the path, "$" for the root.
func (p Path) String() string {
	var b strings.Builder
	b.WriteByte('$')
	for _, s := range p.segs {
		b.WriteString(s)
	}
	return b.String()
}

// Errorf returns a coded error at this path.
func (p Path) Errorf(code Code, format string, args ...any) *Error {
	return &Error{Code: code, Message: fmt.Sprintf(format, args...), Path: p.String()}
}

// JSONKind names the kind of a JSON value the way Hasura's messages do
// ("Object", "Array", "String", "Number", "Boolean", "Null"), as in
// "parsing Text failed, expected String, but encountered Array".
func JSONKind(raw []byte) string {
	raw = []byte(strings.TrimSpace(string(raw)))
	if len(raw) == 0 {
		return "Null"
	}
	switch raw[0] {
	case '{':
		return "Object"
	case '[':
		return "Array"
	case '"':
		return "String"
	case 't', 'f':
		return "Boolean"
	case 'n':
		return "Null"
	}
	return "Number"
}
