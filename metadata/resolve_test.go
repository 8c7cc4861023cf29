package metadata

import (
	"encoding/json"
	"fmt"
	"reflect"
	"strings"
	"testing"

	"github.com/trellis-gql/trellis/engine/catalog"
)

func qn(schema, name string) catalog.QualifiedName {
	return catalog.QualifiedName{Schema: schema, Name: name}
}

func catTable(name catalog.QualifiedName, columns []string, fks ...catalog.ForeignKey) *catalog.Table {
	t := &catalog.Table{Name: name, Kind: catalog.KindTable, ForeignKeys: fks}
	for i, c := range columns {
		t.Columns = append(t.Columns, &catalog.Column{Name: c, Num: int16(i + 1)})
	}
	return t
}

// testCatalog is a small database:
//
//	author(id, name, first_name)
//	article(id, title, author_id → author, editor_id → author, tag_slug, tag_lang)
//	content.tag(slug, lang)
//	city(country, zip)
//	address(id, zip, country) with (country, zip) → city
//	comment(id, article_id → article)
//	twin(x) with two keys on x → author
//	colour(value text primary key, comment text), an enum table: red, blue
func testCatalog() *catalog.Catalog {
	tables := []*catalog.Table{
		catTable(qn("public", "author"), []string{"id", "name", "first_name"}),
		catTable(qn("public", "article"), []string{"id", "title", "author_id", "editor_id", "tag_slug", "tag_lang"},
			catalog.ForeignKey{Name: "article_author_id_fkey", Columns: []string{"author_id"}, RefTable: qn("public", "author"), RefColumns: []string{"id"}},
			catalog.ForeignKey{Name: "article_editor_id_fkey", Columns: []string{"editor_id"}, RefTable: qn("public", "author"), RefColumns: []string{"id"}}),
		catTable(qn("content", "tag"), []string{"slug", "lang"}),
		catTable(qn("public", "city"), []string{"country", "zip"}),
		catTable(qn("public", "address"), []string{"id", "zip", "country"},
			catalog.ForeignKey{Name: "address_city_fkey", Columns: []string{"country", "zip"}, RefTable: qn("public", "city"), RefColumns: []string{"country", "zip"}}),
		catTable(qn("public", "comment"), []string{"id", "article_id"},
			catalog.ForeignKey{Name: "comment_article_id_fkey", Columns: []string{"article_id"}, RefTable: qn("public", "article"), RefColumns: []string{"id"}}),
		catTable(qn("public", "twin"), []string{"x"},
			catalog.ForeignKey{Name: "twin_a", Columns: []string{"x"}, RefTable: qn("public", "author"), RefColumns: []string{"id"}},
			catalog.ForeignKey{Name: "twin_b", Columns: []string{"x"}, RefTable: qn("public", "author"), RefColumns: []string{"id"}}),
	}
	c := &catalog.Catalog{Tables: map[catalog.QualifiedName]*catalog.Table{}, Types: map[uint32]*catalog.Type{}}
	for _, t := range tables {
		c.Tables[t.Name] = t
	}
	addTestFunctions(c)
	addEnumTable(c)
	return c
}

// Types and functions of testCatalog: text, json and the row types of
// author and article, and
//
//	search_articles(search text) → SETOF article (stable)
//	get_session(hasura_session json) → SETOF article (stable)
//	author_full_name(author) → text (stable)
//	app.search() → SETOF article (stable)
const (
	oidText, oidJSON, oidAuthorRow, oidArticleRow = 25, 114, 90001, 90002
)

