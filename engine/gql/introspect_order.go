package gql

import (
	"sort"

	"github.com/graphql-go/graphql"
)

// graphql-go keeps arguments, input fields and enum values in Go maps, so
// its introspection lists them in a different order on every run. Hasura
// lists a field's arguments sorted by name; its input fields and enum
// values follow the order it defines them in, which for the types Trellis
// generates is name order too (the comparison operators, order_by's
// values, the select_column values and enum tables' values). Clients that
// compare or cache schemas (codegen, Apollo) need the order to be stable,
// so the introspection types' resolvers are replaced here, once, by ones
// that sort by name.
func init() {
	graphql.FieldType.AddFieldConfig("args", &graphql.Field{
		Type: graphql.NewNonNull(graphql.NewList(graphql.NewNonNull(graphql.InputValueType))),
		Resolve: func(p graphql.ResolveParams) (any, error) {
			f, ok := p.Source.(*graphql.FieldDefinition)
			if !ok {
				return []any{}, nil
			}
			args := append([]*graphql.Argument(nil), f.Args...)
			sort.Slice(args, func(i, j int) bool { return args[i].Name() < args[j].Name() })
			return args, nil
		},
	})
	graphql.TypeType.AddFieldConfig("inputFields", &graphql.Field{
		Type: graphql.NewList(graphql.NewNonNull(graphql.InputValueType)),
		Resolve: func(p graphql.ResolveParams) (any, error) {
			in, ok := p.Source.(*graphql.InputObject)
			if !ok {
				return nil, nil
			}
			fields := in.Fields()
			names := make([]string, 0, len(fields))
			for name := range fields {
				names = append(names, name)
			}
			sort.Strings(names)
			out := make([]*graphql.InputObjectField, len(names))
			for i, name := range names {
				out[i] = fields[name]
			}
			return out, nil
		},
	})
	graphql.TypeType.AddFieldConfig("enumValues", &graphql.Field{
		Type: graphql.NewList(graphql.NewNonNull(graphql.EnumValueType)),
		Args: graphql.FieldConfigArgument{
			"includeDeprecated": &graphql.ArgumentConfig{Type: graphql.Boolean, DefaultValue: false},
		},
		Resolve: func(p graphql.ResolveParams) (any, error) {
			e, ok := p.Source.(*graphql.Enum)
			if !ok {
				return nil, nil
			}
			withDeprecated, _ := p.Args["includeDeprecated"].(bool)
			var out []*graphql.EnumValueDefinition
			for _, v := range e.Values() {
				if withDeprecated || v.DeprecationReason == "" {
					out = append(out, v)
				}
			}
			sort.Slice(out, func(i, j int) bool { return out[i].Name < out[j].Name })
			return out, nil
		},
	})
	// Define the fields now, before requests can race to do it lazily.
	graphql.FieldType.Fields()
	graphql.TypeType.Fields()
}
