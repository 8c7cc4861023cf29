package plan

import (
	"github.com/trellis-gql/trellis/engine/catalog"
	"github.com/trellis-gql/trellis/engine/gqlerr"
	"github.com/trellis-gql/trellis/engine/schema"
)

// OrderAggregate is an aggregate of the rows related to the sorted row:
// the rows of Table joined to it (an array relationship), or those
// Function returns for it (a table computed field).
type OrderAggregate struct {
	Table    *catalog.Table
	Join     []ColumnPair // outer = the sorted row
	Function *FunctionCall
	// Where is the role's select filter on Table, nil for none: only the
	// rows the role can see are aggregated.
	Where BoolExp
	// Op is "count" (of rows) or an aggregate operator (avg, max, …) over
	// Column.
	Op     string
	Column string
}

// isColumn reports whether the item sorts by a column of the row itself.
func (o OrderItem) isColumn() bool {
	return len(o.Path) == 0 && o.Call == nil && o.Aggregate == nil
}

// orderExtra reads the order_by fields that are not columns or object
// relationships: a scalar computed field, or <x>_aggregate of an array
// relationship or table computed field. known is false when key is none
// of them.
func (p *planner) orderExtra(key string, v any, t *schema.Table, path gqlerr.Path) (items []OrderItem, known bool, err error) {
	if cf := schema.FilterComputedField(t, key); cf != nil && cf.Target == nil {
		item, err := p.orderValue(v, path)
		if err != nil {
			return nil, true, err
		}
		if item.Call, err = implicitCall(cf.Meta, path); err != nil {
			return nil, true, err
		}
		return []OrderItem{item}, true, nil
	}
	target, ok := schema.OrderAggregateByField(t, key)
	if !ok {
		return nil, false, nil
	}
	items, err = p.orderAggregate(v, target, path)
	return items, true, err
}

// orderAggregate reads a <t>_aggregate_order_by object: count, and per
// operator the columns to sort by, taken in the order written.
func (p *planner) orderAggregate(v any, target schema.OrderAggregateTarget, path gqlerr.Path) ([]OrderItem, error) {
	t := target.Table()
	name := schema.AggregateOrderByName(t)
	obj, ok := v.(*object)
	if !ok {
		return nil, typeMismatch(path, name, "an object", v)
	}
	base := OrderAggregate{Table: t.Meta.Info, Where: p.selectFilter(t)}
	if target.Rel != nil {
		for _, m := range target.Rel.Meta.Mapping {
			base.Join = append(base.Join, ColumnPair{Outer: m.From, Inner: m.To})
		}
	} else {
		call, err := implicitCall(target.Computed.Meta, path)
		if err != nil {
			return nil, err
		}
		base.Function = call
	}
	var out []OrderItem
	for i, key := range obj.keys {
		val, kp, op := obj.vals[i], path.Key(key), p.word(key)
		if op == "count" {
			if val == nil {
				continue
			}
			item, err := p.orderValue(val, kp)
			if err != nil {
				return nil, err
			}
			agg := base
			agg.Op = op
			item.Aggregate = &agg
			out = append(out, item)
			continue
		}
		cols, ok := schema.AggregateOpColumns(t, op)
		if !ok || key != t.Names.Field(op) {
			return nil, notFound(kp, key, name)
		}
		if val == nil {
			continue
		}
		items, err := p.orderAggregateOp(val, base, op, cols, schema.AggregateOpOrderByName(t, op), kp)
		if err != nil {
			return nil, err
		}
		out = append(out, items...)
	}
	return out, nil
}

// orderAggregateOp reads a <t>_<op>_order_by object: a direction per
// column.
func (p *planner) orderAggregateOp(v any, base OrderAggregate, op string, cols []*schema.Column, name string, path gqlerr.Path) ([]OrderItem, error) {
	obj, ok := v.(*object)
	if !ok {
		return nil, typeMismatch(path, name, "an object", v)
	}
	var out []OrderItem
	for i, key := range obj.keys {
		kp := path.Key(key)
		var col *schema.Column
		for _, c := range cols {
			if c.Field == key {
				col = c
			}
		}
		if col == nil {
			return nil, notFound(kp, key, name)
		}
		if obj.vals[i] == nil {
			continue
		}
		item, err := p.orderValue(obj.vals[i], kp)
		if err != nil {
			return nil, err
		}
		agg := base
		agg.Op, agg.Column = op, col.Info.Name
		item.Aggregate = &agg
		out = append(out, item)
	}
	return out, nil
}
