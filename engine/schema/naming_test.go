package schema

import (
	"reflect"
	"testing"

	"github.com/trellis-gql/trellis/engine/catalog"
	"github.com/trellis-gql/trellis/metadata"
)

func TestNamesFor(t *testing.T) {
	table := func(schema, name string, cfg metadata.TableConfig) *metadata.Table {
		return &metadata.Table{Info: &catalog.Table{Name: catalog.QualifiedName{Schema: schema, Name: name}}, Config: cfg}
	}
	cases := []struct {
		name  string
		table *metadata.Table
		want  TypeNames
	}{
		{
			name:  "public table",
			table: table("public", "author", metadata.TableConfig{}),
			want: TypeNames{Object: "author", BoolExp: "author_bool_exp", OrderBy: "author_order_by", SelectColumn: "author_select_column",
				Aggregate: "author_aggregate", AggregateFields: "author_aggregate_fields",
				Select: "author", SelectByPk: "author_by_pk", SelectAggregate: "author_aggregate"},
		},
		{
			name:  "other schema",
			table: table("shop", "item", metadata.TableConfig{}),
			want: TypeNames{Object: "shop_item", BoolExp: "shop_item_bool_exp", OrderBy: "shop_item_order_by", SelectColumn: "shop_item_select_column",
				Aggregate: "shop_item_aggregate", AggregateFields: "shop_item_aggregate_fields",
				Select: "shop_item", SelectByPk: "shop_item_by_pk", SelectAggregate: "shop_item_aggregate"},
		},
		{
			name: "custom name and root fields",
			table: table("public", "author_details", metadata.TableConfig{CustomName: "Author", CustomRootFields: metadata.CustomRootFields{
				Select: metadata.RootField{Name: "authors"}, SelectByPk: metadata.RootField{Name: "author"},
			}}),
			want: TypeNames{Object: "Author", BoolExp: "Author_bool_exp", OrderBy: "Author_order_by", SelectColumn: "Author_select_column",
				Aggregate: "Author_aggregate", AggregateFields: "Author_aggregate_fields",
				Select: "authors", SelectByPk: "author", SelectAggregate: "Author_aggregate"},
		},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			got := NamesFor(c.table)
			if got.AggregateOp["sum"] != c.want.Object+"_sum_fields" || got.AggregateOp["stddev_pop"] != c.want.Object+"_stddev_pop_fields" {
				t.Errorf("aggregate op names: %v", got.AggregateOp)
			}
			got.AggregateOp = nil
			if !reflect.DeepEqual(got, c.want) {
				t.Errorf("got  %+v\nwant %+v", got, c.want)
			}
		})
	}
}

func TestColumnFieldName(t *testing.T) {
	tb := &metadata.Table{Config: metadata.TableConfig{
		ColumnConfig:      map[string]metadata.ColumnConfig{"joined_at": {CustomName: "joinedAt"}, "note": {Comment: "only a comment"}},
		CustomColumnNames: map[string]string{"old": "legacyName"},
	}}
	for column, want := range map[string]string{"joined_at": "joinedAt", "note": "note", "old": "legacyName", "id": "id"} {
		if got := ColumnFieldName(tb, column); got != want {
			t.Errorf("ColumnFieldName(%q) = %q, want %q", column, got, want)
		}
	}
}

func TestScalarFor(t *testing.T) {
	cases := []struct {
		typ  catalog.Type
		want string
	}{
		{catalog.Type{Schema: "pg_catalog", Name: "int4"}, "Int"},
		{catalog.Type{Schema: "pg_catalog", Name: "int8"}, "bigint"},
		{catalog.Type{Schema: "pg_catalog", Name: "int2"}, "smallint"},
		{catalog.Type{Schema: "pg_catalog", Name: "float4"}, "Float"},
		{catalog.Type{Schema: "pg_catalog", Name: "float8"}, "float8"},
		{catalog.Type{Schema: "pg_catalog", Name: "text"}, "String"},
		{catalog.Type{Schema: "pg_catalog", Name: "varchar"}, "String"},
		{catalog.Type{Schema: "pg_catalog", Name: "bpchar"}, "bpchar"},
		{catalog.Type{Schema: "pg_catalog", Name: "bool"}, "Boolean"},
		{catalog.Type{Schema: "pg_catalog", Name: "timestamptz"}, "timestamptz"},
		{catalog.Type{Schema: "pg_catalog", Name: "_text", ElemOID: 25}, "_text"},
		{catalog.Type{Schema: "public", Name: "citext"}, "citext"},
		{catalog.Type{Schema: "public", Name: "mood", Kind: catalog.TypeEnum}, "mood"},
		{catalog.Type{Schema: "public", Name: "text"}, "text"}, // a user type named like a built-in
	}
	for _, c := range cases {
		if got := ScalarFor(&c.typ).Name; got != c.want {
			t.Errorf("ScalarFor(%s.%s) = %q, want %q", c.typ.Schema, c.typ.Name, got, c.want)
		}
	}
}

func TestValidName(t *testing.T) {
	for name, want := range map[string]bool{
		"author": true, "_x": true, "Author_2": true, "a": true,
		"": false, "2a": false, "users address": false, "naïve": false, "a-b": false,
	} {
		if got := validName(name); got != want {
			t.Errorf("validName(%q) = %v, want %v", name, got, want)
		}
	}
}
