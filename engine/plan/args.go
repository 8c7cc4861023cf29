package plan

import (
	"strconv"
	"strings"

	"github.com/trellis-gql/trellis/engine/catalog"
	"github.com/trellis-gql/trellis/engine/gqlerr"
	"github.com/trellis-gql/trellis/engine/schema"
	"github.com/trellis-gql/trellis/metadata"
)

// listArgs reads where, order_by, distinct_on, limit and offset.
func (p *planner) listArgs(f *selected, t *schema.Table, rows *Rows) error {
	for _, a := range f.field.Arguments {
		path := f.path.Key("args").Key(a.Name.Value)
		v, err := p.valueOf(a.Value, path)
		if err != nil {
			return err
		}
		switch p.word(a.Name.Value) {
		case "where":
			if v == nil {
				continue
			}
			if rows.Where, err = p.boolExp(v, t, path); err != nil {
				return err
			}
		case "order_by":
			if rows.OrderBy, err = p.orderBy(v, t, path); err != nil {
				return err
			}
		case "distinct_on":
			if rows.DistinctOn, err = selectColumns(v, t, path); err != nil {
				return err
			}
		case "limit", "offset":
			if v == nil {
				continue
			}
			offset := p.word(a.Name.Value) == "offset"
			convert := func(x any) (Value, error) { return pageValue(x, offset, path) }
			val := &Value{}
			if *val, err = convert(v); err != nil {
				return err
			}
			if name := variableName(a.Value); name != "" {
				val.From = p.fromVariable(name, convert)
			}
			if p.word(a.Name.Value) == "limit" {
				rows.Limit = val
			} else {
				rows.Offset = val
			}
		}
	}
	return checkDistinctOn(rows, f.path.Key("args"))
}

// pageValue checks a limit, a non-negative 32-bit integer (Hasura's
// nonNegativeInt), or an offset, which Hasura reads as its 64-bit bigint:
// a number or a string of digits, whose sign Postgres checks.
func pageValue(v any, offset bool, path gqlerr.Path) (Value, error) {
	if offset {
		var text string
		switch v := v.(type) {
		case number:
			text = string(v)
		case string:
			text = v
		default:
			return Value{}, typeMismatch(path, "Int", "a 64-bit integer", v)
		}
		if _, err := strconv.ParseInt(text, 10, 64); err != nil {
			return Value{}, typeMismatch(path, "Int", "a 64-bit integer", v)
		}
		return Value{Text: text}, nil
	}
	n, ok := v.(number)
	if !ok {
		return Value{}, typeMismatch(path, "Int", "a non-negative 32-bit integer", v)
	}
	if !isInt32(string(n)) {
		return Value{}, path.Errorf(gqlerr.ParseFailed, "The value %s lies outside the bounds or is not an integer. Maybe it is a float, or is there integer overflow?", haskellScientific(string(n)))
	}
	if len(n) > 0 && n[0] == '-' {
		return Value{}, typeMismatch(path, "Int", "a non-negative 32-bit integer", v)
	}
	return Value{Text: string(n)}, nil
}

// checkDistinctOn enforces Postgres' rule the way Hasura checks it
// (Schema.Select.tableArguments): the first len(distinct_on) order_by
// items must all be columns of the row itself (not through a
// relationship, not a computed field, not an aggregate), and every
// distinct_on column must be among them.
func checkDistinctOn(rows *Rows, path gqlerr.Path) error {
	if len(rows.DistinctOn) == 0 || len(rows.OrderBy) == 0 {
		return nil
	}
	initial := map[string]bool{}
	n := 0
	for _, o := range rows.OrderBy[:min(len(rows.DistinctOn), len(rows.OrderBy))] {
		if o.isColumn() {
			initial[o.Column] = true
			n++
		}
	}
	valid := n == len(rows.DistinctOn)
	for _, c := range rows.DistinctOn {
		valid = valid && initial[c]
	}
	if !valid {
		return path.Errorf(gqlerr.ValidationFailed, "\"distinct_on\" columns must match initial \"order_by\" columns")
	}
	return nil
}

