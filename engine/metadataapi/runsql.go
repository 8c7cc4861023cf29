package metadataapi

import (
	"context"
	"encoding/json"
	"errors"
	"net/http"
	"strings"

	"github.com/jackc/pgx/v5"
	"github.com/jackc/pgx/v5/pgconn"

	"github.com/trellis-gql/trellis/engine/catalog"
	"github.com/trellis-gql/trellis/engine/exec"
	"github.com/trellis-gql/trellis/engine/gqlerr"
	"github.com/trellis-gql/trellis/metadata"
)

type runSQLArgs struct {
	SQL                      string `json:"sql"`
	Source                   string `json:"source"`
	Cascade                  bool   `json:"cascade"`
	CheckMetadataConsistency *bool  `json:"check_metadata_consistency"`
	ReadOnly                 bool   `json:"read_only"`
	// NoTransaction runs the SQL outside any transaction, for statements
	// that cannot run in one (CREATE INDEX CONCURRENTLY, the Hasura CLI's
	// migrations marked no_transaction). Only a run_sql request of its own
	// can; inside a bulk it runs in the bulk's transaction.
	NoTransaction bool `json:"no_transaction"`
}

// runSQL runs an admin's SQL in the request's transaction and answers with
// the last statement's rows as text (Hasura's TuplesOk) or CommandOk. When
// the SQL may have changed the schema, the catalog is reloaded and metadata
// about dropped tables and columns is removed, as Hasura does.
func (a *API) runSQL(ctx context.Context, st *state, raw json.RawMessage, path string) (json.RawMessage, error) {
	var args runSQLArgs
	if err := json.Unmarshal(raw, &args); err != nil {
		return nil, metadata.Errorf(metadata.CodeParseFailed, path, "%v", err)
	}
	var results []*pgconn.Result
	var err error
	if st.ranSQL != nil {
		results, st.ranSQL = st.ranSQL, nil
	} else if results, err = st.tx.Conn().PgConn().Exec(ctx, args.SQL).ReadAll(); err != nil {
		return nil, sqlError(err, args.SQL, path)
	}
	// Read-only SQL changes no schema. (Inside a request that has already
	// run statements Postgres cannot make the transaction read-only any
	// more; a read_only run_sql of its own runs in a READ ONLY transaction,
	// see readOnlySQL.)
	if !args.ReadOnly {
		cat, err := catalog.Load(ctx, st.tx)
		if err != nil {
			return nil, err
		}
		before := st.cat
		st.cat, st.dbChanged, st.catFresh = keepEnumRows(args, before, cat), true, true
		// check_metadata_consistency: false leaves the metadata as it is;
		// what no longer matches the database is then reported as
		// inconsistent instead of being removed.
		// Tracked functions may be neither overloaded nor made VOLATILE;
		// Hasura checks the first before dependents, the second after.
		if args.CheckMetadataConsistency == nil || *args.CheckMetadataConsistency {
			if err := metadata.OverloadedFunctions(st.md, before, cat); err != nil {
				return nil, err
			}
			renamed := metadata.ApplyRenames(st.md, before, cat)
			purged := metadata.PurgeDropped(renamed, cat)
			if lost := metadata.PurgeLoss(renamed, purged); len(lost) > 0 && !args.Cascade {
				return nil, metadata.Errorf(metadata.CodeDependencyError, "$",
					"cannot drop due to the following dependent objects: %s", strings.Join(lost, ", "))
			}
			if err := metadata.VolatileFunctions(st.md, before, cat); err != nil {
				return nil, err
			}
			if !sameJSON(purged, st.md) {
				st.md, st.mdChanged = purged, true
			}
		}
		if err := st.withEnumRows(ctx); err != nil {
			return nil, err
		}
	}
	return sqlResult(results)
}

// sqlWithoutTransaction runs a no_transaction run_sql request's SQL on a
// connection of its own, outside any transaction.
func (a *API) sqlWithoutTransaction(ctx context.Context, raw json.RawMessage) ([]*pgconn.Result, error) {
	var args runSQLArgs
	if err := json.Unmarshal(raw, &args); err != nil {
		return nil, metadata.Errorf(metadata.CodeParseFailed, "$.args", "%v", err)
	}
	conn, err := a.db.Pool.Acquire(ctx)
	if err != nil {
		return nil, err
	}
	defer conn.Release()
	results, err := conn.Conn().PgConn().Exec(ctx, args.SQL).ReadAll()
	if err != nil {
		return nil, sqlError(err, args.SQL, "$.args")
	}
	return results, nil
}

// readOnlySQL runs a read_only run_sql request on its own, in a READ ONLY
// transaction that does not lock the metadata.
func (a *API) readOnlySQL(ctx context.Context, raw json.RawMessage) (json.RawMessage, error) {
	var args runSQLArgs
	if err := json.Unmarshal(raw, &args); err != nil {
		return nil, metadata.Errorf(metadata.CodeParseFailed, "$.args", "%v", err)
	}
	tx, err := a.db.Pool.BeginTx(ctx, pgx.TxOptions{AccessMode: pgx.ReadOnly})
	if err != nil {
		return nil, err
	}
	defer tx.Rollback(context.Background()) //nolint:errcheck // read only: nothing to keep
	results, err := tx.Conn().PgConn().Exec(ctx, args.SQL).ReadAll()
	if err != nil {
		return nil, sqlError(err, args.SQL, "$.args")
	}
	return sqlResult(results)
}

// sqlResult renders the last result: {"result_type":"TuplesOk","result":
// [[column names…],[row values as text…],…]} or {"result_type":"CommandOk",
// "result":null}.
func sqlResult(results []*pgconn.Result) (json.RawMessage, error) {
	if len(results) == 0 || len(results[len(results)-1].FieldDescriptions) == 0 {
		return json.RawMessage(`{"result_type":"CommandOk","result":null}`), nil
	}
	last := results[len(results)-1]
	rows := make([][]*string, 0, len(last.Rows)+1)
	header := make([]*string, len(last.FieldDescriptions))
	for i, fd := range last.FieldDescriptions {
		name := fd.Name
		header[i] = &name
	}
	rows = append(rows, header)
	for _, r := range last.Rows {
		row := make([]*string, len(r))
		for i, v := range r {
			if v != nil {
				s := string(v)
				row[i] = &s
			}
		}
		rows = append(rows, row)
	}
	return json.Marshal(struct {
		ResultType string      `json:"result_type"`
		Result     [][]*string `json:"result"`
	}{"TuplesOk", rows})
}

// sqlError reports a failed run_sql as Hasura does, whatever the error:
// "query execution failed" (postgres-error) at the request's args, with
// the server's error under "internal".
func sqlError(err error, sql, path string) error {
	var pgErr *pgconn.PgError
	if !errors.As(err, &pgErr) {
		return err
	}
	internal := map[string]any{"arguments": []any{}, "prepared": false, "statement": sql}
	if m, ok := gqlerr.As(exec.Translate(err)).Internal.(map[string]any); ok {
		internal["error"] = m["error"]
	}
	return &metadata.APIError{Status: http.StatusBadRequest, Code: metadata.CodePostgresError, Path: path, Message: "query execution failed", Internal: internal, Position: int(pgErr.Position)}
}

func sameJSON(a, b *metadata.Metadata) bool {
	return string(metadata.ExportJSON(a)) == string(metadata.ExportJSON(b))
}
