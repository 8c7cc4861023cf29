package apiclient

import (
	"context"
	"encoding/json"
	"errors"
	"net/http"
	"strconv"
	"strings"

	"github.com/trellis-gql/trellis/migrations"
)

// errorPositionHeader asks a Trellis server to add the position of a
// failed statement to a run_sql error; other servers ignore it.
const errorPositionHeader = "X-Trellis-Error-Position"

// RunSQL runs sql on source's database in one transaction (run_sql).
func (c *Client) RunSQL(ctx context.Context, source, sql string) (json.RawMessage, error) {
	return c.Bulk(ctx, []Op{runSQL(source, sql)})
}

// Bulk sends ops to /v2/query as one bulk request: one transaction. A
// failed run_sql is a *migrations.SQLError wrapped with the *Error.
func (c *Client) Bulk(ctx context.Context, ops []Op) (json.RawMessage, error) {
	h := http.Header{}
	h.Set(errorPositionHeader, "true")
	body, err := c.post(ctx, "/v2/query", Op{Type: "bulk", Args: ops}, h)
	return body, sqlError(err)
}

func runSQL(source, sql string) Op {
	return Op{Type: "run_sql", Args: map[string]any{"source": source, "sql": sql, "cascade": false}}
}

// BulkIndex is the item of a bulk request that a bulk error names
// ("$.args[2].args" or "$[2].args" → 2), -1 when it names none.
func BulkIndex(err error) int {
	var apiErr *Error
	if !errors.As(err, &apiErr) {
		return -1
	}
	// /v1/metadata writes "$.args[i]…", /v2/query "$[i]…".
	rest, ok := strings.CutPrefix(apiErr.Path, "$.args[")
	if !ok {
		if rest, ok = strings.CutPrefix(apiErr.Path, "$["); !ok {
			return -1
		}
	}
	n, _, _ := strings.Cut(rest, "]")
	i, convErr := strconv.Atoi(n)
	if convErr != nil {
		return -1
	}
	return i
}

// sqlFailure wraps the server's error with the SQL error it reports.
type sqlFailure struct {
	api *Error
	sql *migrations.SQLError
}

func (f *sqlFailure) Error() string { return f.sql.Error() }

// Unwrap gives both the *Error and the *migrations.SQLError.
func (f *sqlFailure) Unwrap() []error { return []error{f.api, f.sql} }

// sqlError recognises Hasura's "query execution failed" (postgres-error)
// and reads the database's message, code and position from internal.error.
func sqlError(err error) error {
	var apiErr *Error
	if !errors.As(err, &apiErr) || apiErr.Code != "postgres-error" || len(apiErr.Internal) == 0 {
		return err
	}
	var internal struct {
		Error struct {
			Message    string `json:"message"`
			StatusCode string `json:"status_code"`
			Position   int    `json:"position"`
		} `json:"error"`
	}
	if json.Unmarshal(apiErr.Internal, &internal) != nil || internal.Error.Message == "" {
		return err
	}
	return &sqlFailure{api: apiErr, sql: &migrations.SQLError{
		Message: internal.Error.Message, Code: internal.Error.StatusCode, Position: internal.Error.Position,
	}}
}
