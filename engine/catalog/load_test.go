package catalog_test

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"sort"
	"strings"
	"sync/atomic"
	"testing"

	"github.com/jackc/pgx/v5"
	"github.com/jackc/pgx/v5/pgconn"

	"github.com/trellis-gql/trellis/engine/catalog"
	"github.com/trellis-gql/trellis/engine/pgtest"
)

// fixtureSQL exercises what Load reads. Key and foreign-key columns are
// deliberately declared in an order different from attnum order.
const fixtureSQL = `
CREATE SCHEMA shop;
CREATE TYPE shop.status AS ENUM ('draft', 'paid', 'shipped');
COMMENT ON TYPE shop.status IS 'Order life cycle';
CREATE DOMAIN shop.sku AS varchar(12) CHECK (VALUE <> '');

CREATE TABLE shop.orders (
  region   text NOT NULL,
  order_no int  NOT NULL,
  status   shop.status NOT NULL DEFAULT 'draft',
  note     text,
  PRIMARY KEY (order_no, region)
);
COMMENT ON TABLE shop.orders IS 'Orders, one per region and number';
COMMENT ON COLUMN shop.orders.note IS 'Free text';

CREATE TABLE public.order_lines (
  id         bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
  order_no   int NOT NULL,
  region     text NOT NULL,
  line_no    int NOT NULL DEFAULT 1,
  sku        shop.sku,
  qty        int NOT NULL,
  price      numeric(10,2) NOT NULL,
  amount     numeric GENERATED ALWAYS AS (qty * price) STORED,
  attrs      jsonb NOT NULL DEFAULT '{}',
  tags       int[],
  dropped    int,
  CONSTRAINT order_lines_line_key UNIQUE (line_no, order_no),
  CONSTRAINT order_lines_order_fkey FOREIGN KEY (region, order_no)
    REFERENCES shop.orders (region, order_no)
);
ALTER TABLE public.order_lines DROP COLUMN dropped;

CREATE VIEW public.big_lines AS
  SELECT id, qty, amount FROM public.order_lines WHERE qty > 10;
CREATE VIEW public.line_counts AS
  SELECT order_no, count(*) AS n FROM public.order_lines GROUP BY order_no;
CREATE MATERIALIZED VIEW shop.order_totals AS
  SELECT region, order_no, sum(amount) AS total
  FROM public.order_lines GROUP BY region, order_no;

CREATE SCHEMA hdb_catalog;
CREATE TABLE hdb_catalog.hdb_metadata (id int PRIMARY KEY);
`

func setup(t testing.TB, ddl string) string {
	t.Helper()
	dsn := pgtest.NewDatabase(t)
	ctx := context.Background()
	conn, err := pgx.Connect(ctx, dsn)
	if err != nil {
		t.Fatal(err)
	}
	defer conn.Close(ctx)
	if _, err := conn.Exec(ctx, ddl); err != nil {
		t.Fatalf("fixture: %v", err)
	}
	return dsn
}

// countingTracer counts the statements a connection sends.
type countingTracer struct{ n atomic.Int64 }

func (c *countingTracer) TraceQueryStart(ctx context.Context, _ *pgx.Conn, _ pgx.TraceQueryStartData) context.Context {
	c.n.Add(1)
	return ctx
}

func (c *countingTracer) TraceQueryEnd(context.Context, *pgx.Conn, pgx.TraceQueryEndData) {}

func load(t *testing.T, dsn string) *catalog.Catalog {
	t.Helper()
	ctx := context.Background()
	cfg, err := pgx.ParseConfig(dsn)
	if err != nil {
		t.Fatal(err)
	}
	tracer := &countingTracer{}
	cfg.Tracer = tracer
	conn, err := pgx.ConnectConfig(ctx, cfg)
	if err != nil {
		t.Fatal(err)
	}
	defer conn.Close(ctx)
	cat, err := catalog.Load(ctx, conn)
	if err != nil {
		t.Fatalf("Load: %v", err)
	}
	if n := tracer.n.Load(); n != 1 {
		t.Errorf("Load sent %d statements, want 1", n)
	}
	return cat
}