// boolExp reads a <t>_bool_exp value.
func (p *planner) boolExp(v any, t *schema.Table, path gqlerr.Path) (BoolExp, error) {
	obj, ok := v.(*object)
	if !ok {
		return nil, typeMismatch(path, t.Names.BoolExp, "an object", v)
	}
	var and And
	for i, key := range obj.keys {
		val := obj.vals[i]
		kp := path.Key(key)
		switch key {
		case "_and", "_or":
			if val == nil {
				continue
			}
			list, ok := val.([]any)
			if !ok {
				list = []any{val}
			}
			var terms []BoolExp
			for j, item := range list {
				e, err := p.boolExp(item, t, kp.Index(j))
				if err != nil {
					return nil, err
				}
				terms = append(terms, e)
			}
			if key == "_and" {
				and = append(and, And(terms))
			} else {
				and = append(and, Or(terms))
			}
			continue
		case "_not":
			if val == nil {
				continue
			}
			e, err := p.boolExp(val, t, kp)
			if err != nil {
				return nil, err
			}
			and = append(and, Not{Exp: e})
			continue
		}
		if c, ok := t.ColumnByField[key]; ok {
			if val == nil {
				continue
			}
			terms, err := p.comparison(val, c, kp)
			if err != nil {
				return nil, err
			}
			and = append(and, terms...)
			continue
		}
		if r, ok := t.RelByField[key]; ok {
			if val == nil {
				continue
			}
			inner, err := p.boolExp(val, r.Target, kp)
			if err != nil {
				return nil, err
			}
			ex := Exists{Table: r.Target.Meta.Info, Where: conjoin(p.selectFilter(r.Target), inner)}
			for _, m := range r.Meta.Mapping {
				ex.Join = append(ex.Join, ColumnPair{Outer: m.From, Inner: m.To})
			}
			and = append(and, ex)
			continue
		}
		if r := schema.AggregateRelByField(t, key); r != nil {
			if val == nil {
				continue
			}
			terms, err := p.aggregatePredicates(val, r, kp)
			if err != nil {
				return nil, err
			}
			and = append(and, terms...)
			continue
		}
		if cf := schema.FilterComputedField(t, key); cf != nil {
			if val == nil {
				continue
			}
			terms, err := p.computedFilter(val, cf, kp)
			if err != nil {
				return nil, err
			}
			and = append(and, terms...)
			continue
		}
		return nil, notFound(kp, key, t.Names.BoolExp)
	}
	return and, nil
}

// comparison reads a <scalar>_comparison_exp value for a column.
func (p *planner) comparison(v any, c *schema.Column, path gqlerr.Path) ([]BoolExp, error) {
	return p.compareOn(v, columnSubject(c), path)
}

// columnSubject is a column as the subject of a comparison.
func columnSubject(c *schema.Column) subject {
	return subject{column: c.Info.Name, scalar: c.Scalar, typ: c.Type}
}

// subject is what a comparison_exp compares: a column, possibly cast, or
// the value of a scalar computed field (call).
type subject struct {
	column string
	call   *FunctionCall
	scalar schema.Scalar
	typ    *catalog.Type
	casts  []*catalog.Type
}

// compareOn reads a <scalar>_comparison_exp value for a subject.
func (p *planner) compareOn(v any, c subject, path gqlerr.Path) ([]BoolExp, error) {
	in := p.schema.Comparison(c.scalar)
	obj, ok := v.(*object)
	if !ok {
		return nil, typeMismatch(path, in.Name, "an object", v)
	}
	var out []BoolExp
	var err error
	for i, key := range obj.keys {
		val := obj.vals[i]
		kp := path.Key(key)
		op, ok := in.Ops[key]
		if !ok {
			return nil, notFound(kp, key, in.Name)
		}
		cmp := Compare{Column: c.column, Type: c.typ, Op: op.Name, Casts: c.casts, Call: c.call}
		if val == nil {
			// Hasura v2 refuses an explicit null operand rather than
			// dropping the condition (which made a null variable match
			// every row).
			typ := c.scalar.Name
			if op.Shape == schema.OperandBoolean {
				typ = "Boolean"
			}
			return nil, kp.Errorf(gqlerr.ValidationFailed, "unexpected null value for type '%s'", typ)
		}
		switch op.Shape {
		case schema.OperandCast:
			terms, err := p.castComparison(val, c, kp)
			if err != nil {
				return nil, err
			}
			out = append(out, terms...)
			continue
		case schema.OperandString, schema.OperandStringList, schema.OperandDWithin, schema.OperandQuery:
			if err := p.extraOperand(&cmp, op, val, c, kp); err != nil {
				return nil, err
			}
		case schema.OperandBoolean:
			b, ok := val.(bool)
			if !ok {
				return nil, typeMismatch(kp, "Boolean", "a boolean", val)
			}
			cmp.IsNull = b
		default:
			written := func(item int) bool { return obj.written(key, item) }
			convert := func(x any) (Value, error) { return operandValue(x, op.Shape, c, kp, written) }
			if cmp.Value, err = convert(val); err != nil {
				return nil, err
			}
			if name := obj.source(key); name != "" {
				cmp.Value.From = p.fromVariable(name, convert)
			}
		}
		out = append(out, cmp)
	}
	return out, nil
}

