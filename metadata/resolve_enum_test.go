package metadata

import (
	"testing"

	"github.com/trellis-gql/trellis/engine/catalog"
)

const (
	textOID = 25
	int4OID = 23
)

// addEnumTable adds colour(value text primary key, comment text) to c,
// with its rows read (red, blue), and the types text and int4.
func addEnumTable(c *catalog.Catalog) {
	if c.Types == nil {
		c.Types = map[uint32]*catalog.Type{}
	}
	c.Types[textOID] = &catalog.Type{OID: textOID, Schema: "pg_catalog", Name: "text", Kind: catalog.TypeBase, Category: 'S'}
	c.Types[int4OID] = &catalog.Type{OID: int4OID, Schema: "pg_catalog", Name: "int4", Kind: catalog.TypeBase, Category: 'N'}
	c.Tables[qn("public", "colour")] = enumCandidate("colour", []string{"value"}, "value:text", "comment:text")
	red, none := "Red", (*string)(nil)
	c.EnumRows = map[catalog.QualifiedName][]catalog.EnumRow{
		qn("public", "colour"): {{Value: "red", Comment: &red}, {Value: "blue", Comment: none}},
	}
}

// enumCandidate builds a table from "name:type" columns (type text or int4).
func enumCandidate(name string, key []string, cols ...string) *catalog.Table {
	t := &catalog.Table{Name: qn("public", name), Kind: catalog.KindTable}
	if key != nil {
		t.PrimaryKey = &catalog.Constraint{Name: name + "_pkey", Columns: key}
	}
	for i, c := range cols {
		col := &catalog.Column{Num: int16(i + 1), TypeOID: textOID}
		for j := 0; j < len(c); j++ {
			if c[j] == ':' {
				col.Name = c[:j]
				if c[j+1:] == "int4" {
					col.TypeOID = int4OID
				}
			}
		}
		t.Columns = append(t.Columns, col)
	}
	return t
}

func TestResolveEnum(t *testing.T) {
	base := testCatalog()
	tests := []struct {
		name   string
		table  *catalog.Table
		rows   []string // nil: not read
		values []string
		reason string
	}{{
		name:  "values sorted, with descriptions",
		table: enumCandidate("e", []string{"value"}, "value:text", "comment:text"), rows: []string{"red", "blue"},
		values: []string{"blue", "red"},
	}, {
		name:  "key only",
		table: enumCandidate("e", []string{"value"}, "value:text"), rows: []string{"a"},
		values: []string{"a"},
	}, {
		name:  "rows not read yet",
		table: enumCandidate("e", []string{"value"}, "value:text"),
	}, {
		name:   "no primary key",
		table:  enumCandidate("e", nil, "value:text"),
		reason: `the table "e" cannot be used as an enum because the table must have a primary key`,
	}, {
		// Hasura then counts the key among the other columns too.
		name:  "integer key",
		table: enumCandidate("e", []string{"id"}, "id:int4"),
		reason: "the table \"e\" cannot be used as an enum for the following reasons:\n" +
			"  • the table’s primary key (\"id\") must have type \"text\", not type \"integer\"\n" +
			"  • the table’s comment column (\"id\") must have type \"text\", not type \"integer\"\n",
	}, {
		name:  "integer key and other columns",
		table: enumCandidate("e", []string{"id"}, "id:int4", "name:text", "bio:text"),
		reason: "the table \"e\" cannot be used as an enum for the following reasons:\n" +
			"  • the table’s primary key (\"id\") must have type \"text\", not type \"integer\"\n" +
			"  • the table must have exactly one primary key and optionally one comment column, not 3 columns (bio, id, name)\n",
	}, {
		name:  "two-column key",
		table: enumCandidate("e", []string{"b", "a"}, "b:text", "a:text"),
		reason: "the table \"e\" cannot be used as an enum for the following reasons:\n" +
			"  • the table’s primary key must not span multiple columns (a, b)\n" +
			"  • the table must have exactly one primary key and optionally one comment column, not 2 columns (a, b)\n",
	}, {
		name:  "integer comment column",
		table: enumCandidate("e", []string{"value"}, "value:text", "rank:int4"), rows: []string{"a"},
		reason: `the table "e" cannot be used as an enum because the table’s comment column ("rank") must have type "text", not type "integer"`,
	}, {
		name:  "no rows",
		table: enumCandidate("e", []string{"value"}, "value:text"), rows: []string{},
		reason: `the table "e" cannot be used as an enum because the table must have at least one row`,
	}, {
		name:  "one invalid value",
		table: enumCandidate("e", []string{"value"}, "value:text"), rows: []string{"ok", "not ok"},
		reason: `the table "e" cannot be used as an enum because the value "not ok" is not a valid GraphQL enum value name`,
	}, {
		name:  "two invalid values",
		table: enumCandidate("e", []string{"value"}, "value:text"), rows: []string{"true", "1a", "ok"},
		reason: `the table "e" cannot be used as an enum because the values "1a" and "true" are not valid GraphQL enum value names`,
	}, {
		name:  "three invalid values",
		table: enumCandidate("e", []string{"value"}, "value:text"), rows: []string{"null", "a-b", "false"},
		reason: `the table "e" cannot be used as an enum because the values a-b, false, and "null" are not valid GraphQL enum value names`,
	}, {
		name:  "comment column problem and rows problem together",
		table: enumCandidate("e", []string{"value"}, "value:text", "x:int4"), rows: []string{},
		reason: "the table \"e\" cannot be used as an enum for the following reasons:\n" +
			"  • the table’s comment column (\"x\") must have type \"text\", not type \"integer\"\n" +
			"  • the table must have at least one row\n",
	}}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			cat := *base
			if tc.rows != nil {
				rows := make([]catalog.EnumRow, len(tc.rows))
				for i, r := range tc.rows {
					rows[i] = catalog.EnumRow{Value: r}
				}
				cat.EnumRows = map[catalog.QualifiedName][]catalog.EnumRow{tc.table.Name: rows}
			} else {
				cat.EnumRows = nil
			}
			values, loaded, reason := resolveEnum(tc.table, &cat)
			if reason != tc.reason {
				t.Fatalf("reason\n got %q\nwant %q", reason, tc.reason)
			}
			if loaded != (tc.rows != nil) {
				t.Errorf("loaded = %v", loaded)
			}
			var got []string
			for _, v := range values {
				got = append(got, v.Value)
			}
			if len(got) != len(tc.values) {
				t.Fatalf("values = %v, want %v", got, tc.values)
			}
			for i := range got {
				if got[i] != tc.values[i] {
					t.Fatalf("values = %v, want %v", got, tc.values)
				}
			}
		})
	}
}

