package apiclient

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"strconv"

	"github.com/trellis-gql/trellis/migrations"
)

// Migrations is the client as a migrations.Server.
func (c *Client) Migrations() migrations.Server { return migrationServer{c} }

type migrationServer struct{ c *Client }

// CLIState returns cli_state of get_catalog_state.
func (s migrationServer) CLIState(ctx context.Context) (json.RawMessage, error) {
	body, err := s.c.Metadata(ctx, Op{Type: "get_catalog_state", Args: struct{}{}})
	if err != nil {
		return nil, err
	}
	var out struct {
		CLIState json.RawMessage `json:"cli_state"`
	}
	if err := json.Unmarshal(body, &out); err != nil {
		return nil, fmt.Errorf("get_catalog_state: %w", err)
	}
	return out.CLIState, nil
}

// legacyTable is where config v2 projects' versions are.
const legacyTable = "hdb_catalog.schema_migrations"

// LegacyVersions reads hdb_catalog.schema_migrations when it exists.
func (s migrationServer) LegacyVersions(ctx context.Context) (map[int64]bool, bool, error) {
	rows, err := s.c.tuples(ctx, "SELECT to_regclass('"+legacyTable+"') IS NOT NULL")
	if err != nil {
		return nil, false, err
	}
	if len(rows) != 1 || rows[0][0] != "t" {
		return nil, false, nil
	}
	if rows, err = s.c.tuples(ctx, "SELECT version::text, dirty::text FROM "+legacyTable); err != nil {
		return nil, false, err
	}
	out := map[int64]bool{}
	for _, r := range rows {
		v, err := strconv.ParseInt(r[0], 10, 64)
		if err != nil {
			return nil, false, fmt.Errorf("%s holds a version that is not a number: %q", legacyTable, r[0])
		}
		out[v] = r[1] == "t" || r[1] == "true"
	}
	return out, true, nil
}

// Apply sends the SQL and the new state in one /v2/query bulk, which a
// Trellis server runs in one transaction. A server that does not take
// set_catalog_state there (Hasura) refuses the whole bulk as unparsable
// before running any of it; then the SQL runs first and the state is
// stored after it, as the Hasura CLI does.
func (s migrationServer) Apply(ctx context.Context, database, sql string, state json.RawMessage) error {
	setState := Op{Type: "set_catalog_state", Args: map[string]any{"type": "cli", "state": state}}
	var ops []Op
	if sql != "" {
		ops = append(ops, runSQL(database, sql))
	}
	_, err := s.c.Bulk(ctx, append(ops, setState))
	var apiErr *Error
	if err == nil || !errors.As(err, &apiErr) || apiErr.Code != "parse-failed" || BulkIndex(err) != len(ops) {
		return err
	}
	if len(ops) > 0 {
		if _, err := s.c.Bulk(ctx, ops); err != nil {
			return err
		}
	}
	_, err = s.c.Metadata(ctx, setState)
	return err
}

// tuples runs a read-only query and returns its rows without the header
// row, as text.
func (c *Client) tuples(ctx context.Context, sql string) ([][]string, error) {
	body, err := c.Query(ctx, Op{Type: "run_sql", Args: map[string]any{"sql": sql, "read_only": true}})
	if err != nil {
		return nil, err
	}
	var out struct {
		Result [][]*string `json:"result"`
	}
	if err := json.Unmarshal(body, &out); err != nil {
		return nil, fmt.Errorf("run_sql: %w", err)
	}
	var rows [][]string
	for i, r := range out.Result {
		if i == 0 {
			continue
		}
		row := make([]string, len(r))
		for j, v := range r {
			if v != nil {
				row[j] = *v
			}
		}
		rows = append(rows, row)
	}
	return rows, nil
}