// oids resolves the OIDs the expectations need: regclass and regtype names.
func oids(t *testing.T, dsn string, names ...string) map[string]uint32 {
	t.Helper()
	ctx := context.Background()
	conn, err := pgx.Connect(ctx, dsn)
	if err != nil {
		t.Fatal(err)
	}
	defer conn.Close(ctx)
	m := make(map[string]uint32, len(names))
	for _, n := range names {
		kind := "regclass"
		if strings.HasPrefix(n, "type:") {
			kind = "regtype"
		}
		var oid uint32
		sql := fmt.Sprintf("SELECT $1::%s::oid", kind)
		if err := conn.QueryRow(ctx, sql, strings.TrimPrefix(n, "type:")).Scan(&oid); err != nil {
			t.Fatalf("oid of %s: %v", n, err)
		}
		m[n] = oid
	}
	return m
}

// Built-in type OIDs (stable across PostgreSQL versions).
const (
	oidInt8      = 20
	oidInt4      = 23
	oidText      = 25
	oidJSONB     = 3802
	oidInt4Array = 1007
	oidNumeric   = 1700
	oidVarchar   = 1043
)

func TestLoadTables(t *testing.T) {
	dsn := setup(t, fixtureSQL)
	cat := load(t, dsn)
	o := oids(t, dsn, "shop.orders", "order_lines", "big_lines", "line_counts",
		"shop.order_totals", "type:shop.status", "type:shop.sku")

	orders := catalog.QualifiedName{Schema: "shop", Name: "orders"}
	tests := []struct {
		name string
		want catalog.Table
	}{
		{"table with comments and composite key", catalog.Table{
			Name: orders, OID: o["shop.orders"], Kind: catalog.KindTable,
			Columns: []*catalog.Column{
				{Name: "region", Num: 1, TypeOID: oidText, TypeSQL: "text"},
				{Name: "order_no", Num: 2, TypeOID: oidInt4, TypeSQL: "integer"},
				{Name: "status", Num: 3, TypeOID: o["type:shop.status"], TypeSQL: "shop.status",
					HasDefault: true, Default: "'draft'::shop.status"},
				{Name: "note", Num: 4, TypeOID: oidText, TypeSQL: "text", Nullable: true, Comment: "Free text"},
			},
			PrimaryKey: &catalog.Constraint{Name: "orders_pkey", Columns: []string{"order_no", "region"}},
			Comment:    "Orders, one per region and number",
			Insertable: true, Updatable: true, Deletable: true,
		}},
		{"identity, generated, defaults, unique, cross-schema foreign key", catalog.Table{
			Name: catalog.QualifiedName{Schema: "public", Name: "order_lines"}, OID: o["order_lines"],
			Kind: catalog.KindTable,
			Columns: []*catalog.Column{
				{Name: "id", Num: 1, TypeOID: oidInt8, TypeSQL: "bigint", Identity: 'a'},
				{Name: "order_no", Num: 2, TypeOID: oidInt4, TypeSQL: "integer"},
				{Name: "region", Num: 3, TypeOID: oidText, TypeSQL: "text"},
				{Name: "line_no", Num: 4, TypeOID: oidInt4, TypeSQL: "integer", HasDefault: true, Default: "1"},
				{Name: "sku", Num: 5, TypeOID: o["type:shop.sku"], TypeSQL: "shop.sku", Nullable: true},
				{Name: "qty", Num: 6, TypeOID: oidInt4, TypeSQL: "integer"},
				{Name: "price", Num: 7, TypeOID: oidNumeric, TypeSQL: "numeric(10,2)"},
				{Name: "amount", Num: 8, TypeOID: oidNumeric, TypeSQL: "numeric", Nullable: true,
					HasDefault: true, Default: "((qty)::numeric * price)", Generated: true},
				{Name: "attrs", Num: 9, TypeOID: oidJSONB, TypeSQL: "jsonb", HasDefault: true, Default: "'{}'::jsonb"},
				{Name: "tags", Num: 10, TypeOID: oidInt4Array, TypeSQL: "integer[]", Nullable: true},
			},
			PrimaryKey: &catalog.Constraint{Name: "order_lines_pkey", Columns: []string{"id"}},
			Uniques:    []catalog.Constraint{{Name: "order_lines_line_key", Columns: []string{"line_no", "order_no"}}},
			ForeignKeys: []catalog.ForeignKey{{
				Name: "order_lines_order_fkey", Columns: []string{"region", "order_no"},
				RefTable: orders, RefColumns: []string{"region", "order_no"},
			}},
			Insertable: true, Updatable: true, Deletable: true,
		}},
		{"auto-updatable view", catalog.Table{
			Name: catalog.QualifiedName{Schema: "public", Name: "big_lines"}, OID: o["big_lines"],
			Kind: catalog.KindView,
			Columns: []*catalog.Column{
				{Name: "id", Num: 1, TypeOID: oidInt8, TypeSQL: "bigint", Nullable: true},
				{Name: "qty", Num: 2, TypeOID: oidInt4, TypeSQL: "integer", Nullable: true},
				{Name: "amount", Num: 3, TypeOID: oidNumeric, TypeSQL: "numeric", Nullable: true},
			},
			Insertable: true, Updatable: true, Deletable: true,
		}},
		{"read-only view", catalog.Table{
			Name: catalog.QualifiedName{Schema: "public", Name: "line_counts"}, OID: o["line_counts"],
			Kind: catalog.KindView,
			Columns: []*catalog.Column{
				{Name: "order_no", Num: 1, TypeOID: oidInt4, TypeSQL: "integer", Nullable: true},
				{Name: "n", Num: 2, TypeOID: oidInt8, TypeSQL: "bigint", Nullable: true},
			},
		}},
		{"materialized view", catalog.Table{
			Name: catalog.QualifiedName{Schema: "shop", Name: "order_totals"}, OID: o["shop.order_totals"],
			Kind: catalog.KindMaterializedView,
			Columns: []*catalog.Column{
				{Name: "region", Num: 1, TypeOID: oidText, TypeSQL: "text", Nullable: true},
				{Name: "order_no", Num: 2, TypeOID: oidInt4, TypeSQL: "integer", Nullable: true},
				{Name: "total", Num: 3, TypeOID: oidNumeric, TypeSQL: "numeric", Nullable: true},
			},
		}},
	}

	var want []string
	for _, tt := range tests {
		want = append(want, tt.want.Name.String())
		t.Run(tt.name, func(t *testing.T) {
			got := cat.Table(tt.want.Name)
			if got == nil {
				t.Fatalf("%s not loaded", tt.want.Name)
			}
			assertJSONEqual(t, got, &tt.want)
		})
	}
	var got []string
	for n := range cat.Tables {
		got = append(got, n.String())
	}
	sort.Strings(got)
	sort.Strings(want)
	if strings.Join(got, " ") != strings.Join(want, " ") {
		t.Errorf("tables = %v, want %v (hdb_catalog and system schemas excluded)", got, want)
	}
}