func TestEnumReferencesAndSources(t *testing.T) {
	cat := testCatalog()
	cat.Tables[qn("public", "paint")] = catTable(qn("public", "paint"), []string{"id", "colour", "other"},
		catalog.ForeignKey{Name: "paint_colour_fkey", Columns: []string{"colour"}, RefTable: qn("public", "colour"), RefColumns: []string{"value"}},
		catalog.ForeignKey{Name: "paint_other_fkey", Columns: []string{"other"}, RefTable: qn("public", "colour"), RefColumns: []string{"comment"}})
	md := &Metadata{Sources: []Source{{Name: "default", Tables: []TableEntry{
		{Table: pub("colour"), IsEnum: true}, {Table: pub("paint")},
	}}}}
	m := Resolve(md, cat)
	if len(m.Inconsistencies) != 0 {
		t.Fatalf("inconsistencies: %+v", m.Inconsistencies)
	}
	paint, colour := m.Table(pub("paint")), m.Table(pub("colour"))
	if len(paint.EnumRefs) != 1 || paint.EnumRefs["colour"] != colour {
		t.Errorf("paint.EnumRefs = %v: only colour, through the key onto the primary key", paint.EnumRefs)
	}
	if len(colour.EnumValues) != 2 || colour.EnumValues[0].Value != "blue" || colour.EnumValues[1].Comment == nil || *colour.EnumValues[1].Comment != "Red" {
		t.Errorf("colour.EnumValues = %+v", colour.EnumValues)
	}
	if got := EnumSources(md, cat); len(got) != 0 {
		t.Errorf("EnumSources with rows read = %+v", got)
	}
	unread := cat.WithEnumRows(nil)
	unread.EnumRows = nil
	want := catalog.EnumSource{Table: qn("public", "colour"), Key: "value", Comment: "comment"}
	if got := EnumSources(md, unread); len(got) != 1 || got[0] != want {
		t.Errorf("EnumSources = %+v, want %+v", got, want)
	}
	// Unread rows: the table is consistent but has no values, and no column
	// takes its enum type.
	m = Resolve(md, unread)
	if len(m.Inconsistencies) != 0 || m.Table(pub("colour")).EnumValues != nil || m.Table(pub("paint")).EnumRefs != nil {
		t.Errorf("unread model = %+v", m)
	}
}
