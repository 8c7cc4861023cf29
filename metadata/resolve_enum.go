package metadata

import (
	"context"
	"sort"
	"strconv"
	"strings"

	"github.com/trellis-gql/trellis/engine/catalog"
)

// Enum tables (https://hasura.io/docs/latest/schema/postgres/enums/): a
// table tracked with is_enum: true must have a single-column primary key
// of type text, at most one other column (of type text: the values'
// descriptions) and at least one row, and every key value must be a
// GraphQL enum value name. Its rows become the values of the GraphQL enum
// <table>_enum, and every column of a tracked table that references it
// through a single-column foreign key onto its primary key takes that
// enum type. The checks and their wording follow Hasura's
// fetchAndValidateEnumValues; a table that fails them is inconsistent.
//
// The rows come from the catalog (catalog.Catalog.EnumRows, filled by
// WithEnumRows). Resolve never reads the database: an enum table whose
// rows have not been read is resolved without values and no column takes
// its enum type.

// enumShape is what the columns of an enum table say before its rows are
// read.
type enumShape struct {
	source catalog.EnumSource
	// keyOK is true when the primary key is one text column: only then
	// can the rows be read.
	keyOK bool
	// problems are Hasura's reasons found so far, in its order.
	problems []string
}

// shapeOfEnum checks the columns of a table tracked as an enum table.
func shapeOfEnum(ct *catalog.Table, cat *catalog.Catalog) enumShape {
	sh := enumShape{source: catalog.EnumSource{Table: ct.Name}}
	var key *catalog.Column
	switch {
	case ct.PrimaryKey == nil || len(ct.PrimaryKey.Columns) == 0:
		sh.problems = append(sh.problems, "the table must have a primary key")
	case len(ct.PrimaryKey.Columns) > 1:
		sh.problems = append(sh.problems, "the table’s primary key must not span multiple columns ("+
			strings.Join(sortedCopy(ct.PrimaryKey.Columns), ", ")+")")
	default:
		key = ct.Column(ct.PrimaryKey.Columns[0])
		if key != nil && !isTextColumn(key, cat) {
			sh.problems = append(sh.problems, enumTypeMismatch("primary key", key, cat))
			key = nil
		}
	}
	// Hasura counts every column as "other" when the key is unusable.
	var others []*catalog.Column
	for _, c := range ct.Columns {
		if key == nil || c.Name != key.Name {
			others = append(others, c)
		}
	}
	switch {
	case len(others) == 1 && isTextColumn(others[0], cat):
		sh.source.Comment = others[0].Name
	case len(others) == 1:
		sh.problems = append(sh.problems, enumTypeMismatch("comment column", others[0], cat))
	case len(others) > 1:
		names := make([]string, len(others))
		for i, c := range others {
			names[i] = c.Name
		}
		sh.problems = append(sh.problems, "the table must have exactly one primary key and optionally one comment column, not "+
			strconv.Itoa(len(others))+" columns ("+strings.Join(sortedCopy(names), ", ")+")")
	}
	if key != nil {
		sh.source.Key, sh.keyOK = key.Name, true
	}
	return sh
}

// resolveEnum checks an enum table and returns its values sorted by name,
// or Hasura's reason for refusing it. loaded is false when the table's
// rows have not been read (the values are then nil).
func resolveEnum(ct *catalog.Table, cat *catalog.Catalog) (values []catalog.EnumRow, loaded bool, reason string) {
	sh := shapeOfEnum(ct, cat)
	problems := sh.problems
	if sh.keyOK {
		rows, ok := cat.EnumRows[ct.Name]
		if !ok && len(problems) == 0 {
			return nil, false, ""
		}
		if ok {
			loaded = true
			problems = append(problems, rowProblems(rows)...)
		}
	}
	if len(problems) > 0 {
		return nil, loaded, enumReason(ct.Name, problems)
	}
	values = append([]catalog.EnumRow(nil), cat.EnumRows[ct.Name]...)
	sort.Slice(values, func(i, j int) bool { return values[i].Value < values[j].Value })
	return values, true, ""
}

// rowProblems checks the rows of an enum table.
func rowProblems(rows []catalog.EnumRow) []string {
	if len(rows) == 0 {
		return []string{"the table must have at least one row"}
	}
	var bad []string
	for _, r := range rows {
		if !IsGraphQLName(r.Value) || r.Value == "true" || r.Value == "false" || r.Value == "null" {
			bad = append(bad, r.Value)
		}
	}
	if len(bad) == 0 {
		return nil
	}
	sort.Strings(bad)
	last := dquote(bad[len(bad)-1])
	switch len(bad) {
	case 1:
		return []string{"the value " + last + " is not a valid GraphQL enum value name"}
	case 2:
		return []string{"the values " + dquote(bad[0]) + " and " + last + " are not valid GraphQL enum value names"}
	}
	// Hasura quotes only the last of three or more.
	return []string{"the values " + strings.Join(bad[:len(bad)-1], ", ") + ", and " + last + " are not valid GraphQL enum value names"}
}

