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
				Select: "author", SelectByPk: "author_by_pk", SelectAggregate: "author_aggregate",
				SelectStream: "author_stream", StreamCursor: "author_stream_cursor_input", StreamCursorValue: "author_stream_cursor_value_input"},
		},
		{
			name:  "other schema",
			table: table("shop", "item", metadata.TableConfig{}),
			want: TypeNames{Object: "shop_item", BoolExp: "shop_item_bool_exp", OrderBy: "shop_item_order_by", SelectColumn: "shop_item_select_column",
				Aggregate: "shop_item_aggregate", AggregateFields: "shop_item_aggregate_fields",
				Select: "shop_item", SelectByPk: "shop_item_by_pk", SelectAggregate: "shop_item_aggregate",
				SelectStream: "shop_item_stream", StreamCursor: "shop_item_stream_cursor_input", StreamCursorValue: "shop_item_stream_cursor_value_input"},
		},
		{
			name: "custom name and root fields",
			table: table("public", "author_details", metadata.TableConfig{CustomName: "Author", CustomRootFields: metadata.CustomRootFields{
				Select: metadata.RootField{Name: "authors"}, SelectByPk: metadata.RootField{Name: "author"},
			}}),
			want: TypeNames{Object: "Author", BoolExp: "Author_bool_exp", OrderBy: "Author_order_by", SelectColumn: "Author_select_column",
				Aggregate: "Author_aggregate", AggregateFields: "Author_aggregate_fields",
				Select: "authors", SelectByPk: "author", SelectAggregate: "Author_aggregate",
				SelectStream: "Author_stream", StreamCursor: "Author_stream_cursor_input", StreamCursorValue: "Author_stream_cursor_value_input"},
		},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			got := NamesFor(c.table, Naming{})
			if got.AggregateOp["sum"] != c.want.Object+"_sum_fields" || got.AggregateOp["stddev_pop"] != c.want.Object+"_stddev_pop_fields" {
				t.Errorf("aggregate op names: %v", got.AggregateOp)
			}
			got.AggregateOp, got.base, got.naming = nil, "", Naming{}
			if !reflect.DeepEqual(got, c.want) {
				t.Errorf("got  %+v\nwant %+v", got, c.want)
			}
		})
	}
}

func TestColumnFieldName(t *testing.T) {
	comment := "only a comment"
	tb := &metadata.Table{Config: metadata.TableConfig{
		ColumnConfig:      map[string]metadata.ColumnConfig{"joined_at": {CustomName: "joinedAt"}, "note": {Comment: &comment}},
		CustomColumnNames: map[string]string{"old": "legacyName"},
	}}
	for column, want := range map[string]string{"joined_at": "joinedAt", "note": "note", "old": "legacyName", "id": "id"} {
		if got := ColumnFieldName(tb, column, Naming{}); got != want {
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

func TestGraphQLDefaultNaming(t *testing.T) {
	n := NamingFor(GraphQLDefaultConvention)
	for _, c := range []struct{ got, want string }{
		{n.Type("author_local_bool_exp"), "AuthorLocalBoolExp"},
		{n.Type("authorDetails_aggregate_fields"), "AuthorDetailsAggregateFields"},
		{n.Type("String_comparison_exp"), "StringComparisonExp"},
		{n.Type("timestamptz"), "Timestamptz"},
		{n.Type("order_by"), "OrderBy"},
		{n.Field("author_local_by_pk"), "authorLocalByPk"},
		{n.Field("distinct_on"), "distinctOn"},
		{n.Field("stddev_pop"), "stddevPop"},
		{n.Field("where"), "where"},
		{n.Op("_is_null"), "_isNull"},
		{n.Op("_st_d_within"), "_stDWithin"},
		{n.Op("_eq"), "_eq"},
		{n.EnumValue("desc_nulls_first"), "DESC_NULLS_FIRST"},
		{n.EnumValue("authorId"), "AUTHOR_ID"},
		{n.EnumValue("Sunday"), "SUNDAY"},
		{n.Word("orderBy"), "order_by"},
		{n.Word("DESC_NULLS_FIRST"), "desc_nulls_first"},
		{n.Word("boolAnd"), "bool_and"},
		{n.Word("limit"), "limit"},
	} {
		if c.got != c.want {
			t.Errorf("got %q, want %q", c.got, c.want)
		}
	}
	hasura := NamingFor("")
	if hasura.Type("author_bool_exp") != "author_bool_exp" || hasura.Field("by_pk") != "by_pk" || hasura.Word("orderBy") != "orderBy" {
		t.Error("hasura-default must keep names as they are")
	}

	table := &metadata.Table{Info: &catalog.Table{Name: catalog.QualifiedName{Schema: "public", Name: "author_local"}}}
	got := NamesFor(table, n)
	if got.Object != "AuthorLocal" || got.Select != "authorLocal" || got.SelectByPk != "authorLocalByPk" ||
		got.SelectAggregate != "authorLocalAggregate" || got.AggregateOp["stddev_pop"] != "AuthorLocalStddevPopFields" {
		t.Errorf("names: %+v", got)
	}
	if ColumnFieldName(table, "author_id", n) != "authorId" {
		t.Error("columns are camelCase")
	}
}
