package sqlgen_test

import (
	"encoding/json"
	"flag"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/trellis-gql/trellis/engine/catalog"
	"github.com/trellis-gql/trellis/engine/gql"
	"github.com/trellis-gql/trellis/engine/plan"
	"github.com/trellis-gql/trellis/engine/schema"
	"github.com/trellis-gql/trellis/engine/sqlgen"
	"github.com/trellis-gql/trellis/metadata"
	"github.com/trellis-gql/trellis/permissions"
)

var update = flag.Bool("update", false, "rewrite the golden files in testdata/")

// The golden cases run against this catalog and metadata: authors with
// articles, and a table in another schema with a two-column key.
var (
	textType   = &catalog.Type{OID: 25, Schema: "pg_catalog", Name: "text", Kind: catalog.TypeBase, Category: 'S'}
	intType    = &catalog.Type{OID: 23, Schema: "pg_catalog", Name: "int4", Kind: catalog.TypeBase, Category: 'N'}
	boolType   = &catalog.Type{OID: 16, Schema: "pg_catalog", Name: "bool", Kind: catalog.TypeBase, Category: 'B'}
	jsonbType  = &catalog.Type{OID: 3802, Schema: "pg_catalog", Name: "jsonb", Kind: catalog.TypeBase, Category: 'U'}
	tstzType   = &catalog.Type{OID: 1184, Schema: "pg_catalog", Name: "timestamptz", Kind: catalog.TypeBase, Category: 'D'}
	jsonType   = &catalog.Type{OID: 114, Schema: "pg_catalog", Name: "json", Kind: catalog.TypeBase, Category: 'U'}
	authorRow  = &catalog.Type{OID: 90010, Schema: "public", Name: "author", Kind: catalog.TypeComposite, Category: 'C'}
	articleRow = &catalog.Type{OID: 90011, Schema: "public", Name: "article", Kind: catalog.TypeComposite, Category: 'C'}
	statusType = &catalog.Type{OID: 90001, Schema: "public", Name: "status", Kind: catalog.TypeEnum, Category: 'E', EnumValues: []string{"draft", "published"}}
	textArray  = &catalog.Type{OID: 1009, Schema: "pg_catalog", Name: "_text", Kind: catalog.TypeBase, Category: 'A', ElemOID: 25}
	geomType   = &catalog.Type{OID: 90020, Schema: "public", Name: "geometry", Kind: catalog.TypeBase, Category: 'U'}
	geogType   = &catalog.Type{OID: 90021, Schema: "public", Name: "geography", Kind: catalog.TypeBase, Category: 'U'}
	ltreeType  = &catalog.Type{OID: 90022, Schema: "public", Name: "ltree", Kind: catalog.TypeBase, Category: 'U'}
)

func col(name string, t *catalog.Type, nullable bool) *catalog.Column {
	return &catalog.Column{Name: name, TypeOID: t.OID, TypeSQL: t.Name, Nullable: nullable}
}