func addTestFunctions(c *catalog.Catalog) {
	for _, t := range []*catalog.Type{
		{OID: oidText, Schema: "pg_catalog", Name: "text", Kind: catalog.TypeBase, Category: 'S'},
		{OID: oidJSON, Schema: "pg_catalog", Name: "json", Kind: catalog.TypeBase, Category: 'U'},
		{OID: oidAuthorRow, Schema: "public", Name: "author", Kind: catalog.TypeComposite, Category: 'C'},
		{OID: oidArticleRow, Schema: "public", Name: "article", Kind: catalog.TypeComposite, Category: 'C'},
	} {
		c.Types[t.OID] = t
	}
	c.Functions = map[catalog.QualifiedName][]*catalog.Function{}
	for i, f := range []*catalog.Function{
		{Name: qn("public", "search_articles"), Args: []catalog.FunctionArg{{Name: "search", TypeOID: oidText}}, ReturnTypeOID: oidArticleRow, ReturnsSet: true},
		{Name: qn("public", "get_session"), Args: []catalog.FunctionArg{{Name: "hasura_session", TypeOID: oidJSON}}, ReturnTypeOID: oidArticleRow, ReturnsSet: true},
		{Name: qn("public", "author_full_name"), Args: []catalog.FunctionArg{{Name: "author_row", TypeOID: oidAuthorRow}}, ReturnTypeOID: oidText},
		{Name: qn("app", "search"), ReturnTypeOID: oidArticleRow, ReturnsSet: true},
	} {
		f.OID, f.Volatility = uint32(1000+i), 's'
		c.Functions[f.Name] = append(c.Functions[f.Name], f)
	}
}

func fkRel(name string, cols ...string) RelationshipEntry {
	return RelationshipEntry{Name: name, Using: RelationshipUsing{ForeignKeyConstraintOn: &ForeignKeyOn{Columns: cols}}}
}

func remoteFKRel(name string, table TableName, cols ...string) RelationshipEntry {
	return RelationshipEntry{Name: name, Using: RelationshipUsing{ForeignKeyConstraintOn: &ForeignKeyOn{Table: &table, Columns: cols}}}
}

func manualRel(name string, remote TableName, pairs ...string) RelationshipEntry {
	mc := &ManualConfig{RemoteTable: remote}
	for i := 0; i+1 < len(pairs); i += 2 {
		mc.ColumnMapping = append(mc.ColumnMapping, ColumnPair{From: pairs[i], To: pairs[i+1]})
	}
	return RelationshipEntry{Name: name, Using: RelationshipUsing{ManualConfiguration: mc}}
}

func entry(name string, objs, arrs []RelationshipEntry) TableEntry {
	return TableEntry{Table: pub(name), ObjectRelationships: objs, ArrayRelationships: arrs}
}

func rels(r ...RelationshipEntry) []RelationshipEntry { return r }

// summary renders a model's tables and relationships as lines.
func summary(m *Model) []string {
	var out []string
	for _, t := range m.Tables {
		out = append(out, "table "+t.Info.Name.String())
		for _, r := range append(append([]*Relationship(nil), t.ObjectRelationships...), t.ArrayRelationships...) {
			var pairs []string
			for _, p := range r.Mapping {
				pairs = append(pairs, p.From+"="+p.To)
			}
			manual := ""
			if r.Manual {
				manual = " manual"
			}
			out = append(out, fmt.Sprintf("  %s %s -> %s [%s] %s%s", r.Kind, r.Name, r.Target.Info.Name,
				strings.Join(pairs, " "), r.InsertOrder, manual))
		}
	}
	return out
}

func issues(m *Model) []string {
	var out []string
	for _, i := range m.Inconsistencies {
		out = append(out, i.Type+" | "+i.Name+" | "+i.Reason)
	}
	return out
}

