package metadata

import (
	"bytes"
	"encoding/json"
	"reflect"
	"strings"
	"testing"

	"github.com/trellis-gql/trellis/engine/catalog"
)

// rnTable builds a catalog table; its columns get attnums 1, 2, …, and an
// empty name leaves a number out (a dropped column).
func rnTable(oid uint32, schema, name string, cols ...string) *catalog.Table {
	t := &catalog.Table{Name: catalog.QualifiedName{Schema: schema, Name: name}, OID: oid, Kind: catalog.KindTable}
	for i, c := range cols {
		if c != "" {
			t.Columns = append(t.Columns, &catalog.Column{Name: c, Num: int16(i + 1), TypeOID: 23})
		}
	}
	return t
}

// rnFK adds a foreign key of t on col to ref(refCol).
func rnFK(t *catalog.Table, col string, ref *catalog.Table, refCol string) *catalog.Table {
	t.ForeignKeys = append(t.ForeignKeys, catalog.ForeignKey{
		Name: t.Name.Name + "_" + col + "_fkey", Columns: []string{col}, RefTable: ref.Name, RefColumns: []string{refCol},
	})
	return t
}

func rnCatalog(tables ...*catalog.Table) *catalog.Catalog {
	c := &catalog.Catalog{Tables: map[catalog.QualifiedName]*catalog.Table{}, Types: map[uint32]*catalog.Type{}}
	for _, t := range tables {
		c.Tables[t.Name] = t
	}
	return c
}

// rnBefore is author(id, name) and article(id, title, author_id) with a
// foreign key from article.author_id to author.id.
func rnBefore() *catalog.Catalog {
	author := rnTable(100, "public", "author", "id", "name")
	article := rnFK(rnTable(200, "public", "article", "id", "title", "author_id"), "author_id", author, "id")
	return rnCatalog(author, article)
}

// rnDocTemplate is the document of rnBefore's tables; its placeholders name
// what a rename may change.
const rnDocTemplate = `{"version":3,"sources":[{"name":"default","kind":"postgres","tables":[
{"table":@AUTHOR@,
 "configuration":{"custom_name":"writer","custom_root_fields":{"select":"Authors"},
   "column_config":{"@AUTHOR.ID@":{"custom_name":"AuthorId"},"@AUTHOR.NAME@":{"custom_name":"AuthorName"}},
   "custom_column_names":{"@AUTHOR.ID@":"AuthorId"}},
 "array_relationships":[{"name":"articles","using":{"foreign_key_constraint_on":{"table":@ARTICLE@,"column":"@ARTICLE.AUTHOR_ID@"}}}],
 "select_permissions":[{"role":"user","permission":{"columns":["@AUTHOR.ID@","@AUTHOR.NAME@"],
   "filter":{"articles":{"@ARTICLE.AUTHOR_ID@":{"_eq":"X-Hasura-User-Id"}}}}}],
 "delete_permissions":[{"role":"user","permission":{"filter":{"_exists":{"_table":@ARTICLE_REF@,"_where":{"@ARTICLE.TITLE@":{"_eq":"x"}}}}}}],
 "computed_fields":[{"name":"full_name","definition":{"function":"author_full_name","table_argument":"id"}}]},
{"table":@ARTICLE@,
 "object_relationships":[
   {"name":"author","using":{"foreign_key_constraint_on":"@ARTICLE.AUTHOR_ID@"}},
   {"name":"by","using":{"manual_configuration":{"remote_table":@AUTHOR@,"column_mapping":{"@ARTICLE.AUTHOR_ID@":"@AUTHOR.ID@"}}}}],
 "select_permissions":[{"role":"user","permission":{"columns":["@ARTICLE.ID@","@ARTICLE.TITLE@","@ARTICLE.AUTHOR_ID@"],
   "filter":{"_and":[{"author":{"@AUTHOR.ID@":{"_eq":"X-Hasura-User-Id"}}},{"@ARTICLE.TITLE@":{"_ne":""}}]}}}],
 "insert_permissions":[{"role":"user","permission":{"columns":["@ARTICLE.TITLE@","@ARTICLE.AUTHOR_ID@"],
   "check":{"@ARTICLE.AUTHOR_ID@":{"_eq":"X-Hasura-User-Id"}},"set":{"@ARTICLE.AUTHOR_ID@":"x-hasura-user-id"}}}],
 "event_triggers":[{"name":"on_title","definition":{"update":{"columns":["@ARTICLE.TITLE@"],"payload":["@ARTICLE.ID@","@ARTICLE.TITLE@"]},
   "insert":{"columns":"*"}},"webhook":"http://hook"}],
 "remote_relationships":[
   {"name":"owner","definition":{"to_source":{"source":"default","table":@AUTHOR@,"relationship_type":"object",
     "field_mapping":{"@ARTICLE.AUTHOR_ID@":"@AUTHOR.ID@"}}}},
   {"name":"profile","definition":{"to_remote_schema":{"remote_schema":"users","lhs_fields":["@ARTICLE.AUTHOR_ID@"],
     "remote_field":{"user":{"arguments":{"id":"$@ARTICLE.AUTHOR_ID@"}}}}}}]}
]}]}`

