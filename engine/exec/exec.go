package exec

import (
	"context"
	"errors"
	"fmt"
	"strings"

	"github.com/jackc/pgx/v5"
	"github.com/jackc/pgx/v5/pgconn"
	"github.com/jackc/pgx/v5/pgxpool"

	"github.com/trellis-gql/trellis/engine/gqlerr"
	"github.com/trellis-gql/trellis/engine/sqlgen"
)

// Config configures the pool.
type Config struct {
	// DatabaseURL is a libpq connection string or URL.
	DatabaseURL string
	// MaxConns caps the pool; 0 means pgxpool's default. A pool_max_conns
	// parameter in DatabaseURL wins.
	MaxConns int32
	// Tracer, when set, sees every statement (tests count them with it).
	Tracer pgx.QueryTracer
}

// DB is the engine's connection pool.
type DB struct {
	Pool *pgxpool.Pool
}

// Open connects a pool and checks that the server answers.
func Open(ctx context.Context, cfg Config) (*DB, error) {
	pc, err := pgxpool.ParseConfig(cfg.DatabaseURL)
	if err != nil {
		return nil, fmt.Errorf("parsing the database URL: %w", err)
	}
	if cfg.MaxConns > 0 && !strings.Contains(cfg.DatabaseURL, "pool_max_conns") {
		pc.MaxConns = cfg.MaxConns
	}
	// Timestamps with time zone come out in UTC whatever the server's
	// default, unless the connection string chooses a zone.
	if _, set := pc.ConnConfig.RuntimeParams["timezone"]; !set {
		pc.ConnConfig.RuntimeParams["timezone"] = "UTC"
	}
	if cfg.Tracer != nil {
		pc.ConnConfig.Tracer = cfg.Tracer
	}
	pool, err := pgxpool.NewWithConfig(ctx, pc)
	if err != nil {
		return nil, fmt.Errorf("connecting to the database: %w", err)
	}
	if err := pool.Ping(ctx); err != nil {
		pool.Close()
		return nil, fmt.Errorf("connecting to the database: %w", err)
	}
	return &DB{Pool: pool}, nil
}

// Close closes the pool.
func (db *DB) Close() { db.Pool.Close() }

// QueryJSON runs a statement that returns one row and returns the raw bytes
// of each of its columns (nil for SQL NULL).
//
// With a session, hasura.user is set to it first, in the same round trip
// and the same implicit transaction (a pipelined batch ends in one Sync),
// so that views, functions and row-level security policies can read the
// session with current_setting('hasura.user') on reads as on mutations.
func (db *DB) QueryJSON(ctx context.Context, session string, st *sqlgen.Statement) ([][]byte, error) {
	if session == "" {
		return firstRow(db.Pool.Query(ctx, st.SQL, st.Args...))
	}
	batch := &pgx.Batch{}
	batch.Queue(setSession, session)
	batch.Queue(st.SQL, st.Args...)
	br := db.Pool.SendBatch(ctx, batch)
	defer br.Close()
	if _, err := br.Exec(); err != nil {
		return nil, Translate(err)
	}
	out, err := firstRow(br.Query())
	if err != nil {
		return nil, err
	}
	if err := br.Close(); err != nil {
		return nil, Translate(err)
	}
	return out, nil
}

// firstRow reads the columns of the one row a statement returns.
func firstRow(rows pgx.Rows, err error) ([][]byte, error) {
	if err != nil {
		return nil, Translate(err)
	}
	defer rows.Close()
	var out [][]byte
	if rows.Next() {
		raw := rows.RawValues()
		out = make([][]byte, len(raw))
		for i, v := range raw {
			if v != nil {
				out[i] = append([]byte(nil), v...)
			}
		}
	}
	rows.Close()
	if err := rows.Err(); err != nil {
		return nil, Translate(err)
	}
	if out == nil {
		return nil, gqlerr.New(gqlerr.Unexpected, "$", "the query returned no row")
	}
	return out, nil
}

// Translate turns a database error into a coded error the way Hasura
// reports it: integrity violations are constraint-violation (a failed CHECK
// is permission-error), bad input is data-exception, the rest
// postgres-error. The server's detail goes to Internal, for admins.
func Translate(err error) error {
	var pgErr *pgconn.PgError
	if !errors.As(err, &pgErr) {
		if errors.Is(err, context.Canceled) || errors.Is(err, context.DeadlineExceeded) {
			return gqlerr.New(gqlerr.Unexpected, "$", "the request was cancelled or timed out")
		}
		return &gqlerr.Error{Code: gqlerr.Unexpected, Path: "$", Message: "database query error", Internal: err.Error()}
	}
	internal := map[string]any{
		"error": map[string]any{
			"exec_status": "FatalError",
			"message":     pgErr.Message,
			"status_code": pgErr.Code,
			"description": nullable(pgErr.Detail),
			"hint":        nullable(pgErr.Hint),
		},
	}
	e := &gqlerr.Error{Path: "$", Message: pgErr.Message, Internal: internal}
	switch {
	case pgErr.Code == "23505":
		e.Code, e.Message = gqlerr.ConstraintViolation, "Uniqueness violation. "+pgErr.Message
	case pgErr.Code == "23503":
		e.Code, e.Message = gqlerr.ConstraintViolation, "Foreign key violation. "+pgErr.Message
	case pgErr.Code == "23502":
		e.Code, e.Message = gqlerr.ConstraintViolation, "Not-NULL violation. "+pgErr.Message
	case pgErr.Code == "23P01":
		e.Code, e.Message = gqlerr.ConstraintViolation, "Conflicting key value violates exclusion constraint. "+pgErr.Message
	case pgErr.Code == "23514" && pgErr.Message == sqlgen.CheckViolationMessage:
		// hdb_catalog.check_violation: a permission check (see
		// sqlgen/mutation_check.go), reported as it is.
		e.Code = gqlerr.PermissionError
	case pgErr.Code == "23514":
		e.Code, e.Message = gqlerr.PermissionError, "Check constraint violation. "+pgErr.Message
	case len(pgErr.Code) == 5 && pgErr.Code[:2] == "23":
		e.Code = gqlerr.ConstraintViolation
	case pgErr.Code == "42704" && strings.HasPrefix(pgErr.Message, "constraint "):
		// ON CONFLICT ON CONSTRAINT naming a constraint the table no longer
		// has (dropped since the schema was built).
		e.Code = gqlerr.ConstraintError
	case pgErr.Code == "22025": // invalid escape sequence in a LIKE pattern
		e.Code = gqlerr.BadRequest
	case len(pgErr.Code) == 5 && pgErr.Code[:2] == "22":
		e.Code = gqlerr.DataException
	default:
		e.Code = gqlerr.PostgresError
	}
	return e
}

func nullable(s string) any {
	if s == "" {
		return nil
	}
	return s
}