func TestResolve(t *testing.T) {
	author, article, tag := entry("author", nil, nil), entry("article", nil, nil), TableEntry{Table: qn("content", "tag")}
	tests := []struct {
		name        string
		tables      []TableEntry
		wantModel   []string
		wantIssues  []string
		wantNoModel bool
	}{{
		name:   "object relationship on a one-column foreign key",
		tables: []TableEntry{entry("article", rels(fkRel("author", "author_id")), nil), author},
		wantModel: []string{
			"table public.article",
			"  object_relation author -> public.author [author_id=id] before_parent",
			"table public.author",
		},
	}, {
		name: "object relationship on a two-column foreign key, columns in any order",
		tables: []TableEntry{
			entry("address", rels(fkRel("city", "zip", "country")), nil),
			entry("city", nil, nil),
		},
		wantModel: []string{
			"table public.address",
			"  object_relation city -> public.city [country=country zip=zip] before_parent",
			"table public.city",
		},
	}, {
		name: "array relationship on a foreign key of the other table",
		tables: []TableEntry{
			entry("author", nil, rels(remoteFKRel("articles", pub("article"), "author_id"), remoteFKRel("edited", pub("article"), "editor_id"))),
			article,
		},
		wantModel: []string{
			"table public.author",
			"  array_relation articles -> public.article [id=author_id] after_parent",
			"  array_relation edited -> public.article [id=editor_id] after_parent",
			"table public.article",
		},
	}, {
		name: "object relationship on a foreign key of the other table",
		tables: []TableEntry{
			entry("article", rels(remoteFKRel("first_comment", pub("comment"), "article_id")), nil),
			entry("comment", nil, nil),
		},
		wantModel: []string{
			"table public.article",
			"  object_relation first_comment -> public.comment [id=article_id] after_parent",
			"table public.comment",
		},
	}, {
		name: "manual relationships keep the column mapping's order",
		tables: []TableEntry{
			entry("article", rels(manualRel("tag", qn("content", "tag"), "tag_slug", "slug", "tag_lang", "lang")), nil),
			{Table: qn("content", "tag"), ArrayRelationships: rels(manualRel("articles", pub("article"), "lang", "tag_lang", "slug", "tag_slug"))},
		},
		wantModel: []string{
			"table public.article",
			"  object_relation tag -> content.tag [tag_slug=slug tag_lang=lang] before_parent manual",
			"table content.tag",
			"  array_relation articles -> public.article [lang=tag_lang slug=tag_slug] after_parent manual",
		},
	}, {
		name:      "missing table",
		tables:    []TableEntry{entry("ghost", nil, nil), {Table: qn("app", "ghost")}, author},
		wantModel: []string{"table public.author"},
		wantIssues: []string{
			`table | table ghost in source default | Inconsistent object: no such table/view exists in source: "ghost"`,
			`table | table app.ghost in source default | Inconsistent object: no such table/view exists in source: "app.ghost"`,
		},
	}, {
		name:       "duplicate table entries",
		tables:     []TableEntry{author, article, author},
		wantModel:  []string{"table public.article"},
		wantIssues: []string{`table | table author in source default | Inconsistent object: duplication definition for table`},
	}, {
		name: "object relationship to an untracked table",
		tables: []TableEntry{entry("article", rels(fkRel("author", "author_id"),
			manualRel("tag", qn("content", "tag"), "tag_slug", "slug")), nil)},
		wantModel: []string{"table public.article"},
		wantIssues: []string{
			`object_relation | object_relation author in table article in source default | Inconsistent object: table "author" is not tracked`,
			`object_relation | object_relation tag in table article in source default | Inconsistent object: table "content.tag" is not tracked`,
		},
	}, {
		name:      "array relationship to an untracked table",
		tables:    []TableEntry{entry("author", nil, rels(remoteFKRel("articles", pub("article"), "author_id")))},
		wantModel: []string{"table public.author"},
		wantIssues: []string{
			`array_relation | array_relation articles in table author in source default | Inconsistent object: in table "author": in relationship "articles": table "article" does not exist in source: default`,
		},
	}, {
		name: "no foreign key on the columns",
		tables: []TableEntry{
			entry("article", rels(fkRel("author", "title"), fkRel("both", "author_id", "editor_id")), nil),
			entry("author", nil, rels(remoteFKRel("articles", pub("article"), "title"))),
			entry("comment", nil, rels(remoteFKRel("articles", pub("article"), "author_id"))),
		},
		wantModel: []string{"table public.article", "table public.author", "table public.comment"},
		wantIssues: []string{
			`object_relation | object_relation author in table article in source default | Inconsistent object: in table "article": in relationship "author": no foreign constraint exists on the given column(s)`,
			`object_relation | object_relation both in table article in source default | Inconsistent object: in table "article": in relationship "both": no foreign constraint exists on the given column(s)`,
			`array_relation | array_relation articles in table author in source default | Inconsistent object: in table "author": in relationship "articles": no foreign constraint exists on the given column(s)`,
			// article.author_id references author, not comment.
			`array_relation | array_relation articles in table comment in source default | Inconsistent object: in table "comment": in relationship "articles": no foreign constraint exists on the given column(s)`,
		},
	}, {
		name:      "two foreign keys on the columns",
		tables:    []TableEntry{entry("twin", rels(fkRel("author", "x")), nil), author},
		wantModel: []string{"table public.twin", "table public.author"},
		wantIssues: []string{
			`object_relation | object_relation author in table twin in source default | Inconsistent object: in table "twin": in relationship "author": more than one foreign key constraint exists on the given column(s)`,
		},
	}, {
		name: "manual relationship with missing columns",
		tables: []TableEntry{
			entry("article", rels(manualRel("tag", qn("content", "tag"), "tag_slug", "slug", "tag_code", "code")), nil),
			entry("author", nil, rels(manualRel("articles", pub("article"), "id", "writer_id"))),
			tag,
		},
		wantModel: []string{"table public.article", "table public.author", "table content.tag"},
		wantIssues: []string{
			`object_relation | object_relation tag in table article in source default | Inconsistent object: table "article" has no field named "tag_code"`,
			`array_relation | array_relation articles in table author in source default | Inconsistent object: table "article" has no field named "writer_id"`,
		},
	}, {
		name: "column configuration of a missing column",
		tables: []TableEntry{
			{Table: pub("author"), Configuration: &TableConfig{ColumnConfig: map[string]ColumnConfig{"nickname": {CustomName: "nick"}}}},
			{Table: pub("article"), Configuration: &TableConfig{CustomColumnNames: map[string]string{"subtitle": "sub"}}},
		},
		wantIssues: []string{
			`table | table author in source default | Inconsistent object: configuration was given for the column "nickname", but no such column exists`,
			`table | table article in source default | Inconsistent object: configuration was given for the column "subtitle", but no such column exists`,
		},
	}, {
		name: "columns mapped to one field name",
		tables: []TableEntry{{Table: pub("author"), Configuration: &TableConfig{
			CustomColumnNames: map[string]string{"first_name": "name"}}}},
		wantIssues: []string{
			`table | table author in source default | Inconsistent object: the definitions of columns "name" and "first_name" are in conflict: they are mapped to the same field name, "name"`,
		},
	}, {
		name: "relationship named like a column",
		tables: []TableEntry{
			entry("article", rels(fkRel("author_id", "author_id")), nil),
			author,
		},
		wantModel: []string{"table public.article", "table public.author"},
		wantIssues: []string{
			`object_relation | object_relation author_id in table article in source default | Inconsistent object: field definition conflicts with postgres column`,
		},
	}, {
		name: "relationship named like a column's custom name",
		tables: []TableEntry{
			{Table: pub("author"), Configuration: &TableConfig{ColumnConfig: map[string]ColumnConfig{
				"name": {CustomName: "articles_aggregate"}, "first_name": {CustomName: "writer"}}},
				ArrayRelationships: rels(remoteFKRel("articles", pub("article"), "author_id"))},
			{Table: pub("article"), Configuration: &TableConfig{CustomColumnNames: map[string]string{"title": "writer"}},
				ObjectRelationships: rels(fkRel("writer", "author_id"), fkRel("title", "editor_id"))},
		},
		wantModel: []string{"table public.author", "table public.article"},
		wantIssues: []string{
			`array_relation | array_relation articles in table author in source default | Inconsistent object: field definition conflicts with custom field name for postgres column "name"`,
			`object_relation | object_relation writer in table article in source default | Inconsistent object: field definition conflicts with custom field name for postgres column "title"`,
			// A column keeps its name as a field name of its own.
			`object_relation | object_relation title in table article in source default | Inconsistent object: field definition conflicts with postgres column`,
		},
	}, {
		name: "relationship names clash",
		tables: []TableEntry{
			entry("article", rels(fkRel("author", "author_id"), fkRel("author", "editor_id")), nil),
			entry("author", rels(), rels(remoteFKRel("articles", pub("article"), "author_id"), remoteFKRel("articles", pub("article"), "editor_id"))),
			entry("comment", rels(fkRel("article", "article_id")), rels(remoteFKRel("article", pub("article"), "author_id"))),
		},
		wantModel: []string{
			"table public.article",
			"  object_relation author -> public.author [author_id=id] before_parent",
			"table public.author",
			"  array_relation articles -> public.article [id=author_id] after_parent",
			"table public.comment",
			"  object_relation article -> public.article [article_id=id] before_parent",
		},
		wantIssues: []string{
			`object_relation | object_relation author in table article in source default | multiple definitions for object_relation author in table article in source default`,
			`array_relation | array_relation articles in table author in source default | multiple definitions for array_relation articles in table author in source default`,
			`array_relation | array_relation article in table comment in source default | Inconsistent object: in table "comment": in relationship "article": no foreign constraint exists on the given column(s)`,
		},
	}, {
		name: "inconsistencies follow metadata order",
		tables: []TableEntry{
			entry("article", rels(fkRel("author", "author_id")), nil),
			entry("ghost", nil, nil),
			entry("comment", rels(fkRel("article", "nope")), nil),
		},
		wantModel: []string{"table public.article", "table public.comment"},
		wantIssues: []string{
			`object_relation | object_relation author in table article in source default | Inconsistent object: table "author" is not tracked`,
			`table | table ghost in source default | Inconsistent object: no such table/view exists in source: "ghost"`,
			`object_relation | object_relation article in table comment in source default | Inconsistent object: in table "comment": in relationship "article": no foreign constraint exists on the given column(s)`,
		},
	}}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			md := &Metadata{Version: 3, Sources: []Source{{Name: "default", Kind: "postgres", Tables: tc.tables}}}
			m := Resolve(md, testCatalog())
			if got := summary(m); !reflect.DeepEqual(got, tc.wantModel) {
				t.Errorf("model:\n%s\nwant:\n%s", strings.Join(got, "\n"), strings.Join(tc.wantModel, "\n"))
			}
			if got := issues(m); !reflect.DeepEqual(got, tc.wantIssues) {
				t.Errorf("inconsistencies:\n%s\nwant:\n%s", strings.Join(got, "\n"), strings.Join(tc.wantIssues, "\n"))
			}
		})
	}
}

