package catalog

import (
	"context"
	"fmt"
	"strconv"
	"strings"

	"github.com/jackc/pgx/v5"
)

// Hasura's enum tables ("is_enum: true") take their GraphQL enum values
// from the rows of the table: the primary key column gives the value, an
// optional second column its description. The rows are data, not schema,
// so Load does not read them; LoadEnumRows reads them for the tables the
// metadata marks as enum tables, and WithEnumRows attaches them to a
// catalog, where metadata resolution finds them.

// EnumRow is one row of an enum table.
type EnumRow struct {
	Value string
	// Comment is the comment column's value; nil when the table has no
	// comment column or the row's comment is NULL.
	Comment *string
}

// EnumSource says which columns of an enum table to read.
type EnumSource struct {
	Table QualifiedName
	Key   string // the primary key column
	// Comment is the comment column, "" when the table has none.
	Comment string
}

// LoadEnumRows reads the rows of the given enum tables in one statement
// and returns them by table, in no particular order. A table without rows
// has an empty, non-nil entry. It sends nothing when sources is empty.
//
// The statement is a UNION ALL of one SELECT per table; it has no
// parameters: the only text it holds are identifiers from the catalog,
// quoted by pgx.Identifier.
func LoadEnumRows(ctx context.Context, q Querier, sources []EnumSource) (map[QualifiedName][]EnumRow, error) {
	out := make(map[QualifiedName][]EnumRow, len(sources))
	if len(sources) == 0 {
		return out, nil
	}
	for _, s := range sources {
		out[s.Table] = []EnumRow{}
	}
	rows, err := q.Query(ctx, enumRowsSQL(sources), pgx.QueryExecModeExec)
	if err != nil {
		return nil, fmt.Errorf("catalog: reading enum table values: %w", err)
	}
	defer rows.Close()
	for rows.Next() {
		var (
			i       int
			value   *string
			comment *string
		)
		if err := rows.Scan(&i, &value, &comment); err != nil {
			return nil, fmt.Errorf("catalog: scan enum table values: %w", err)
		}
		if i < 0 || i >= len(sources) || value == nil {
			continue // a primary key is never NULL
		}
		n := sources[i].Table
		out[n] = append(out[n], EnumRow{Value: *value, Comment: comment})
	}
	if err := rows.Err(); err != nil {
		return nil, fmt.Errorf("catalog: reading enum table values: %w", err)
	}
	return out, nil
}

// enumRowsSQL builds the statement of LoadEnumRows: for the i-th source,
// SELECT i, "key"::text, "comment"::text FROM "schema"."table" (NULL for
// a missing comment column).
func enumRowsSQL(sources []EnumSource) string {
	var b strings.Builder
	for i, s := range sources {
		if i > 0 {
			b.WriteString(" UNION ALL ")
		}
		comment := "NULL::text"
		if s.Comment != "" {
			comment = pgx.Identifier{s.Comment}.Sanitize() + "::text"
		}
		b.WriteString("SELECT " + strconv.Itoa(i) + ", " + pgx.Identifier{s.Key}.Sanitize() + "::text, " + comment +
			" FROM " + pgx.Identifier{s.Table.Schema, s.Table.Name}.Sanitize())
	}
	return b.String()
}

// WithEnumRows returns a copy of c whose EnumRows are c's with rows added
// (a table in rows replaces its earlier entry). c is not changed.
func (c *Catalog) WithEnumRows(rows map[QualifiedName][]EnumRow) *Catalog {
	out := *c
	out.EnumRows = make(map[QualifiedName][]EnumRow, len(c.EnumRows)+len(rows))
	for n, r := range c.EnumRows {
		out.EnumRows[n] = r
	}
	for n, r := range rows {
		out.EnumRows[n] = r
	}
	return &out
}
