package plan

import (
	"github.com/trellis-gql/trellis/engine/catalog"
	"github.com/trellis-gql/trellis/engine/gqlerr"
	"github.com/trellis-gql/trellis/engine/schema"
)

// AggregatePredicate is true when an aggregate (Func over Columns) of the
// related rows that satisfy Filter satisfies Predicate.
type AggregatePredicate struct {
	Table *catalog.Table
	Join  []ColumnPair // outer = the current table
	// Filter selects the rows aggregated (nil: all related rows).
	Filter BoolExp
	// Func is count, bool_and or bool_or; Columns are count's columns (none:
	// rows) or the one Boolean column of bool_and/bool_or.
	Func     string
	Columns  []string
	Distinct bool
	// Predicate compares the aggregate, which it sees as the column
	// AggregateColumn.
	Predicate BoolExp
}

func (AggregatePredicate) isBoolExp() {}

// AggregateColumn names the aggregate value a Predicate compares.
const AggregateColumn = "aggregate"

var (
	int4Type      = &catalog.Type{Schema: "pg_catalog", Name: "int4"}
	intScalar     = schema.ScalarFor(int4Type)
	boolScalar    = schema.ScalarFor(boolType)
	aggInputNames = map[string]bool{"arguments": true, "distinct": true, "filter": true, "predicate": true}
)

// aggregatePredicates reads a <t>_aggregate_bool_exp: one predicate per
// function given, all of which must hold.
func (p *planner) aggregatePredicates(v any, r *schema.Relationship, path gqlerr.Path) ([]BoolExp, error) {
	t := r.Target
	name := schema.AggregateBoolExpName(t)
	obj, ok := v.(*object)
	if !ok {
		return nil, typeMismatch(path, name, "an object", v)
	}
	var out []BoolExp
	for i, key := range obj.keys {
		kp, fn := path.Key(key), p.word(key)
		known := key == p.schema.Naming.Field(fn) &&
			(fn == "count" || (fn == "bool_and" || fn == "bool_or") && len(schema.BooleanColumns(t)) > 0)
		if !known {
			return nil, notFound(kp, key, name)
		}
		if obj.vals[i] == nil {
			continue
		}
		ap, err := p.aggregatePredicate(obj.vals[i], t, fn, kp)
		if err != nil {
			return nil, err
		}
		// Only the related rows the role can see are aggregated.
		ap.Filter = conjoin(p.selectFilter(t), ap.Filter)
		for _, m := range r.Meta.Mapping {
			ap.Join = append(ap.Join, ColumnPair{Outer: m.From, Inner: m.To})
		}
		out = append(out, ap)
	}
	return out, nil
}

// aggregatePredicate reads <t>_aggregate_bool_exp_<fn>.
func (p *planner) aggregatePredicate(v any, t *schema.Table, fn string, path gqlerr.Path) (AggregatePredicate, error) {
	ap := AggregatePredicate{Table: t.Meta.Info, Func: fn}
	name := schema.AggregateBoolExpFuncName(t, fn)
	obj, ok := v.(*object)
	if !ok {
		return ap, typeMismatch(path, name, "an object", v)
	}
	var predicate any
	for i, key := range obj.keys {
		val, kp := obj.vals[i], path.Key(key)
		if !aggInputNames[p.word(key)] {
			return ap, notFound(kp, key, name)
		}
		var err error
		switch p.word(key) {
		case "predicate":
			predicate = val
		case "filter":
			if val != nil {
				ap.Filter, err = p.boolExp(val, t, kp)
			}
		case "distinct":
			if val != nil {
				b, isBool := val.(bool)
				if !isBool {
					return ap, typeMismatch(kp, "Boolean", "a boolean", val)
				}
				ap.Distinct = b
			}
		case "arguments":
			ap.Columns, err = p.aggregateArguments(val, t, fn, kp)
		}
		if err != nil {
			return ap, err
		}
	}
	if fn != "count" && len(ap.Columns) == 0 {
		return ap, path.Errorf(gqlerr.ValidationFailed, "missing required field 'arguments'")
	}
	if predicate == nil {
		return ap, path.Errorf(gqlerr.ValidationFailed, "missing required field 'predicate'")
	}
	on := subject{column: AggregateColumn, scalar: intScalar, typ: int4Type}
	if fn != "count" {
		on = subject{column: AggregateColumn, scalar: boolScalar, typ: boolType}
	}
	terms, err := p.compareOn(predicate, on, path.Key("predicate"))
	ap.Predicate = And(terms)
	return ap, err
}

// aggregateArguments reads count's [<t>_select_column!] or the one Boolean
// column of bool_and and bool_or.
func (p *planner) aggregateArguments(v any, t *schema.Table, fn string, path gqlerr.Path) ([]string, error) {
	if fn == "count" {
		return selectColumns(v, t, path)
	}
	enum := schema.BoolArgumentsEnumName(t, fn)
	cols := schema.BooleanColumns(t)
	name, _ := enumText(v)
	for _, c := range cols {
		if t.EnumValueOf(c) == name {
			return []string{c.Info.Name}, nil
		}
	}
	if v == nil {
		return nil, path.Errorf(gqlerr.ValidationFailed, "unexpected null value for type '%s'", enum)
	}
	list := "["
	for i, c := range cols {
		if i > 0 {
			list += ", "
		}
		list += "'" + c.Field + "'"
	}
	return nil, path.Errorf(gqlerr.ValidationFailed, "expected one of the values %s] for type '%s', but found %s", list, enum, describeEnum(v))
}
