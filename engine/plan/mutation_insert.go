package plan

import (
	"github.com/trellis-gql/trellis/engine/gqlerr"
	"github.com/trellis-gql/trellis/engine/schema"
	"github.com/trellis-gql/trellis/metadata"
)

// insertArgs reads objects (or object, for insert_<t>_one) and
// on_conflict, and returns the insert and the path Hasura reports its
// database errors at.
func (p *planner) insertArgs(f *selected, t *schema.Table, args map[string]argument, one bool) (*Insert, string, error) {
	name, listType := "objects", "["+t.Mutable.Names.InsertInput+"!]"
	if one {
		name, listType = "object", t.Mutable.Names.InsertInput
	}
	a, err := required(f, args, name, listType)
	if err != nil {
		return nil, "", err
	}
	list, isList := a.value.([]any)
	if one || !isList {
		list = []any{a.value} // GraphQL input coercion: a single value is a list of one
	}
	ins, err := p.insertRows(list, t, a.path, isList && !one)
	if err != nil {
		return nil, "", err
	}
	if c, ok := args["on_conflict"]; ok && c.value != nil {
		if ins.OnConflict, err = p.onConflict(c.value, t, c.path); err != nil {
			return nil, "", err
		}
		p.upsertPermission(ins, t)
	}
	return ins, a.path.String(), nil
}

// insertRows reads a list of <t>_insert_input objects; indexed says whether
// the paths of their errors carry the index.
func (p *planner) insertRows(list []any, t *schema.Table, path gqlerr.Path, indexed bool) (*Insert, error) {
	ins := &Insert{Table: t.Meta.Info}
	for i, item := range list {
		ip := path
		if indexed {
			ip = path.Index(i)
		}
		row, err := p.insertObject(item, t, ip)
		if err != nil {
			return nil, err
		}
		ins.Rows = append(ins.Rows, row)
	}
	p.insertPermission(ins, t)
	return ins, nil
}

// insertObject reads one <t>_insert_input object: columns, and object or
// array relationships whose rows are inserted with it.
func (p *planner) insertObject(v any, t *schema.Table, path gqlerr.Path) (InsertRow, error) {
	var row InsertRow
	typeName := t.Mutable.Names.InsertInput
	obj, ok := v.(*object)
	if !ok {
		return row, typeMismatch(path, typeName, "an object", v)
	}
	for i, key := range obj.keys {
		val, kp := obj.vals[i], path.Key(key)
		if c := insertableColumn(t, key); c != nil {
			cell, err := scalarValue(val, c.Scalar, c.Type, kp)
			if err != nil {
				return row, err
			}
			row.Cells = append(row.Cells, InsertCell{Column: c.Info.Name, Value: cell})
			continue
		}
		r, ok := t.RelByField[key]
		if !ok || r.Target.Mutable == nil || !r.Target.Insertable() {
			return row, notFound(kp, key, typeName)
		}
		if val == nil {
			continue
		}
		nested, err := p.nestedInsert(val, r, kp)
		if err != nil {
			return row, err
		}
		if r.Meta.InsertOrder == metadata.InsertBeforeParent {
			row.Before = append(row.Before, nested)
		} else {
			row.After = append(row.After, nested)
		}
	}
	return row, nil
}

// insertableColumn finds a column an insert may set by its field name.
func insertableColumn(t *schema.Table, field string) *schema.Column {
	for _, c := range t.Mutable.Insertable {
		if c.Field == field {
			return c
		}
	}
	return nil
}

