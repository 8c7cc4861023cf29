package schema

import (
	"github.com/graphql-go/graphql"
)

// columnType is the GraphQL type of a column's values: its scalar, or for
// an array column a list of non-null element scalars ([String!]).
func (b *builder) columnType(s Scalar) graphql.Input {
	if s.Array {
		elem := s
		elem.Array = false
		return graphql.NewList(graphql.NewNonNull(b.scalar(elem)))
	}
	return b.scalar(s)
}

// extraOperandType is the operand type of a type-specific operator whose
// shape is not a plain value: [String!], a _cast_exp, an st_d_within input
// or an ltree query (lquery, ltxtquery).
func (b *builder) extraOperandType(s Scalar, op Operator, value graphql.Input) graphql.Input {
	switch op.Shape {
	case OperandStringList:
		return graphql.NewList(graphql.NewNonNull(graphql.String))
	case OperandCast:
		return b.castExp(s)
	case OperandDWithin:
		return b.dWithinInput(s)
	case OperandQuery:
		query, _ := LtreeQuery(op.Name, nil)
		return b.scalar(query)
	}
	return value
}

// castExp is <scalar>_cast_exp: one field, named by the target scalar, whose
// type is the target's comparison_exp. The fields are a thunk because
// geometry and geography cast to each other.
func (b *builder) castExp(s Scalar) *graphql.InputObject {
	name := b.naming.CastExpName(s)
	if in, ok := b.inputs[name]; ok {
		return in
	}
	in := graphql.NewInputObject(graphql.InputObjectConfig{
		Name: name,
		Fields: graphql.InputObjectConfigFieldMapThunk(func() graphql.InputObjectConfigFieldMap {
			field, target, _, _ := CastTarget(s, nil)
			return graphql.InputObjectConfigFieldMap{field: {Type: b.comparison(target)}}
		}),
	})
	b.inputs[name] = in
	return in
}

// dWithinInput is st_d_within_input {distance: Float!, from: geometry!} or
// st_d_within_geography_input, which adds use_spheroid: Boolean = true.
func (b *builder) dWithinInput(s Scalar) *graphql.InputObject {
	internal := DWithinInputName(s)
	name := b.naming.Type(internal)
	if in, ok := b.inputs[name]; ok {
		return in
	}
	fields := graphql.InputObjectConfigFieldMap{
		"distance": {Type: graphql.NewNonNull(graphql.Float)},
		"from":     {Type: graphql.NewNonNull(b.scalar(s))},
	}
	if internal == DWithinGeographyInput {
		fields[b.naming.Field("use_spheroid")] = &graphql.InputObjectFieldConfig{Type: graphql.Boolean, DefaultValue: true}
	}
	in := graphql.NewInputObject(graphql.InputObjectConfig{Name: name, Fields: fields})
	b.inputs[name] = in
	return in
}

// columnFieldArgs are the arguments of a column's output field: json and
// jsonb columns take path: String.
func columnFieldArgs(c *Column) graphql.FieldConfigArgument {
	if !JSONColumn(c) {
		return nil
	}
	return graphql.FieldConfigArgument{"path": {Type: graphql.String, Description: "JSON select path"}}
}
