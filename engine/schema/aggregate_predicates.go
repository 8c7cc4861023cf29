package schema

import (
	"github.com/graphql-go/graphql"

	"github.com/trellis-gql/trellis/metadata"
)

// Aggregate predicates filter rows by an aggregate of an array
// relationship (https://hasura.io/docs/latest/queries/postgres/filters/aggregation-filters/):
// where: {articles_aggregate: {count: {predicate: {_gt: 2}, filter: {…},
// arguments: [...], distinct: true}}}; bool_and and bool_or take one
// Boolean column as arguments.

// AggregatePredicateFuncs are the aggregate functions a <t>_aggregate_bool_exp
// offers, in schema order.
var AggregatePredicateFuncs = []string{"bool_and", "bool_or", "count"}

// AggregateBoolExpName is the bool_exp input of a table's aggregates.
func AggregateBoolExpName(t *Table) string { return t.Names.Derived("aggregate_bool_exp") }

// AggregateBoolExpFuncName is the input of one aggregate function in it.
func AggregateBoolExpFuncName(t *Table, fn string) string {
	return t.Names.Derived("aggregate_bool_exp_" + fn)
}

// BoolArgumentsEnumName is the enum of the Boolean columns bool_and and
// bool_or take.
func BoolArgumentsEnumName(t *Table, fn string) string {
	return t.Names.Derived("select_column_" + t.Names.base + "_aggregate_bool_exp_" + fn + "_arguments_columns")
}

// BooleanColumns are the columns bool_and and bool_or apply to.
func BooleanColumns(t *Table) []*Column {
	var cols []*Column
	for _, c := range t.Columns {
		if !c.Scalar.Array && c.Scalar.Kind == KindBoolean {
			cols = append(cols, c)
		}
	}
	return cols
}

// AggregateRelByField finds the array relationship whose <rel>_aggregate
// field of a bool_exp is key.
func AggregateRelByField(t *Table, key string) *Relationship {
	for _, r := range t.Relationships {
		if r.Meta.Kind == metadata.ArrayRel && r.Target.Aggregatable() && t.Names.naming.RelAggregateFieldName(r.Field) == key {
			if _, clash := t.ColumnByField[key]; !clash {
				return r
			}
		}
	}
	return nil
}

// aggregateBoolExpFields adds <rel>_aggregate fields to a bool_exp.
func (b *builder) aggregateBoolExpFields(t *Table, f graphql.InputObjectConfigFieldMap) {
	for _, r := range t.Relationships {
		if r.Meta.Kind != metadata.ArrayRel || AggregateRelByField(t, b.naming.RelAggregateFieldName(r.Field)) != r {
			continue
		}
		f[b.naming.RelAggregateFieldName(r.Field)] = &graphql.InputObjectFieldConfig{Type: b.aggregateBoolExp(r.Target)}
	}
}

// aggregateBoolExp builds <t>_aggregate_bool_exp and its per-function inputs.
func (b *builder) aggregateBoolExp(t *Table) *graphql.InputObject {
	name := AggregateBoolExpName(t)
	if in, ok := b.inputs[name]; ok {
		return in
	}
	fields := graphql.InputObjectConfigFieldMap{}
	for _, fn := range AggregatePredicateFuncs {
		if in := b.aggregateFuncInput(t, fn); in != nil {
			fields[b.naming.Field(fn)] = &graphql.InputObjectFieldConfig{Type: in}
		}
	}
	in := graphql.NewInputObject(graphql.InputObjectConfig{Name: name, Fields: fields})
	b.inputs[name] = in
	return in
}

// aggregateFuncInput builds <t>_aggregate_bool_exp_<fn>, or returns nil for
// bool_and/bool_or on a table without Boolean columns.
func (b *builder) aggregateFuncInput(t *Table, fn string) *graphql.InputObject {
	fields := graphql.InputObjectConfigFieldMap{
		"distinct": {Type: graphql.Boolean},
		"filter":   {Type: b.inputs[t.Names.BoolExp]},
	}
	if fn == "count" {
		if e, ok := b.enums[t.Names.SelectColumn]; ok {
			fields["arguments"] = &graphql.InputObjectFieldConfig{Type: graphql.NewList(graphql.NewNonNull(e))}
		}
		fields["predicate"] = &graphql.InputObjectFieldConfig{Type: graphql.NewNonNull(b.comparison(builtinScalars["int4"]))}
	} else {
		cols := BooleanColumns(t)
		if len(cols) == 0 {
			return nil
		}
		values := graphql.EnumValueConfigMap{}
		for _, c := range cols {
			values[b.naming.EnumValue(c.Field)] = &graphql.EnumValueConfig{Value: c.Field, Description: "column name"}
		}
		enum := graphql.NewEnum(graphql.EnumConfig{
			Name: BoolArgumentsEnumName(t, fn), Values: values,
			Description: "select \"" + t.Names.base + "_aggregate_bool_exp_" + fn + "_arguments_columns\" columns of table " + t.quotedName(),
		})
		fields["arguments"] = &graphql.InputObjectFieldConfig{Type: graphql.NewNonNull(enum)}
		fields["predicate"] = &graphql.InputObjectFieldConfig{Type: graphql.NewNonNull(b.comparison(builtinScalars["bool"]))}
	}
	return graphql.NewInputObject(graphql.InputObjectConfig{Name: AggregateBoolExpFuncName(t, fn), Fields: fields})
}