func TestResolveDefinitions(t *testing.T) {
	rel := remoteFKRel("articles", pub("article"), "published_on")
	md := &Metadata{Sources: []Source{{Name: "default", Tables: []TableEntry{
		entry("author", nil, rels(rel)), article(), {Table: qn("s", "ghost")},
	}}}}
	m := Resolve(md, testCatalog())
	got, err := json.Marshal(m.Inconsistencies)
	if err != nil {
		t.Fatal(err)
	}
	// Hasura's shapes: a relationship with its table and source, a table by name.
	want := `[{"type":"array_relation","name":"array_relation articles in table author in source default",` +
		`"reason":"Inconsistent object: in table \"author\": in relationship \"articles\": no foreign constraint exists on the given column(s)",` +
		`"definition":{"name":"articles","using":{"foreign_key_constraint_on":{"table":{"schema":"public","name":"article"},"column":"published_on"}},` +
		`"comment":null,"source":"default","table":{"schema":"public","name":"author"}}},` +
		`{"type":"table","name":"table s.ghost in source default","reason":"Inconsistent object: no such table/view exists in source: \"s.ghost\"",` +
		`"definition":{"schema":"s","name":"ghost"}}]`
	if string(got) != want {
		t.Errorf("got\n%s\nwant\n%s", got, want)
	}
}