// nestedInsert reads <t>_obj_rel_insert_input or <t>_arr_rel_insert_input:
// data (one object, or a list) and on_conflict.
func (p *planner) nestedInsert(v any, r *schema.Relationship, path gqlerr.Path) (NestedInsert, error) {
	target := r.Target
	names := target.Mutable.Names
	typeName, array := names.ObjRelInput, r.Meta.Kind == metadata.ArrayRel
	if array {
		typeName = names.ArrInput
	}
	nested := NestedInsert{}
	for _, m := range r.Meta.Mapping {
		nested.Join = append(nested.Join, ColumnPair{Outer: m.From, Inner: m.To})
	}
	obj, ok := v.(*object)
	if !ok {
		return nested, typeMismatch(path, typeName, "an object", v)
	}
	var data any
	hasData := false
	for i, key := range obj.keys {
		switch p.word(key) {
		case "data":
			data, hasData = obj.vals[i], true
		case "on_conflict":
		default:
			return nested, notFound(path.Key(key), key, typeName)
		}
	}
	if !hasData {
		return nested, path.Errorf(gqlerr.ValidationFailed, "missing required field 'data'")
	}
	dp := path.Key("data")
	if data == nil {
		return nested, dp.Errorf(gqlerr.ValidationFailed, "unexpected null value for type '%s'", names.InsertInput)
	}
	list, isList := data.([]any)
	if !array || !isList {
		list = []any{data}
	}
	ins, err := p.insertRows(list, target, dp, array && isList)
	if err != nil {
		return nested, err
	}
	for i, key := range obj.keys {
		if p.word(key) == "on_conflict" && obj.vals[i] != nil {
			if ins.OnConflict, err = p.onConflict(obj.vals[i], target, path.Key(key)); err != nil {
				return nested, err
			}
			p.upsertPermission(ins, target)
		}
	}
	nested.Insert = ins
	return nested, nil
}

// onConflict reads <t>_on_conflict: constraint, update_columns (default
// none: DO NOTHING) and where (on the existing row).
func (p *planner) onConflict(v any, t *schema.Table, path gqlerr.Path) (*DMLConflict, error) {
	names := t.Mutable.Names
	obj, ok := v.(*object)
	if !ok {
		return nil, typeMismatch(path, names.OnConflict, "an object", v)
	}
	out := &DMLConflict{}
	hasConstraint := false
	for i, key := range obj.keys {
		val, kp := obj.vals[i], path.Key(key)
		switch p.word(key) {
		case "constraint":
			name, isEnum := enumText(val)
			for _, c := range t.Mutable.Constraints {
				if isEnum && t.Names.EnumValueName(c.Name) == name {
					out.Constraint, hasConstraint = c.Name, true
				}
			}
			if !hasConstraint {
				return nil, kp.Errorf(gqlerr.ValidationFailed, "expected one of the values %s for type '%s', but found %s", constraintList(t), names.Constraint, describeEnum(val))
			}
		case "update_columns":
			if err := placeholderError(t, val, path); err != nil {
				return nil, err
			}
			cols, err := updateColumns(val, t, kp)
			if err != nil {
				return nil, err
			}
			out.Update = cols
		case "where":
			if val == nil {
				continue
			}
			w, err := p.boolExp(val, t, kp)
			if err != nil {
				return nil, err
			}
			out.Where = w
		default:
			return nil, notFound(kp, key, names.OnConflict)
		}
	}
	if !hasConstraint {
		return nil, path.Errorf(gqlerr.ValidationFailed, "missing required field 'constraint'")
	}
	return out, nil
}

// updateColumns reads a list of <t>_update_column values.
func updateColumns(v any, t *schema.Table, path gqlerr.Path) ([]string, error) {
	if v == nil {
		return nil, path.Errorf(gqlerr.ValidationFailed, "unexpected null value for type '[%s!]'", t.Mutable.Names.UpdateColumn)
	}
	list, ok := v.([]any)
	if !ok {
		list = []any{v}
	}
	var cols []string
	for i, item := range list {
		name, isEnum := enumText(item)
		var col *schema.Column
		for _, c := range t.Mutable.Updatable {
			if isEnum && t.EnumValueOf(c) == name {
				col = c
			}
		}
		if col == nil {
			values := "["
			for j, c := range t.Mutable.Updatable {
				if j > 0 {
					values += ", "
				}
				values += "'" + t.EnumValueOf(c) + "'"
			}
			return nil, path.Index(i).Errorf(gqlerr.ValidationFailed, "expected one of the values %s for type '%s', but found %s", values+"]", t.Mutable.Names.UpdateColumn, describeEnum(item))
		}
		cols = append(cols, col.Info.Name)
	}
	return cols, nil
}

func constraintList(t *schema.Table) string {
	out := "["
	for i, c := range t.Mutable.Constraints {
		if i > 0 {
			out += ", "
		}
		out += "'" + t.Names.EnumValueName(c.Name) + "'"
	}
	return out + "]"
}