// rnDefaults are the placeholders' values before any rename.
var rnDefaults = map[string]string{
	"@AUTHOR@":            `{"schema":"public","name":"author"}`,
	"@ARTICLE@":           `{"schema":"public","name":"article"}`,
	"@ARTICLE_REF@":       `"article"`,
	"@AUTHOR.ID@":         "id",
	"@AUTHOR.NAME@":       "name",
	"@ARTICLE.ID@":        "id",
	"@ARTICLE.TITLE@":     "title",
	"@ARTICLE.AUTHOR_ID@": "author_id",
}

// rnDoc renders rnDocTemplate with the defaults overridden by over.
func rnDoc(t *testing.T, over map[string]string) *Metadata {
	t.Helper()
	var pairs []string
	for k, v := range rnDefaults {
		if o, ok := over[k]; ok {
			v = o
		}
		pairs = append(pairs, k, v)
	}
	var md Metadata
	if err := json.Unmarshal([]byte(strings.NewReplacer(pairs...).Replace(rnDocTemplate)), &md); err != nil {
		t.Fatal(err)
	}
	return &md
}

// rnJSON renders md as JSON with sorted keys, for comparison.
func rnJSON(t *testing.T, md *Metadata) string {
	t.Helper()
	b, err := json.Marshal(md)
	if err != nil {
		t.Fatal(err)
	}
	var x any
	if err := json.Unmarshal(b, &x); err != nil {
		t.Fatal(err)
	}
	out, err := json.MarshalIndent(x, "", " ")
	if err != nil {
		t.Fatal(err)
	}
	return string(out)
}

func TestApplyRenames(t *testing.T) {
	cases := []struct {
		name  string
		after func() *catalog.Catalog
		want  map[string]string // placeholders that change
	}{{
		name: "nothing renamed",
		after: func() *catalog.Catalog {
			c := rnBefore()
			c.Tables[pub("author")].Columns = append(c.Tables[pub("author")].Columns, &catalog.Column{Name: "age", Num: 3})
			c.Tables[pub("tag")] = rnTable(300, "public", "tag", "id")
			return c
		},
	}, {
		name: "table renamed, with an array relationship pointing at it",
		after: func() *catalog.Catalog {
			author := rnTable(100, "public", "author", "id", "name")
			return rnCatalog(author, rnFK(rnTable(200, "public", "articles", "id", "title", "author_id"), "author_id", author, "id"))
		},
		want: map[string]string{"@ARTICLE@": `{"schema":"public","name":"articles"}`, "@ARTICLE_REF@": `"articles"`},
	}, {
		name: "table moved to another schema keeps its configuration",
		after: func() *catalog.Catalog {
			author := rnTable(100, "blog", "author", "id", "name")
			return rnCatalog(author, rnFK(rnTable(200, "public", "article", "id", "title", "author_id"), "author_id", author, "id"))
		},
		want: map[string]string{"@AUTHOR@": `{"schema":"blog","name":"author"}`},
	}, {
		name: "table named by _exists moved to another schema",
		after: func() *catalog.Catalog {
			author := rnTable(100, "public", "author", "id", "name")
			return rnCatalog(author, rnFK(rnTable(200, "blog", "article", "id", "title", "author_id"), "author_id", author, "id"))
		},
		want: map[string]string{
			"@ARTICLE@":     `{"schema":"blog","name":"article"}`,
			"@ARTICLE_REF@": `{"schema":"blog","name":"article"}`,
		},
	}, {
		name: "column referenced by a foreign key renamed",
		after: func() *catalog.Catalog {
			author := rnTable(100, "public", "author", "author_id", "name")
			return rnCatalog(author, rnFK(rnTable(200, "public", "article", "id", "title", "author_id"), "author_id", author, "author_id"))
		},
		want: map[string]string{"@AUTHOR.ID@": "author_id"},
	}, {
		name: "foreign key column renamed",
		after: func() *catalog.Catalog {
			author := rnTable(100, "public", "author", "id", "name")
			return rnCatalog(author, rnFK(rnTable(200, "public", "article", "id", "title", "writer_id"), "writer_id", author, "id"))
		},
		want: map[string]string{"@ARTICLE.AUTHOR_ID@": "writer_id"},
	}, {
		name: "column of expressions, event triggers and _exists renamed",
		after: func() *catalog.Catalog {
			author := rnTable(100, "public", "author", "id", "name")
			return rnCatalog(author, rnFK(rnTable(200, "public", "article", "id", "headline", "author_id"), "author_id", author, "id"))
		},
		want: map[string]string{"@ARTICLE.TITLE@": "headline"},
	}, {
		name: "table and column renamed together",
		after: func() *catalog.Catalog {
			author := rnTable(100, "public", "author", "id", "name")
			return rnCatalog(author, rnFK(rnTable(200, "public", "articles", "article_id", "title", "author_id"), "author_id", author, "id"))
		},
		want: map[string]string{
			"@ARTICLE@":     `{"schema":"public","name":"articles"}`,
			"@ARTICLE_REF@": `"articles"`,
			"@ARTICLE.ID@":  "article_id",
		},
	}, {
		name: "columns swapped",
		after: func() *catalog.Catalog {
			author := rnTable(100, "public", "author", "name", "id")
			return rnCatalog(author, rnFK(rnTable(200, "public", "article", "id", "title", "author_id"), "author_id", author, "name"))
		},
		want: map[string]string{"@AUTHOR.ID@": "name", "@AUTHOR.NAME@": "id"},
	}, {
		name: "dropped table and column are left for PurgeDropped",
		after: func() *catalog.Catalog {
			return rnCatalog(rnTable(100, "public", "author", "id", ""))
		},
	}, {
		name: "a new table under an old name is not a rename",
		after: func() *catalog.Catalog {
			author := rnTable(101, "public", "author", "author_id", "name")
			return rnCatalog(author, rnFK(rnTable(200, "public", "article", "id", "title", "author_id"), "author_id", author, "author_id"))
		},
	}}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			md := rnDoc(t, nil)
			orig := rnJSON(t, md)
			got := ApplyRenames(md, rnBefore(), c.after())
			if rnJSON(t, md) != orig {
				t.Fatal("md was modified")
			}
			if want := rnJSON(t, rnDoc(t, c.want)); rnJSON(t, got) != want {
				t.Errorf("got %s\nwant %s", rnJSON(t, got), want)
			}
			if len(c.want) == 0 && !reflect.DeepEqual(got, md) {
				t.Errorf("nothing renamed, but the document differs")
			}
		})
	}
}

