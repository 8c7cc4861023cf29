package schema

import (
	"testing"

	"github.com/trellis-gql/trellis/engine/catalog"
	"github.com/trellis-gql/trellis/metadata"
)

func TestEnumTypeName(t *testing.T) {
	tests := []struct {
		schema, name, custom, want string
	}{
		{"public", "colors", "", "colors_enum"},
		{"paint", "colors", "", "paint_colors_enum"},
		{"public", "colors", "Colour", "Colour_enum"},
	}
	for _, tc := range tests {
		mt := &metadata.Table{Info: &catalog.Table{Name: catalog.QualifiedName{Schema: tc.schema, Name: tc.name}}}
		mt.Config.CustomName = tc.custom
		if got := EnumTypeName(mt, Naming{}); got != tc.want {
			t.Errorf("%s.%s (custom %q) = %q, want %q", tc.schema, tc.name, tc.custom, got, tc.want)
		}
	}
}

func TestEnumTypeHas(t *testing.T) {
	e := &EnumType{Name: "colors_enum", Values: []catalog.EnumRow{{Value: "blue"}, {Value: "green"}, {Value: "red"}}}
	for _, v := range []string{"blue", "green", "red"} {
		if !e.Has(v) {
			t.Errorf("Has(%q) = false", v)
		}
	}
	for _, v := range []string{"", "Blue", "purple", "zzz"} {
		if e.Has(v) {
			t.Errorf("Has(%q) = true", v)
		}
	}
}
