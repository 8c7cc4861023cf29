package metadataapi

import (
	"context"
	"encoding/json"
	"regexp"

	"github.com/trellis-gql/trellis/engine/catalog"
	"github.com/trellis-gql/trellis/metadata"
)

// The rows of enum tables (is_enum: true) are part of the schema Hasura
// builds: they are read with the catalog (boot, reload_metadata, run_sql)
// and when a table becomes an enum table, and kept in the catalog until
// the next read. A change to an enum table's rows through /v1/graphql
// shows only after reload_metadata, as in Hasura.

// withEnumRows reads the rows of st.md's enum tables that st.cat lacks;
// it costs no round trip when there are none.
func (st *state) withEnumRows(ctx context.Context) error {
	cat, err := metadata.WithEnumRows(ctx, st.tx, st.md, st.cat)
	if err != nil {
		return err
	}
	st.cat = cat
	return nil
}

// applyOp runs a metadata operation on st. When the operation makes a
// table an enum table whose rows have not been read (set_table_is_enum,
// track_table with is_enum), the first run could not check them: the rows
// are read and the operation runs again, so that an enum table without
// rows or with invalid values is refused as Hasura refuses it.
func (st *state) applyOp(ctx context.Context, opType string, args json.RawMessage) (*metadata.Metadata, *metadata.Model, json.RawMessage, error) {
	md, model, resp, err := metadata.ApplyOpOn(st.md, st.resolvedIfKnown(), st.cat, opType, args)
	if err != nil {
		return nil, nil, nil, err
	}
	need := metadata.EnumSources(md, st.cat)
	if len(need) == 0 {
		return md, model, resp, nil
	}
	rows, err := catalog.LoadEnumRows(ctx, st.tx, need)
	if err != nil {
		return nil, nil, nil, err
	}
	st.cat = st.cat.WithEnumRows(rows)
	return metadata.ApplyOpOn(st.md, nil, st.cat, opType, args)
}

// hasuraDDL is the heuristic by which Hasura decides that a run_sql may
// have changed the schema and rebuilds its schema cache (enum values
// included): the SQL names one of these keywords.
var hasuraDDL = regexp.MustCompile(`(?i)\balter\b|\bdrop\b|\breplace\b|\bcreate function\b|\bcomment on\b`)

// keepEnumRows gives cat, freshly loaded after a run_sql, the enum rows
// read before it, unless Hasura would rebuild its schema cache after that
// SQL (check_metadata_consistency when given, else hasuraDDL): a run_sql
// that only changes an enum table's rows leaves its values as they were
// until reload_metadata, as in Hasura.
func keepEnumRows(args runSQLArgs, before, cat *catalog.Catalog) *catalog.Catalog {
	rebuild := hasuraDDL.MatchString(args.SQL)
	if args.CheckMetadataConsistency != nil {
		rebuild = *args.CheckMetadataConsistency
	}
	if rebuild || before == nil || len(before.EnumRows) == 0 {
		return cat
	}
	return cat.WithEnumRows(before.EnumRows)
}
