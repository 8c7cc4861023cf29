package schema

import (
	"sort"

	"github.com/graphql-go/graphql"

	"github.com/trellis-gql/trellis/engine/catalog"
	"github.com/trellis-gql/trellis/metadata"
)

// A column that references an enum table (metadata.Table.EnumRefs) has
// the table's GraphQL enum as its type instead of a scalar: its Scalar has
// Kind KindEnum and Enum set. Such a scalar is neither comparable nor
// textual, so its <t>_enum_comparison_exp has only _eq, _in, _is_null,
// _neq and _nin, and it takes no max/min aggregate, as in Hasura.

// EnumType is the GraphQL enum of an enum table.
type EnumType struct {
	Name string
	// Values are sorted by name; a Comment is the value's description.
	Values []catalog.EnumRow
	// Naming spells the values in GraphQL (UPPER CASE in graphql-default).
	Naming Naming
}

// Lookup returns the table value a GraphQL enum value stands for.
func (e *EnumType) Lookup(name string) (string, bool) {
	if !e.Naming.graphqlDefault {
		return name, e.Has(name)
	}
	for _, v := range e.Values {
		if e.Naming.EnumValue(v.Value) == name {
			return v.Value, true
		}
	}
	return "", false
}

// Upper reports whether values are written in upper case in GraphQL, so
// that a query must upper-case the column's value.
func (e *EnumType) Upper() bool { return e.Naming.graphqlDefault }

// Has reports whether name is one of the enum's values.
func (e *EnumType) Has(name string) bool {
	i := sort.Search(len(e.Values), func(i int) bool { return e.Values[i].Value >= name })
	return i < len(e.Values) && e.Values[i].Value == name
}

// enumScalar is the Scalar of a column that references the enum table t.
func enumScalar(t *metadata.Table, naming Naming) Scalar {
	name := EnumTypeName(t, naming)
	return Scalar{Name: name, Kind: KindEnum, Enum: &EnumType{Name: name, Values: t.EnumValues, Naming: naming}}
}

// tableEnum returns the graphql-go enum of an enum table, creating it once.
// Its values are in name order: graphql-go keeps the order of a Go map,
// which would change from one build to the next.
func (b *builder) tableEnum(e *EnumType) *graphql.Enum {
	if ge, ok := b.enums[e.Name]; ok {
		return ge
	}
	values := make(graphql.EnumValueConfigMap, len(e.Values))
	for _, v := range e.Values {
		cfg := &graphql.EnumValueConfig{Value: v.Value}
		if v.Comment != nil {
			cfg.Description = *v.Comment
		}
		values[e.Naming.EnumValue(v.Value)] = cfg
	}
	ge := graphql.NewEnum(graphql.EnumConfig{Name: e.Name, Values: values})
	defs := ge.Values() // the enum's own slice: sorting it orders introspection
	sort.Slice(defs, func(i, j int) bool { return defs[i].Name < defs[j].Name })
	b.enums[e.Name] = ge
	return ge
}