func article() TableEntry { return entry("article", nil, nil) }

func TestResolveTable(t *testing.T) {
	cat := testCatalog()
	md := &Metadata{Sources: []Source{{Name: "default", Tables: []TableEntry{{
		Table: pub("author"),
		Configuration: &TableConfig{
			ColumnConfig:      map[string]ColumnConfig{"first_name": {Comment: ptr("given name")}},
			CustomColumnNames: map[string]string{"first_name": "firstName", "name": "fullName"},
		},
	}}}}}
	m := Resolve(md, cat)
	tbl := m.Table(pub("author"))
	if tbl == nil || len(m.Inconsistencies) != 0 {
		t.Fatalf("model = %+v", m)
	}
	if tbl.Info != cat.Tables[pub("author")] || len(tbl.Columns) != 3 || tbl.Columns[2].Name != "first_name" {
		t.Errorf("table = %+v", tbl)
	}
	want := map[string]ColumnConfig{
		"first_name": {CustomName: "firstName", Comment: ptr("given name")},
		"name":       {CustomName: "fullName"},
	}
	if !reflect.DeepEqual(tbl.Config.ColumnConfig, want) {
		t.Errorf("column config = %+v, want custom_column_names merged: %+v", tbl.Config.ColumnConfig, want)
	}
	if md.Sources[0].Tables[0].Configuration.ColumnConfig["first_name"].CustomName != "" {
		t.Error("Resolve changed the metadata")
	}
}

