package schema

import (
	"fmt"

	"github.com/graphql-go/graphql"

	"github.com/trellis-gql/trellis/metadata"
)

// Sorting by aggregates (https://hasura.io/docs/latest/queries/postgres/sorting/):
// <t>_order_by has <rel>_aggregate: <target>_aggregate_order_by for each
// array relationship, and <cf>_aggregate for each table computed field
// without client arguments. <target>_aggregate_order_by has count: order_by
// and, per aggregate operator that has columns, <op>: <target>_<op>_order_by
// listing those columns (Hasura's Schema.OrderBy.orderByAggregation).

// AggregateOrderByName is the order_by input of a table's aggregates.
func AggregateOrderByName(t *Table) string { return t.Names.Derived("aggregate_order_by") }

// AggregateOpOrderByName is the order_by input of one aggregate operator.
func AggregateOpOrderByName(t *Table, op string) string {
	return t.Names.Derived(op + "_order_by")
}

// AggregateOpColumns returns the columns an aggregate operator (avg, max,
// …) orders by, and whether t offers the operator at all: max and min take
// the comparable columns, the others the numeric ones.
func AggregateOpColumns(t *Table, op string) ([]*Column, bool) {
	for _, o := range aggregateOps {
		if o.name == op {
			cols := aggregateColumns(t, o.numericOnly)
			return cols, len(cols) > 0
		}
	}
	return nil, false
}

// OrderAggregateTarget is what a <x>_aggregate field of an order_by sorts
// by the aggregates of: an array relationship, or a table computed field.
type OrderAggregateTarget struct {
	Rel      *Relationship
	Computed *ComputedField
}

// Table is the table whose rows are aggregated.
func (o OrderAggregateTarget) Table() *Table {
	if o.Rel != nil {
		return o.Rel.Target
	}
	return o.Computed.Target
}

// OrderAggregateByField finds the array relationship or table computed
// field whose aggregate is the field key of t's order_by.
func OrderAggregateByField(t *Table, key string) (OrderAggregateTarget, bool) {
	if r := AggregateRelByField(t, key); r != nil {
		return OrderAggregateTarget{Rel: r}, true
	}
	for _, c := range t.ComputedFields {
		if c.Target != nil && c.Args == nil && t.Names.naming.RelAggregateFieldName(c.Field) == key {
			if _, clash := t.ColumnByField[key]; !clash {
				return OrderAggregateTarget{Computed: c}, true
			}
		}
	}
	return OrderAggregateTarget{}, false
}

// FilterComputedField finds the computed field that is the field key of
// t's bool_exp and order_by: one whose function takes no argument from the
// client (only the row and the session), as Hasura requires.
func FilterComputedField(t *Table, key string) *ComputedField {
	for _, c := range t.ComputedFields {
		if c.Field == key && c.Args == nil {
			return c
		}
	}
	return nil
}

// aggregateComparable reports whether max and min apply to a scalar: Hasura
// leaves out Boolean, json, jsonb, geometry and geography
// (Backends.Postgres.SQL.Types.isComparableType), which Postgres has no
// max for either.
func aggregateComparable(s Scalar) bool {
	switch s.Name {
	case "Boolean", "json", "jsonb", "geometry", "geography":
		return false
	}
	return s.Comparable
}

// orderByExtraFields adds to t's order_by the fields that are not columns
// or object relationships: the aggregates of array relationships, and the
// computed fields that take no client arguments (a scalar one sorts by its
// value, a table one by aggregates of its rows).
func (b *builder) orderByExtraFields(t *Table, f graphql.InputObjectConfigFieldMap) {
	for _, r := range t.Relationships {
		name := b.naming.RelAggregateFieldName(r.Field)
		if r.Meta.Kind == metadata.ArrayRel && AggregateRelByField(t, name) == r {
			f[name] = &graphql.InputObjectFieldConfig{Type: b.aggregateOrderBy(r.Target)}
		}
	}
	for _, c := range t.ComputedFields {
		if c.Args != nil {
			continue
		}
		if c.Target == nil {
			f[c.Field] = &graphql.InputObjectFieldConfig{Type: b.orderBy}
			continue
		}
		name := b.naming.RelAggregateFieldName(c.Field)
		if target, ok := OrderAggregateByField(t, name); ok && target.Computed == c {
			f[name] = &graphql.InputObjectFieldConfig{Type: b.aggregateOrderBy(c.Target)}
		}
	}
}

// aggregateOrderBy builds <t>_aggregate_order_by and its per-operator
// inputs once.
func (b *builder) aggregateOrderBy(t *Table) *graphql.InputObject {
	name := AggregateOrderByName(t)
	if in, ok := b.inputs[name]; ok {
		return in
	}
	tableName := t.quotedName()
	fields := graphql.InputObjectConfigFieldMap{"count": {Type: b.orderBy}}
	for _, op := range aggregateOps {
		cols, ok := AggregateOpColumns(t, op.name)
		if !ok {
			continue
		}
		colFields := graphql.InputObjectConfigFieldMap{}
		for _, c := range cols {
			colFields[c.Field] = &graphql.InputObjectFieldConfig{Type: b.orderBy, Description: c.Description}
		}
		fields[b.naming.Field(op.name)] = &graphql.InputObjectFieldConfig{Type: graphql.NewInputObject(graphql.InputObjectConfig{
			Name:        AggregateOpOrderByName(t, op.name),
			Description: fmt.Sprintf("order by %s() on columns of table %s", op.name, tableName),
			Fields:      colFields,
		})}
	}
	in := graphql.NewInputObject(graphql.InputObjectConfig{
		Name:        name,
		Description: "order by aggregate values of table " + tableName,
		Fields:      fields,
	})
	b.inputs[name] = in
	return in
}

// computedBoolExpFields adds to t's bool_exp the computed fields that take
// no client arguments: a scalar one compares its value, a table one filters
// like a relationship (some returned row matches).
func (b *builder) computedBoolExpFields(t *Table, f graphql.InputObjectConfigFieldMap) {
	for _, c := range t.ComputedFields {
		if c.Args != nil {
			continue
		}
		if c.Target == nil {
			f[c.Field] = &graphql.InputObjectFieldConfig{Type: b.comparison(c.Scalar)}
			continue
		}
		f[c.Field] = &graphql.InputObjectFieldConfig{Type: b.inputs[c.Target.Names.BoolExp]}
	}
}