// typeView is a Type with OIDs of user types replaced by names, so that the
// expectation does not depend on the OIDs a fresh database hands out.
type typeView struct {
	Kind     catalog.TypeKind
	Category string
	Elem     string
	Base     string
	Enum     []string
	Comment  string
}

func TestLoadTypes(t *testing.T) {
	dsn := setup(t, fixtureSQL+`
CREATE TYPE public.unused AS ENUM ();
CREATE TYPE public.color AS ENUM ('red', 'green');
ALTER TYPE public.color ADD VALUE 'blue' BEFORE 'green';
CREATE DOMAIN shop.codes AS text[];
CREATE TABLE public.labels (codes shop.codes);
`)
	cat := load(t, dsn)

	name := func(oid uint32) string {
		if oid == 0 {
			return ""
		}
		if typ := cat.Type(oid); typ != nil {
			return typ.Schema + "." + typ.Name
		}
		return fmt.Sprintf("missing(%d)", oid)
	}
	got := make(map[string]typeView, len(cat.Types))
	for oid, typ := range cat.Types {
		if typ.OID != oid {
			t.Errorf("Types[%d].OID = %d", oid, typ.OID)
		}
		v := typeView{
			Kind: typ.Kind, Category: string(typ.Category),
			Elem: name(typ.ElemOID), Base: name(typ.BaseOID),
			Enum: typ.EnumValues, Comment: typ.Comment,
		}
		if typ.Schema == "pg_catalog" {
			v.Comment = "" // built-in comments change between versions
		}
		got[typ.Schema+"."+typ.Name] = v
	}
	want := map[string]typeView{
		"pg_catalog.int8":    {Kind: catalog.TypeBase, Category: "N"},
		"pg_catalog.int4":    {Kind: catalog.TypeBase, Category: "N"},
		"pg_catalog.text":    {Kind: catalog.TypeBase, Category: "S"},
		"pg_catalog.numeric": {Kind: catalog.TypeBase, Category: "N"},
		"pg_catalog.jsonb":   {Kind: catalog.TypeBase, Category: "U"},
		"pg_catalog.varchar": {Kind: catalog.TypeBase, Category: "S"},
		"pg_catalog._int4":   {Kind: catalog.TypeBase, Category: "A", Elem: "pg_catalog.int4"},
		"pg_catalog._text":   {Kind: catalog.TypeBase, Category: "A", Elem: "pg_catalog.text"},
		"shop.sku":           {Kind: catalog.TypeDomain, Category: "S", Base: "pg_catalog.varchar"},
		"shop.codes":         {Kind: catalog.TypeDomain, Category: "A", Base: "pg_catalog._text"},
		"shop.status": {Kind: catalog.TypeEnum, Category: "E",
			Enum: []string{"draft", "paid", "shipped"}, Comment: "Order life cycle"},
		"public.unused": {Kind: catalog.TypeEnum, Category: "E"},
		"public.color":  {Kind: catalog.TypeEnum, Category: "E", Enum: []string{"red", "blue", "green"}},
	}
	assertJSONEqual(t, got, want)

	if typ := cat.Type(oidInt4); typ == nil || typ.Comment == "" {
		t.Errorf("int4 has no comment")
	}
	if typ := cat.Type(oidInt4Array); typ == nil || !typ.IsArray() {
		t.Errorf("_int4 IsArray = false")
	}
	if typ := cat.Type(oidJSONB); typ == nil || typ.IsArray() {
		t.Errorf("jsonb IsArray = true")
	}
}