// operandValue checks the operand of a comparison operator that takes a
// value or a list of values of c's type. written tells whether the value
// (item < 0) or an item of the list was written in the query rather than
// given by a variable.
func operandValue(v any, shape schema.OperandShape, c subject, path gqlerr.Path, written func(item int) bool) (Value, error) {
	if v == nil {
		return Value{}, path.Errorf(gqlerr.ValidationFailed, "unexpected null value for type '%s'", c.scalar.Name)
	}
	if shape != schema.OperandList {
		if err := enumStringWritten(v, c.scalar, written(-1), path); err != nil {
			return Value{}, err
		}
		return scalarValue(v, c.scalar, c.typ, path)
	}
	list, ok := v.([]any)
	if !ok {
		list = []any{v}
	}
	out := Value{IsList: true, Type: c.typ, List: make([]string, 0, len(list))}
	for j, item := range list {
		if item == nil {
			return Value{}, path.Index(j).Errorf(gqlerr.ValidationFailed, "unexpected null value for type '%s'", c.scalar.Name)
		}
		itemWritten := written(-1)
		if ok {
			itemWritten = written(j)
		}
		if err := enumStringWritten(item, c.scalar, itemWritten, path.Index(j)); err != nil {
			return Value{}, err
		}
		text, err := scalarText(item, c.scalar, c.typ, path.Index(j))
		if err != nil {
			return Value{}, err
		}
		out.List = append(out.List, text)
	}
	return out, nil
}

// orderBy reads a list of <t>_order_by values; each object may name
// several columns, taken in the order written.
func (p *planner) orderBy(v any, t *schema.Table, path gqlerr.Path) ([]OrderItem, error) {
	if v == nil {
		return nil, nil
	}
	list, ok := v.([]any)
	if !ok {
		list = []any{v}
	}
	var out []OrderItem
	for i, item := range list {
		ip := path
		if ok {
			ip = path.Index(i)
		}
		obj, isObj := item.(*object)
		if !isObj {
			return nil, typeMismatch(ip, t.Names.OrderBy, "an object", item)
		}
		items, err := p.orderObject(obj, t, ip, nil)
		if err != nil {
			return nil, err
		}
		out = append(out, items...)
	}
	return out, nil
}

// orderObject reads one <t>_order_by object; path holds the object
// relationships followed to reach t.
func (p *planner) orderObject(obj *object, t *schema.Table, at gqlerr.Path, path []Hop) ([]OrderItem, error) {
	var out []OrderItem
	for j, key := range obj.keys {
		kp := at.Key(key)
		val := obj.vals[j]
		if val == nil {
			continue
		}
		if r, ok := t.RelByField[key]; ok && r.Meta.Kind == metadata.ObjectRel {
			inner, isObj := val.(*object)
			if !isObj {
				return nil, typeMismatch(kp, r.Target.Names.OrderBy, "an object", val)
			}
			hop := Hop{Table: r.Target.Meta.Info, Where: p.selectFilter(r.Target)}
			for _, m := range r.Meta.Mapping {
				hop.Join = append(hop.Join, ColumnPair{Outer: m.From, Inner: m.To})
			}
			items, err := p.orderObject(inner, r.Target, kp, append(append([]Hop{}, path...), hop))
			if err != nil {
				return nil, err
			}
			out = append(out, items...)
			continue
		}
		c, isCol := t.ColumnByField[key]
		if !isCol {
			items, known, err := p.orderExtra(key, val, t, kp)
			if !known {
				return nil, notFound(kp, key, t.Names.OrderBy)
			}
			if err != nil {
				return nil, err
			}
			for i := range items {
				items[i].Path = path
			}
			out = append(out, items...)
			continue
		}
		item, err := p.orderValue(val, kp)
		if err != nil {
			return nil, err
		}
		item.Column = c.Info.Name
		item.Path = path
		out = append(out, item)
	}
	return out, nil
}

// orderValue reads an order_by enum value into an item's direction.
func (p *planner) orderValue(v any, path gqlerr.Path) (OrderItem, error) {
	dir, isEnum := enumText(v)
	known := false
	var item OrderItem
	if dir == p.schema.Naming.EnumValue(dir) { // written as the schema spells it
		item, known = orderDirection(p.word(dir))
	}
	if !isEnum || !known {
		n := p.schema.Naming
		values := make([]string, len(schema.OrderByValues))
		for i, v := range schema.OrderByValues {
			values[i] = "'" + n.EnumValue(v.Name) + "'"
		}
		return item, path.Errorf(gqlerr.ValidationFailed, "expected one of the values [%s] for type '%s', but found %s",
			strings.Join(values, ", "), n.Type(schema.OrderByEnum), describeEnum(v))
	}
	return item, nil
}

func orderDirection(s string) (OrderItem, bool) {
	switch s {
	case "asc", "asc_nulls_last":
		return OrderItem{}, true
	case "asc_nulls_first":
		return OrderItem{NullsFirst: true}, true
	case "desc", "desc_nulls_first":
		return OrderItem{Desc: true, NullsFirst: true}, true
	case "desc_nulls_last":
		return OrderItem{Desc: true}, true
	}
	return OrderItem{}, false
}
