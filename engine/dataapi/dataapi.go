package dataapi

import (
	"context"
	"encoding/json"
	"errors"
	"github.com/trellis-gql/trellis/engine/catalog"
	"net/http"

	"github.com/jackc/pgx/v5"

	"github.com/trellis-gql/trellis/engine/exec"
	"github.com/trellis-gql/trellis/engine/gqlerr"
	"github.com/trellis-gql/trellis/engine/sqlgen"
	"github.com/trellis-gql/trellis/metadata"
)

// Handles reports whether typ is a data API type.
func Handles(typ string) bool {
	switch typ {
	case "select", "insert", "update", "delete", "count":
		return true
	}
	return false
}

// Querier runs a statement: a pool, a connection or a transaction
// (*pgxpool.Pool, *pgx.Conn, pgx.Tx).
type Querier interface {
	Query(ctx context.Context, sql string, args ...any) (pgx.Rows, error)
}

// Run executes one data request against the model's tables and returns
// Hasura's JSON response. Errors are *metadata.APIError.
func Run(ctx context.Context, db *exec.DB, m *metadata.Model, typ string, args json.RawMessage) (json.RawMessage, error) {
	return RunOn(ctx, db.Pool, m, typ, args)
}

// RunOn is Run on a given connection or transaction, for requests that
// run inside one (bulk). A failed statement aborts a transaction.
func RunOn(ctx context.Context, q Querier, m *metadata.Model, typ string, args json.RawMessage) (json.RawMessage, error) {
	return RunAs(ctx, q, m, Access{}, typ, args)
}

// RunAs is RunOn for a role: its permissions apply (see Access).
func RunAs(ctx context.Context, q Querier, m *metadata.Model, acc Access, typ string, args json.RawMessage) (json.RawMessage, error) {
	st, err := Compile(m, acc, typ, args)
	if err != nil {
		return nil, err
	}
	return query(ctx, q, st)
}

// Compile checks a data request of the given access and compiles it into
// one statement whose single row and column is the response. A role's
// insert, update and delete are refused (see Access.writeRefused).
func Compile(m *metadata.Model, acc Access, typ string, args json.RawMessage) (*sqlgen.Statement, error) {
	what := map[string]string{"select": "query", "insert": "insert query", "update": "update query", "delete": "delete query", "count": "count query"}[typ]
	if what == "" {
		return nil, metadata.Errorf(metadata.CodeNotSupported, "$.type", "unknown data API request type %q", typ)
	}
	obj, err := decodeObject(args, argsPath, what)
	if err != nil {
		return nil, err
	}
	opts := sqlgen.Options{Session: acc.Session}
	if !acc.admin() && typ != "select" && typ != "count" {
		name, err := tableArg(obj)
		if err != nil {
			return nil, err
		}
		return nil, acc.writeRefused(m, typ, name)
	}
	switch typ {
	case "select":
		return compileSelect(m, acc, obj)
	case "insert":
		ins, err := compileInsert(m, obj)
		if err != nil {
			return nil, err
		}
		return sqlgen.DMLInsert(ins), nil
	case "update":
		u, err := compileUpdate(m, obj)
		if err != nil {
			return nil, err
		}
		return sqlgen.DMLUpdate(u), nil
	case "delete":
		d, err := compileDelete(m, obj)
		if err != nil {
			return nil, err
		}
		return sqlgen.DMLDelete(d), nil
	default:
		c, err := compileCount(m, acc, obj)
		if err != nil {
			return nil, err
		}
		return sqlgen.DMLCount(c, opts), nil
	}
}

// compileSelect checks a select in Hasura's order: table, relationship
// entries, then where, columns, order_by, limit and offset.
func compileSelect(m *metadata.Model, acc Access, obj object) (*sqlgen.Statement, error) {
	name, err := tableArg(obj)
	if err != nil {
		return nil, err
	}
	args, err := parseSelect(obj, argsPath)
	if err != nil {
		return nil, err
	}
	t, err := lookupTable(m, name, argsPath+".table")
	if err != nil {
		return nil, err
	}
	perm, err := acc.selectPerm(t, argsPath)
	if err != nil {
		return nil, err
	}
	r := reader{m: m, acc: acc}
	cols, err := r.resolve(t, perm, args, argsPath)
	if err != nil {
		return nil, err
	}
	if err := acc.requireVars(m, perm); err != nil {
		return nil, err
	}
	sel, err := r.convert(t, perm, args, cols, argsPath)
	if err != nil {
		return nil, err
	}
	return sqlgen.DMLSelect(sel, sqlgen.Options{Session: acc.Session}), nil
}

// query runs the statement and returns its one value.
func query(ctx context.Context, q Querier, st *sqlgen.Statement) (json.RawMessage, error) {
	rows, err := q.Query(ctx, st.SQL, st.Args...)
	if err != nil {
		return nil, dbError(err)
	}
	defer rows.Close()
	var out json.RawMessage
	if rows.Next() {
		if raw := rows.RawValues(); len(raw) == 1 && raw[0] != nil {
			out = append(json.RawMessage(nil), raw[0]...)
		}
	}
	rows.Close()
	if err := rows.Err(); err != nil {
		return nil, dbError(err)
	}
	if out == nil {
		return nil, metadata.Errorf(metadata.CodeUnexpected, argsPath, "the query returned no result")
	}
	return out, nil
}

// dbError reports a database error as Hasura's data API does: with
// exec.Translate's code and message, at the request's arguments.
func dbError(err error) error {
	var e *gqlerr.Error
	if !errors.As(exec.Translate(err), &e) {
		return &metadata.APIError{Status: http.StatusInternalServerError, Code: metadata.CodeUnexpected, Path: "$", Message: err.Error()}
	}
	if e.Code == gqlerr.Unexpected {
		return &metadata.APIError{Status: http.StatusInternalServerError, Code: string(e.Code), Path: "$", Message: e.Message}
	}
	return &metadata.APIError{Status: http.StatusBadRequest, Code: string(e.Code), Path: argsPath, Message: e.Message}
}

// tableArg reads the request's required "table" argument.
func tableArg(obj object) (catalog.QualifiedName, error) {
	raw, err := required(obj, "table", argsPath)
	if err != nil {
		return catalog.QualifiedName{}, err
	}
	return decodeTable(raw, argsPath+".table")
}