func TestResolveSource(t *testing.T) {
	tests := []struct {
		name    string
		sources []Source
		want    []string
	}{
		{"default wins", []Source{{Name: "other", Tables: []TableEntry{article()}}, {Name: "default", Tables: []TableEntry{entry("author", nil, nil)}}}, []string{"table public.author"}},
		{"else the first", []Source{{Name: "one", Tables: []TableEntry{article()}}, {Name: "two", Tables: []TableEntry{entry("author", nil, nil)}}}, []string{"table public.article"}},
		{"no source", nil, nil},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			m := Resolve(&Metadata{Sources: tc.sources}, testCatalog())
			if got := summary(m); !reflect.DeepEqual(got, tc.want) {
				t.Errorf("got %v, want %v", got, tc.want)
			}
		})
	}
	t.Run("source name in messages", func(t *testing.T) {
		m := Resolve(&Metadata{Sources: []Source{{Name: "main", Tables: []TableEntry{entry("ghost", nil, nil)}}}}, testCatalog())
		if len(m.Inconsistencies) != 1 || m.Inconsistencies[0].Name != "table ghost in source main" {
			t.Errorf("got %+v", m.Inconsistencies)
		}
	})
	t.Run("nil metadata and catalog", func(t *testing.T) {
		if m := Resolve(nil, nil); len(m.Tables) != 0 {
			t.Errorf("got %+v", m)
		}
		m := Resolve(&Metadata{Sources: []Source{{Name: "default", Tables: []TableEntry{article()}}}}, nil)
		if len(m.Inconsistencies) != 1 {
			t.Errorf("got %+v", m)
		}
	})
}

// TestLoadAndResolve runs the good metadata directory through Resolve.
func TestLoadAndResolve(t *testing.T) {
	md, err := LoadDir("testdata/good")
	if err != nil {
		t.Fatal(err)
	}
	m := Resolve(md, testCatalog())
	want := []string{
		"table public.author",
		"  array_relation articles -> public.article [id=author_id] after_parent",
		"table public.article",
		"  object_relation author -> public.author [author_id=id] before_parent",
		"  object_relation tag -> content.tag [tag_slug=slug tag_lang=lang] after_parent manual",
		"table content.tag",
		"  array_relation articles -> public.article [slug=tag_slug lang=tag_lang] after_parent manual",
	}
	if got := summary(m); !reflect.DeepEqual(got, want) {
		t.Errorf("model:\n%s\nwant:\n%s", strings.Join(got, "\n"), strings.Join(want, "\n"))
	}
	if len(m.Inconsistencies) != 0 {
		t.Errorf("inconsistencies: %v", issues(m))
	}
}