// functionsSQL adds functions to fixtureSQL, and objects of pg_proc that
// Load must leave out: an aggregate, a procedure and a function of
// hdb_catalog.
const functionsSQL = `
CREATE FUNCTION shop.search_orders(q text) RETURNS SETOF shop.orders
  LANGUAGE sql STABLE AS $$ SELECT * FROM shop.orders WHERE note ILIKE '%' || q || '%' $$;
COMMENT ON FUNCTION shop.search_orders(text) IS 'Orders whose note matches';

CREATE FUNCTION public.line_total(qty int, price numeric DEFAULT 1) RETURNS numeric
  LANGUAGE sql IMMUTABLE AS $$ SELECT qty * price $$;

CREATE FUNCTION public.pick(int) RETURNS int LANGUAGE sql IMMUTABLE AS $$ SELECT $1 $$;
CREATE FUNCTION public.pick(a text, VARIADIC rest text[]) RETURNS text
  LANGUAGE sql STABLE AS $$ SELECT a || array_to_string(rest, '') $$;

CREATE FUNCTION public.bump(INOUT n int, OUT doubled int, m int DEFAULT 2)
  LANGUAGE sql AS $$ SELECT n + m, (n + m) * 2 $$;

CREATE AGGREGATE public.total(numeric) (SFUNC = numeric_add, STYPE = numeric);
CREATE PROCEDURE public.noop() LANGUAGE sql AS $$ SELECT 1 $$;
CREATE FUNCTION hdb_catalog.gen_id() RETURNS int LANGUAGE sql AS $$ SELECT 1 $$;
`

// procOIDs resolves function signatures (regprocedure) to OIDs.
func procOIDs(t *testing.T, dsn string, sigs ...string) map[string]uint32 {
	t.Helper()
	ctx := context.Background()
	conn, err := pgx.Connect(ctx, dsn)
	if err != nil {
		t.Fatal(err)
	}
	defer conn.Close(ctx)
	m := make(map[string]uint32, len(sigs))
	for _, s := range sigs {
		var oid uint32
		if err := conn.QueryRow(ctx, "SELECT $1::regprocedure::oid", s).Scan(&oid); err != nil {
			t.Fatalf("oid of %s: %v", s, err)
		}
		m[s] = oid
	}
	return m
}