func testCatalog() *catalog.Catalog {
	author := &catalog.Table{
		Name: catalog.QualifiedName{Schema: "public", Name: "author"}, Kind: catalog.KindTable,
		Columns:    []*catalog.Column{col("id", intType, false), col("name", textType, false), col("profile", jsonbType, true)},
		PrimaryKey: &catalog.Constraint{Name: "author_pkey", Columns: []string{"id"}},
	}
	article := &catalog.Table{
		Name: catalog.QualifiedName{Schema: "public", Name: "article"}, Kind: catalog.KindTable,
		Columns: []*catalog.Column{
			col("id", intType, false), col("title", textType, false), col("author_id", intType, false),
			col("published", boolType, false), col("status", statusType, false), col("created_at", tstzType, false),
		},
		PrimaryKey:  &catalog.Constraint{Name: "article_pkey", Columns: []string{"id"}},
		ForeignKeys: []catalog.ForeignKey{{Name: "article_author_id_fkey", Columns: []string{"author_id"}, RefTable: catalog.QualifiedName{Schema: "public", Name: "author"}, RefColumns: []string{"id"}}},
	}
	edition := &catalog.Table{
		Name: catalog.QualifiedName{Schema: "shop", Name: "edition"}, Kind: catalog.KindTable,
		Columns:    []*catalog.Column{col("article_id", intType, false), col("lang", textType, false), col("copies", intType, true)},
		PrimaryKey: &catalog.Constraint{Name: "edition_pkey", Columns: []string{"article_id", "lang"}},
	}
	place := &catalog.Table{
		Name: catalog.QualifiedName{Schema: "public", Name: "place"}, Kind: catalog.KindTable,
		Columns: []*catalog.Column{
			col("id", intType, false), col("tags", textArray, true), col("location", geomType, true), col("area", geogType, true), col("path", ltreeType, true),
		},
		PrimaryKey: &catalog.Constraint{Name: "place_pkey", Columns: []string{"id"}},
	}
	cat := &catalog.Catalog{Tables: map[catalog.QualifiedName]*catalog.Table{}, Types: map[uint32]*catalog.Type{}}
	for _, t := range []*catalog.Table{author, article, edition, place} {
		cat.Tables[t.Name] = t
	}
	for _, t := range []*catalog.Type{textType, intType, boolType, jsonbType, tstzType, statusType, jsonType, authorRow, articleRow, textArray, geomType, geogType, ltreeType} {
		cat.Types[t.OID] = t
	}
	cat.Functions = map[catalog.QualifiedName][]*catalog.Function{}
	for i, f := range []*catalog.Function{
		// author_label(author_row author, suffix text DEFAULT …) → text
		{Name: catalog.QualifiedName{Schema: "public", Name: "author_label"}, ReturnTypeOID: textType.OID,
			Args: []catalog.FunctionArg{{Name: "author_row", TypeOID: authorRow.OID}, {Name: "suffix", TypeOID: textType.OID, HasDefault: true}}},
		// author_rated(author, min_rating int) → SETOF article
		{Name: catalog.QualifiedName{Schema: "public", Name: "author_rated"}, ReturnTypeOID: articleRow.OID, ReturnsSet: true,
			Args: []catalog.FunctionArg{{TypeOID: authorRow.OID}, {Name: "min_rating", TypeOID: intType.OID}}},
		// author_initial(author) → text: no client argument, so usable in where and order_by
		{Name: catalog.QualifiedName{Schema: "public", Name: "author_initial"}, ReturnTypeOID: textType.OID,
			Args: []catalog.FunctionArg{{TypeOID: authorRow.OID}}},
		// author_drafts(author, hasura_session json) → SETOF article
		{Name: catalog.QualifiedName{Schema: "public", Name: "author_drafts"}, ReturnTypeOID: articleRow.OID, ReturnsSet: true,
			Args: []catalog.FunctionArg{{TypeOID: authorRow.OID}, {Name: "hasura_session", TypeOID: jsonType.OID}}},
		// search_articles(search text, hasura_session json, lim int DEFAULT …) → SETOF article
		{Name: catalog.QualifiedName{Schema: "public", Name: "search_articles"}, ReturnTypeOID: articleRow.OID, ReturnsSet: true,
			Args: []catalog.FunctionArg{{Name: "search", TypeOID: textType.OID}, {Name: "hasura_session", TypeOID: jsonType.OID}, {Name: "lim", TypeOID: intType.OID, HasDefault: true}}},
	} {
		f.OID, f.Volatility = uint32(95000+i), 's'
		cat.Functions[f.Name] = []*catalog.Function{f}
	}
	return cat
}

