package exec

import (
	"bytes"
	"context"
	"errors"

	"github.com/jackc/pgx/v5"
	"github.com/jackc/pgx/v5/pgconn"

	"github.com/trellis-gql/trellis/engine/gqlerr"
	"github.com/trellis-gql/trellis/engine/sqlgen"
)

// setSession makes the session variables visible to triggers and functions
// for the rest of the transaction, as Hasura does.
const setSession = "SELECT set_config('hasura.user', $1, true)"

// Mutate runs the steps of a mutation's root fields, in order, in one
// transaction, after setting hasura.user to the session JSON, and returns
// each field's JSON. Any error rolls everything back.
//
// When no step needs its answer read back (sqlgen.MutationStep.Output), the
// statements go in one pipelined batch: a batch ends in a single Sync, which
// makes it one implicit transaction, so the whole mutation is one round
// trip and still atomic. Otherwise an explicit transaction runs the
// statements one by one, each Output taking its write's answer.
func (db *DB) Mutate(ctx context.Context, session string, fields []*sqlgen.MutationField) ([][]byte, error) {
	for _, f := range fields {
		for _, s := range f.Steps {
			if s.Output != nil {
				return db.mutateInTx(ctx, session, fields)
			}
		}
	}
	batch := &pgx.Batch{}
	batch.Queue(setSession, session)
	for _, f := range fields {
		for _, s := range f.Steps {
			batch.Queue(s.Statement.SQL, s.Statement.Args...)
		}
	}
	br := db.Pool.SendBatch(ctx, batch)
	defer br.Close()
	if _, err := br.Exec(); err != nil {
		var pgErr *pgconn.PgError
		if errors.As(err, &pgErr) {
			// The batch's statements are prepared before any runs, so an
			// error Postgres finds while preparing one (ON CONFLICT on a
			// constraint that is gone) surfaces here, before the field it
			// belongs to is known. Nothing ran: the explicit transaction
			// runs the fields again one by one and reports the error at
			// its field.
			br.Close()
			return db.mutateInTx(ctx, session, fields)
		}
		return nil, Translate(err)
	}
	out := make([][]byte, len(fields))
	for i, f := range fields {
		values := make([][]byte, len(f.Steps))
		for j := range f.Steps {
			v, err := rawRow(br.Query())
			if err != nil {
				return nil, fieldError(err, f)
			}
			values[j] = v
		}
		out[i] = fieldJSON(f, values)
	}
	if err := br.Close(); err != nil {
		return nil, Translate(err)
	}
	return out, nil
}

// mutateInTx runs the mutation in an explicit transaction.
func (db *DB) mutateInTx(ctx context.Context, session string, fields []*sqlgen.MutationField) (_ [][]byte, err error) {
	tx, err := db.Pool.Begin(ctx)
	if err != nil {
		return nil, Translate(err)
	}
	defer func() {
		if err != nil {
			// The transaction is already lost; its rollback error adds nothing.
			_ = tx.Rollback(context.WithoutCancel(ctx))
		}
	}()
	if _, err := tx.Exec(ctx, setSession, session); err != nil {
		return nil, Translate(err)
	}
	out := make([][]byte, len(fields))
	for i, f := range fields {
		values := make([][]byte, len(f.Steps))
		for j, s := range f.Steps {
			v, passed, err := checkedRow(tx.Query(ctx, s.Statement.SQL, s.Statement.Args...))
			if err == nil && !passed {
				return nil, checkFailed(f)
			}
			if err == nil && s.Output != nil {
				args := append([]any(nil), s.Output.Args...)
				args[s.OutputArg] = string(v)
				v, err = rawRow(tx.Query(ctx, s.Output.SQL, args...))
			}
			if err != nil {
				return nil, fieldError(err, f)
			}
			values[j] = v
		}
		out[i] = fieldJSON(f, values)
	}
	if err := tx.Commit(ctx); err != nil {
		return nil, Translate(err)
	}
	return out, nil
}

// checkedRow reads the row a mutation step returns: its JSON and, when
// the statement has a second column (sqlgen.Statement.Checked), whether
// every row it wrote passed its permission check.
func checkedRow(rows pgx.Rows, err error) (_ []byte, passed bool, _ error) {
	if err != nil {
		return nil, false, err
	}
	defer rows.Close()
	var out []byte
	passed = true
	if rows.Next() {
		values := rows.RawValues()
		out = []byte("null")
		if values[0] != nil {
			out = append([]byte{}, values[0]...)
		}
		if len(values) > 1 {
			// A boolean in the text format is "t" or "f"; in the binary
			// one, a byte 1 or 0.
			passed = len(values[1]) == 1 && (values[1][0] == 't' || values[1][0] == 1)
		}
	}
	rows.Close()
	if err := rows.Err(); err != nil {
		return nil, false, err
	}
	if out == nil {
		return nil, false, gqlerr.New(gqlerr.Unexpected, "$", "the mutation returned no row")
	}
	return out, passed, nil
}

// checkFailed is Hasura's error for a written row that fails the check of
// the role's insert or update permission, reported at the field's error
// path (an insert's objects argument, "$" for an update).
func checkFailed(f *sqlgen.MutationField) error {
	path := f.ErrorPath
	if path == "" {
		path = "$"
	}
	return gqlerr.New(gqlerr.PermissionError, path, sqlgen.CheckViolationMessage)
}

// rawRow reads the one column of the one row a statement returns.
func rawRow(rows pgx.Rows, err error) ([]byte, error) {
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	var out []byte
	if rows.Next() {
		if v := rows.RawValues()[0]; v != nil {
			out = append([]byte{}, v...)
		} else {
			out = []byte("null")
		}
	}
	rows.Close()
	if err := rows.Err(); err != nil {
		return nil, err
	}
	if out == nil {
		return nil, gqlerr.New(gqlerr.Unexpected, "$", "the mutation returned no row")
	}
	return out, nil
}

// fieldError translates a database error of a field, reported at the
// field's error path.
func fieldError(err error, f *sqlgen.MutationField) error {
	var pgErr *pgconn.PgError
	e := Translate(err)
	var ge *gqlerr.Error
	if errors.As(err, &pgErr) && errors.As(e, &ge) && f.ErrorPath != "" {
		ge.Path = f.ErrorPath
	}
	return e
}

// fieldJSON is a field's value: its one step's JSON, or the array of all
// of them (update_<t>_many).
func fieldJSON(f *sqlgen.MutationField, values [][]byte) []byte {
	if !f.Many {
		return values[0]
	}
	return append(append([]byte("["), bytes.Join(values, []byte(","))...), ']')
}