func TestLoadFunctions(t *testing.T) {
	dsn := setup(t, fixtureSQL+functionsSQL)
	cat := load(t, dsn)
	o := oids(t, dsn, "type:shop.orders", "type:record", "type:text[]")
	p := procOIDs(t, dsn, "shop.search_orders(text)", "public.line_total(int, numeric)",
		"public.pick(int)", "public.pick(text, text[])", "public.bump(int, int)")

	qn := func(schema, name string) catalog.QualifiedName {
		return catalog.QualifiedName{Schema: schema, Name: name}
	}
	want := map[catalog.QualifiedName][]*catalog.Function{
		qn("shop", "search_orders"): {{
			Name: qn("shop", "search_orders"), OID: p["shop.search_orders(text)"],
			Args:          []catalog.FunctionArg{{Name: "q", TypeOID: oidText}},
			ReturnTypeOID: o["type:shop.orders"], ReturnsSet: true, Volatility: 's',
			Comment: "Orders whose note matches",
		}},
		qn("public", "line_total"): {{
			Name: qn("public", "line_total"), OID: p["public.line_total(int, numeric)"],
			Args: []catalog.FunctionArg{
				{Name: "qty", TypeOID: oidInt4},
				{Name: "price", TypeOID: oidNumeric, HasDefault: true},
			},
			ReturnTypeOID: oidNumeric, Volatility: 'i',
		}},
		qn("public", "pick"): {{
			Name: qn("public", "pick"), OID: p["public.pick(int)"],
			Args:          []catalog.FunctionArg{{TypeOID: oidInt4}},
			ReturnTypeOID: oidInt4, Volatility: 'i',
		}, {
			Name: qn("public", "pick"), OID: p["public.pick(text, text[])"],
			Args: []catalog.FunctionArg{
				{Name: "a", TypeOID: oidText},
				{Name: "rest", TypeOID: o["type:text[]"]},
			},
			ReturnTypeOID: oidText, Volatility: 's',
		}},
		// OUT arguments are not inputs; INOUT ones are.
		qn("public", "bump"): {{
			Name: qn("public", "bump"), OID: p["public.bump(int, int)"],
			Args: []catalog.FunctionArg{
				{Name: "n", TypeOID: oidInt4},
				{Name: "m", TypeOID: oidInt4, HasDefault: true},
			},
			ReturnTypeOID: o["type:record"], Volatility: 'v',
		}},
	}
	byName := func(m map[catalog.QualifiedName][]*catalog.Function) map[string][]*catalog.Function {
		out := make(map[string][]*catalog.Function, len(m))
		for n, fs := range m {
			out[n.String()] = fs
		}
		return out
	}
	assertJSONEqual(t, byName(cat.Functions), byName(want))
	if got := cat.Function(qn("public", "pick")); len(got) != 2 {
		t.Errorf("Function(public.pick) = %d overloads, want 2", len(got))
	}
	if got := cat.Function(qn("public", "total")); got != nil {
		t.Errorf("Function(public.total) = %v, want nil (an aggregate)", got)
	}

	// Return and argument types are described like column types.
	for _, oid := range []uint32{o["type:shop.orders"], o["type:record"], o["type:text[]"], oidText, oidInt4, oidNumeric} {
		if cat.Type(oid) == nil {
			t.Errorf("type %d is missing", oid)
		}
	}
	if typ := cat.Type(o["type:shop.orders"]); typ == nil || typ.Kind != catalog.TypeComposite || typ.Schema != "shop" {
		t.Errorf("shop.orders type = %+v, want a composite of shop", typ)
	}
	if typ := cat.Type(o["type:record"]); typ == nil || typ.Kind != catalog.TypePseudo {
		t.Errorf("record type = %+v, want a pseudo-type", typ)
	}
}

func TestLoadPartitions(t *testing.T) {
	dsn := setup(t, `
CREATE TABLE events (id int, at date, PRIMARY KEY (id, at)) PARTITION BY RANGE (at);
CREATE TABLE events_2024 PARTITION OF events FOR VALUES FROM ('2024-01-01') TO ('2025-01-01');
CREATE TABLE events_2025 PARTITION OF events FOR VALUES FROM ('2025-01-01') TO ('2026-01-01');
CREATE TABLE marks (event_id int, event_at date,
  CONSTRAINT marks_event_fkey FOREIGN KEY (event_id, event_at) REFERENCES events (id, at));
`)
	cat := load(t, dsn)

	events := cat.Table(catalog.QualifiedName{Schema: "public", Name: "events"})
	if events == nil || events.Kind != catalog.KindPartitionedTable || !events.Insertable {
		t.Fatalf("events = %+v, want an insertable partitioned table", events)
	}
	if p := cat.Table(catalog.QualifiedName{Schema: "public", Name: "events_2024"}); p == nil || p.Kind != catalog.KindTable {
		t.Errorf("partition events_2024 = %+v, want a table", p)
	}
	// Referencing a partitioned table adds internal pg_constraint rows, one
	// per partition; they must not show as extra foreign keys.
	marks := cat.Table(catalog.QualifiedName{Schema: "public", Name: "marks"})
	want := []catalog.ForeignKey{{
		Name: "marks_event_fkey", Columns: []string{"event_id", "event_at"},
		RefTable:   catalog.QualifiedName{Schema: "public", Name: "events"},
		RefColumns: []string{"id", "at"},
	}}
	if marks == nil {
		t.Fatal("marks not loaded")
	}
	assertJSONEqual(t, marks.ForeignKeys, want)
}