func TestApplyRenamesSharesNothing(t *testing.T) {
	md := rnDoc(t, nil)
	orig := rnJSON(t, md)
	author := rnTable(100, "public", "author", "author_id", "name")
	after := rnCatalog(author, rnFK(rnTable(200, "public", "article", "id", "title", "author_id"), "author_id", author, "author_id"))
	got := ApplyRenames(md, rnBefore(), after)
	s := pickSource(got)
	s.Tables[0].Configuration.ColumnConfig["x"] = ColumnConfig{CustomName: "X"}
	s.Tables[0].Configuration.CustomColumnNames["x"] = "X"
	s.Tables[0].ArrayRelationships[0].Using.ForeignKeyConstraintOn.Columns[0] = "x"
	s.Tables[0].ArrayRelationships[0].Using.ForeignKeyConstraintOn.Table.Name = "x"
	s.Tables[1].ObjectRelationships[1].Using.ManualConfiguration.ColumnMapping[0].To = "x"
	for _, raw := range [][]byte{s.Tables[0].SelectPermissions[0], s.Tables[1].SelectPermissions[0], s.Tables[1].EventTriggers[0]} {
		copy(raw, bytes.Repeat([]byte{' '}, len(raw)))
	}
	if rnJSON(t, md) != orig {
		t.Error("the result shares memory with md")
	}
}

func TestApplyRenamesNoCatalog(t *testing.T) {
	md := rnDoc(t, nil)
	for _, got := range []*Metadata{ApplyRenames(md, nil, rnBefore()), ApplyRenames(md, rnBefore(), nil), ApplyRenames(&Metadata{Version: 3}, rnBefore(), rnBefore())} {
		if got == nil {
			t.Fatal("nil result")
		}
	}
	if got := ApplyRenames(md, nil, rnBefore()); !reflect.DeepEqual(got, md) {
		t.Error("without a catalog the document must be returned unchanged")
	}
	if ApplyRenames(nil, rnBefore(), rnBefore()) != nil {
		t.Error("nil document")
	}
}

// Hasura's test_alter_column (set_table_customization): a column dropped
// and another renamed in one run_sql; the renamed one keeps its custom name.
func TestApplyRenamesThenPurge(t *testing.T) {
	doc := `{"version":3,"sources":[{"name":"default","kind":"postgres","tables":[
{"table":{"schema":"public","name":"author"},"configuration":{"custom_root_fields":{"select":"Authors"},
 "column_config":{"id":{"custom_name":"AuthorId"},"name":{"custom_name":"AuthorName"}}}}]}]}`
	var md Metadata
	if err := json.Unmarshal([]byte(doc), &md); err != nil {
		t.Fatal(err)
	}
	before := rnCatalog(rnTable(100, "public", "author", "id", "name", "age"))
	after := rnCatalog(rnTable(100, "public", "author", "author_id", "", "age"))
	got := PurgeDropped(ApplyRenames(&md, before, after), after)
	cfg := pickSource(got).Tables[0].Configuration
	want := map[string]ColumnConfig{"author_id": {CustomName: "AuthorId"}}
	if !reflect.DeepEqual(cfg.ColumnConfig, want) || cfg.CustomRootFields.Select.Name != "Authors" {
		t.Errorf("configuration %+v", cfg)
	}
}