const testMetadata = `{"version": 3, "sources": [{"name": "default", "kind": "postgres", "tables": [
  {"table": {"schema": "public", "name": "author"},
   "computed_fields": [{"name": "label", "definition": {"function": "author_label"}},
     {"name": "rated", "definition": {"function": "author_rated"}},
     {"name": "initial", "definition": {"function": "author_initial"}},
     {"name": "drafts", "definition": {"function": "author_drafts", "session_argument": "hasura_session"}}],
   "array_relationships": [{"name": "articles", "using": {"foreign_key_constraint_on": {"table": "article", "column": "author_id"}}}]},
  {"table": {"schema": "public", "name": "article"},
   "object_relationships": [{"name": "author", "using": {"foreign_key_constraint_on": "author_id"}}],
   "array_relationships": [{"name": "editions", "using": {"manual_configuration": {"remote_table": {"schema": "shop", "name": "edition"}, "column_mapping": {"id": "article_id"}}}}]},
  {"table": {"schema": "public", "name": "place"}},
  {"table": {"schema": "shop", "name": "edition"},
   "configuration": {"column_config": {"copies": {"custom_name": "printed"}}}}
 ],
 "functions": [{"function": "search_articles", "configuration": {"session_argument": "hasura_session"}}]}]}`

func testSchema(t testing.TB) *schema.Schema {
	t.Helper()
	var md metadata.Metadata
	if err := json.Unmarshal([]byte(testMetadata), &md); err != nil {
		t.Fatal(err)
	}
	m := metadata.Resolve(&md, testCatalog())
	if len(m.Inconsistencies) > 0 {
		t.Fatalf("inconsistent test metadata: %+v", m.Inconsistencies)
	}
	sc, err := schema.Build(m, permissions.Compile(m).Role(permissions.AdminRole), "")
	if err != nil {
		t.Fatal(err)
	}
	return sc
}

// TestGolden compiles each testdata/<case>.txt — GraphQL text, then a line
// "variables: {…}" (optional), then "----", then the expected SQL and
// arguments — and compares. go test ./engine/sqlgen -update rewrites them.
func TestGolden(t *testing.T) {
	sc := testSchema(t)
	runGolden(t, "testdata/*.txt", func(input string) string { return compile(sc, input) })
}

// runGolden compiles the input part of each file matching pattern and
// compares the output with the part after "----"; -update rewrites it.
func runGolden(t *testing.T, pattern string, compile func(input string) string) {
	files, err := filepath.Glob(pattern)
	if err != nil || len(files) == 0 {
		t.Fatalf("no golden files: %v", err)
	}
	for _, file := range files {
		t.Run(strings.TrimSuffix(filepath.Base(file), ".txt"), func(t *testing.T) {
			raw, err := os.ReadFile(file)
			if err != nil {
				t.Fatal(err)
			}
			input, want, _ := strings.Cut(string(raw), "----\n")
			got := compile(input)
			if *update {
				if err := os.WriteFile(file, []byte(input+"----\n"+got), 0o644); err != nil {
					t.Fatal(err)
				}
				return
			}
			if got != want {
				t.Errorf("%s: got\n%s\nwant\n%s", file, got, want)
			}
		})
	}
}

// printStatement prints a statement's SQL and arguments, one a line.
func printStatement(st *sqlgen.Statement) string {
	var b strings.Builder
	b.WriteString(st.SQL)
	b.WriteString("\n")
	for i, a := range st.Args {
		fmt.Fprintf(&b, "$%d = %#v\n", i+1, a)
	}
	return b.String()
}

// compile runs the input through parse, plan and sqlgen and prints the SQL
// and arguments, or the error.
func compile(sc *schema.Schema, input string) string {
	query, vars := input, ""
	if i := strings.Index(input, "\nvariables: "); i >= 0 {
		query, vars = input[:i], strings.TrimSpace(input[i+len("\nvariables: "):])
	}
	doc, err := gql.Parse(query)
	if err != nil {
		return fmt.Sprintf("error: %v\n", err)
	}
	v, err := plan.DecodeVariables([]byte(vars))
	if err != nil {
		return fmt.Sprintf("error: %v\n", err)
	}
	op, err := plan.Plan(sc, plan.Request{Document: doc, Variables: v})
	if err != nil {
		return fmt.Sprintf("error: %v\n", err)
	}
	st := sqlgen.Query(op, sqlgen.Options{})
	if st == nil {
		return "no statement\n"
	}
	return printStatement(st)
}
