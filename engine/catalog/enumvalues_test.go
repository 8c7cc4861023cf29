package catalog_test

import (
	"context"
	"reflect"
	"sort"
	"testing"

	"github.com/jackc/pgx/v5"

	"github.com/trellis-gql/trellis/engine/catalog"
)

func TestLoadEnumRows(t *testing.T) {
	dsn := setup(t, `
CREATE SCHEMA "odd ""schema""";
CREATE TABLE "odd ""schema"""."""weird"" name" ("the key" text PRIMARY KEY, "a ""note""" text);
INSERT INTO "odd ""schema"""."""weird"" name" VALUES ('b', NULL), ('a', 'first');
CREATE TABLE public.plain (value text PRIMARY KEY);
INSERT INTO public.plain VALUES ('x');
CREATE TABLE public.empty (value text PRIMARY KEY);
`)
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

	weird := catalog.QualifiedName{Schema: `odd "schema"`, Name: `"weird" name`}
	plain := catalog.QualifiedName{Schema: "public", Name: "plain"}
	empty := catalog.QualifiedName{Schema: "public", Name: "empty"}
	got, err := catalog.LoadEnumRows(ctx, conn, []catalog.EnumSource{
		{Table: weird, Key: "the key", Comment: `a "note"`},
		{Table: plain, Key: "value"},
		{Table: empty, Key: "value"},
	})
	if err != nil {
		t.Fatal(err)
	}
	if n := tracer.n.Load(); n != 1 {
		t.Errorf("statements = %d, want 1", n)
	}
	first := "first"
	sort.Slice(got[weird], func(i, j int) bool { return got[weird][i].Value < got[weird][j].Value })
	want := map[catalog.QualifiedName][]catalog.EnumRow{
		weird: {{Value: "a", Comment: &first}, {Value: "b"}},
		plain: {{Value: "x"}},
		empty: {},
	}
	if !reflect.DeepEqual(got, want) {
		t.Errorf("rows = %+v, want %+v", got, want)
	}

	tracer.n.Store(0)
	none, err := catalog.LoadEnumRows(ctx, conn, nil)
	if err != nil || len(none) != 0 || tracer.n.Load() != 0 {
		t.Errorf("no sources: %v, %v, %d statements", none, err, tracer.n.Load())
	}
}