// enumReason is Hasura's message for a table that cannot be an enum.
func enumReason(n catalog.QualifiedName, problems []string) string {
	msg := "the table " + dquote(tableText(n)) + " cannot be used as an enum "
	if len(problems) == 1 {
		return msg + "because " + problems[0]
	}
	msg += "for the following reasons:\n"
	for _, p := range problems {
		msg += "  • " + p + "\n"
	}
	return msg
}

func enumTypeMismatch(what string, c *catalog.Column, cat *catalog.Catalog) string {
	return "the table’s " + what + " (" + dquote(c.Name) + ") must have type \"text\", not type " + dquote(HasuraTypeName(cat.Type(c.TypeOID), cat))
}

// isTextColumn reports whether a column has type text (not varchar, not a
// domain over text: Hasura wants text itself).
func isTextColumn(c *catalog.Column, cat *catalog.Catalog) bool {
	t := cat.Type(c.TypeOID)
	return t != nil && t.Schema == "pg_catalog" && t.Name == "text"
}

// hasuraTypeNames are Hasura's names of the types it knows, by typname.
var hasuraTypeNames = map[string]string{
	"int2": "smallint", "int4": "integer", "int8": "bigint", "float4": "real",
	"bool": "boolean",
}

// HasuraTypeName names a column type as Hasura's messages do: integer,
// boolean, varchar, …; an array is its element's name with "[]".
func HasuraTypeName(t *catalog.Type, cat *catalog.Catalog) string {
	if t == nil {
		return "unknown"
	}
	if t.IsArray() {
		return HasuraTypeName(cat.Type(t.ElemOID), cat) + "[]"
	}
	if name, ok := hasuraTypeNames[t.Name]; ok && t.Schema == "pg_catalog" {
		return name
	}
	return t.Name
}

// IsGraphQLName reports whether s is a GraphQL name: /[_A-Za-z][_0-9A-Za-z]*/.
func IsGraphQLName(s string) bool {
	if s == "" {
		return false
	}
	for i := 0; i < len(s); i++ {
		c := s[i]
		switch {
		case c == '_', c >= 'a' && c <= 'z', c >= 'A' && c <= 'Z':
		case c >= '0' && c <= '9' && i > 0:
		default:
			return false
		}
	}
	return true
}

// linkEnumReferences records, for every table, the columns that reference
// an enum table with values through a single-column foreign key onto its
// primary key (Hasura's resolveEnumReferences).
func linkEnumReferences(tables []*Table) {
	enums := make(map[catalog.QualifiedName]*Table)
	for _, t := range tables {
		if t.IsEnum && t.EnumValues != nil {
			enums[t.Info.Name] = t
		}
	}
	if len(enums) == 0 {
		return
	}
	for _, t := range tables {
		for _, fk := range t.Info.ForeignKeys {
			target := enums[fk.RefTable]
			if target == nil || len(fk.Columns) != 1 || len(fk.RefColumns) != 1 ||
				fk.RefColumns[0] != target.Info.PrimaryKey.Columns[0] {
				continue
			}
			if t.EnumRefs == nil {
				t.EnumRefs = make(map[string]*Table)
			}
			t.EnumRefs[fk.Columns[0]] = target
		}
	}
}

// EnumSources lists the enum tables of md's primary source whose rows cat
// lacks and can be read (the table exists and its primary key is one text
// column), in metadata order.
func EnumSources(md *Metadata, cat *catalog.Catalog) []catalog.EnumSource {
	src := pickSource(md)
	if src == nil || cat == nil {
		return nil
	}
	var out []catalog.EnumSource
	for i := range src.Tables {
		e := &src.Tables[i]
		if !e.IsEnum {
			continue
		}
		if _, read := cat.EnumRows[e.Table]; read {
			continue
		}
		ct := cat.Table(e.Table)
		if ct == nil {
			continue
		}
		if sh := shapeOfEnum(ct, cat); sh.keyOK {
			out = append(out, sh.source)
		}
	}
	return out
}

// WithEnumRows returns cat with the rows of md's enum tables that cat
// lacks read through q (cat itself, and no round trip, when it lacks none).
// Every path that resolves metadata against a freshly loaded catalog calls
// it first: rows are read when the catalog is (boot, reload_metadata,
// run_sql) and when a table becomes an enum table, never on a query.
func WithEnumRows(ctx context.Context, q catalog.Querier, md *Metadata, cat *catalog.Catalog) (*catalog.Catalog, error) {
	need := EnumSources(md, cat)
	if len(need) == 0 {
		return cat, nil
	}
	rows, err := catalog.LoadEnumRows(ctx, q, need)
	if err != nil {
		return nil, err
	}
	return cat.WithEnumRows(rows), nil
}

func sortedCopy(s []string) []string {
	out := append([]string(nil), s...)
	sort.Strings(out)
	return out
}