func TestLoadForeignTable(t *testing.T) {
	dsn := pgtest.NewDatabase(t)
	ctx := context.Background()
	conn, err := pgx.Connect(ctx, dsn)
	if err != nil {
		t.Fatal(err)
	}
	defer conn.Close(ctx)
	// A wrapper without handler is enough for the catalog, but needs a superuser.
	if _, err := conn.Exec(ctx, "CREATE FOREIGN DATA WRAPPER nothing"); err != nil {
		var pgErr *pgconn.PgError
		if errors.As(err, &pgErr) && pgErr.Code == "42501" {
			t.Skip("not a superuser:", err)
		}
		t.Fatal(err)
	}
	if _, err := conn.Exec(ctx, `
CREATE SERVER elsewhere FOREIGN DATA WRAPPER nothing;
CREATE FOREIGN TABLE remote (id int NOT NULL, body text) SERVER elsewhere;
`); err != nil {
		t.Fatal(err)
	}
	cat := load(t, dsn)
	want := &catalog.Table{
		Name: catalog.QualifiedName{Schema: "public", Name: "remote"},
		Kind: catalog.KindForeignTable,
		Columns: []*catalog.Column{
			{Name: "id", Num: 1, TypeOID: oidInt4, TypeSQL: "integer"},
			{Name: "body", Num: 2, TypeOID: oidText, TypeSQL: "text", Nullable: true},
		},
		Insertable: true, Updatable: true, Deletable: true,
	}
	got := cat.Table(want.Name)
	if got == nil {
		t.Fatal("remote not loaded")
	}
	want.OID = got.OID
	assertJSONEqual(t, got, want)
}

func TestLoadEmpty(t *testing.T) {
	cat := load(t, pgtest.NewDatabase(t))
	if len(cat.Tables) != 0 || len(cat.Types) != 0 {
		t.Errorf("empty database: %d tables, %d types", len(cat.Tables), len(cat.Types))
	}
}

func TestLoadCanceled(t *testing.T) {
	ctx, cancel := context.WithCancel(context.Background())
	cancel()
	conn, err := pgx.Connect(context.Background(), pgtest.NewDatabase(t))
	if err != nil {
		t.Fatal(err)
	}
	defer conn.Close(context.Background())
	if _, err := catalog.Load(ctx, conn); err == nil {
		t.Error("Load with a canceled context: no error")
	}
}

func assertJSONEqual(t *testing.T, got, want any) {
	t.Helper()
	g, err := json.MarshalIndent(got, "", "  ")
	if err != nil {
		t.Fatal(err)
	}
	w, err := json.MarshalIndent(want, "", "  ")
	if err != nil {
		t.Fatal(err)
	}
	if string(g) != string(w) {
		t.Errorf("got:\n%s\nwant:\n%s", g, w)
	}
}

func BenchmarkLoad(b *testing.B) {
	var ddl strings.Builder
	ddl.WriteString("CREATE TYPE mood AS ENUM ('sad', 'ok', 'happy');\n")
	for i := range 200 {
		fmt.Fprintf(&ddl, `CREATE TABLE t%[1]d (
  id bigint GENERATED BY DEFAULT AS IDENTITY PRIMARY KEY,
  name text NOT NULL DEFAULT '',
  code varchar(8) UNIQUE,
  m mood,
  data jsonb,
  tags text[],
  created_at timestamptz NOT NULL DEFAULT now(),
  parent_id bigint%[2]s
);
COMMENT ON TABLE t%[1]d IS 'table %[1]d';
`, i, parentRef(i))
		if i%10 == 0 {
			fmt.Fprintf(&ddl, "CREATE VIEW v%[1]d AS SELECT id, name FROM t%[1]d;\n", i)
		}
	}
	dsn := setup(b, ddl.String())
	ctx := context.Background()
	conn, err := pgx.Connect(ctx, dsn)
	if err != nil {
		b.Fatal(err)
	}
	defer conn.Close(ctx)
	b.ResetTimer()
	for b.Loop() {
		cat, err := catalog.Load(ctx, conn)
		if err != nil {
			b.Fatal(err)
		}
		if len(cat.Tables) != 220 {
			b.Fatalf("%d tables", len(cat.Tables))
		}
	}
}

func parentRef(i int) string {
	if i == 0 {
		return ""
	}
	return fmt.Sprintf(" REFERENCES t%d", i-1)
}
