package dataapi

import (
	"encoding/json"
	"github.com/trellis-gql/trellis/engine/catalog"
	"github.com/trellis-gql/trellis/engine/gqlerr"

	"github.com/trellis-gql/trellis/engine/plan"
	"github.com/trellis-gql/trellis/metadata"
)

// returning checks "returning" (a list of column names) and gives the
// fields of each returned row; nil when the key is absent.
func returning(t *metadata.Table, obj object) ([]plan.Field, error) {
	raw, ok := obj.get("returning")
	if !ok {
		return nil, nil
	}
	path := argsPath + ".returning"
	names, err := decodeStrings(raw, path)
	if err != nil {
		return nil, err
	}
	fields := make([]plan.Field, 0, len(names))
	for _, n := range names {
		if column(t, n) == nil {
			return nil, noSuchColumn(path, n)
		}
		fields = append(fields, plan.Field{Alias: n, Kind: plan.FieldColumn, Column: n})
	}
	return fields, nil
}

// conflictArgs is a parsed on_conflict.
type conflictArgs struct {
	constraint    string
	hasConstraint bool
	columns       []string
	hasColumns    bool
	update        bool
}

func parseConflict(raw json.RawMessage) (*conflictArgs, error) {
	path := argsPath + ".on_conflict"
	obj, err := decodeObject(raw, path, "OnConflict")
	if err != nil {
		return nil, err
	}
	c := &conflictArgs{}
	if v, ok := obj.get("constraint"); ok {
		c.hasConstraint = true
		if c.constraint, err = decodeString(v, path+".constraint", "Text"); err != nil {
			return nil, err
		}
	}
	if v, ok := obj.get("constraint_on"); ok {
		c.hasColumns = true
		if gqlerr.JSONKind(v) == "String" {
			s, _ := decodeString(v, path, "Text")
			c.columns = []string{s}
		} else if c.columns, err = decodeStrings(v, path+".constraint_on"); err != nil {
			return nil, err
		}
	}
	action, err := required(obj, "action", path)
	if err != nil {
		return nil, err
	}
	switch s, _ := decodeString(action, path+".action", "Text"); s {
	case "ignore":
	case "update":
		c.update = true
	default:
		return nil, parseErr(path+".action", "Expecting 'ignore' or 'update'")
	}
	return c, nil
}

// compileInsert checks an insert in Hasura's order: objects, table,
// returning, each object's columns, on_conflict.
func compileInsert(m *metadata.Model, obj object) (*plan.DMLInsert, error) {
	name, err := tableArg(obj)
	if err != nil {
		return nil, err
	}
	objectsRaw, err := required(obj, "objects", argsPath)
	if err != nil {
		return nil, err
	}
	var conflict *conflictArgs
	if raw, ok := obj.get("on_conflict"); ok {
		if conflict, err = parseConflict(raw); err != nil {
			return nil, err
		}
	}
	objects, err := insertObjects(objectsRaw)
	if err != nil {
		return nil, err
	}
	t, err := mutableTable(m, name, argsPath, "insertable")
	if err != nil {
		return nil, err
	}
	ins := &plan.DMLInsert{Table: t.Info}
	if ins.Returning, err = returning(t, obj); err != nil {
		return nil, err
	}
	if err := insertRows(m, t, objects, ins); err != nil {
		return nil, err
	}
	if conflict != nil {
		if ins.OnConflict, err = onConflict(t, conflict, ins.Columns); err != nil {
			return nil, err
		}
	}
	return ins, nil
}

// insertObjects decodes "objects": a non-empty list of objects.
func insertObjects(raw json.RawMessage) ([]object, error) {
	path := argsPath + ".objects"
	if gqlerr.JSONKind(raw) != "Array" {
		return nil, metadata.Errorf(metadata.CodeParseFailed, path, "parsing [] failed, expected Array, but encountered %s", gqlerr.JSONKind(raw))
	}
	items, _ := decodeArray(raw, path, "[]")
	if len(items) == 0 {
		return nil, metadata.Errorf(codeUnexpectedPayload, path, "objects should not be empty")
	}
	out := make([]object, len(items))
	for i, item := range items {
		if gqlerr.JSONKind(item) != "Object" {
			return nil, metadata.Errorf(metadata.CodeParseFailed, indexPath(path, i), "parsing HashMap failed, expected Object, but encountered %s", gqlerr.JSONKind(item))
		}
		out[i], _ = decodeObject(item, path, "HashMap")
	}
	return out, nil
}

// insertRows fills the columns and rows of an insert: the columns any
// object names, in the order first named; DEFAULT where an object is
// silent.
func insertRows(m *metadata.Model, t *metadata.Table, objects []object, ins *plan.DMLInsert) error {
	pos := map[string]int{}
	type cell struct {
		col int
		val plan.Value
	}
	rows := make([][]cell, len(objects))
	for i, o := range objects {
		for _, mem := range o {
			c, err := dbColumn(t, mem.key, indexPath(argsPath+".objects", i), "relationships can't be inserted")
			if err != nil {
				return err
			}
			j, seen := pos[c.Name]
			if !seen {
				j = len(ins.Columns)
				pos[c.Name] = j
				ins.Columns = append(ins.Columns, c.Name)
			}
			rows[i] = append(rows[i], cell{j, columnValue(mem.val, columnType(m, c))})
		}
	}
	if len(ins.Columns) == 0 {
		// Every object is empty: DEFAULT for the first column inserts a
		// row of defaults each.
		if len(t.Columns) == 0 {
			return metadata.Errorf(metadata.CodeNotSupported, argsPath+".objects", "cannot insert into a table without columns")
		}
		ins.Columns = []string{t.Columns[0].Name}
	}
	for _, r := range rows {
		out := make([]*plan.Value, len(ins.Columns))
		for _, c := range r {
			v := c.val
			out[c.col] = &v
		}
		ins.Rows = append(ins.Rows, out)
	}
	return nil
}

// onConflict checks on_conflict against the table: a constraint must be its
// primary key or a unique constraint; DO UPDATE sets every inserted column.
func onConflict(t *metadata.Table, c *conflictArgs, inserted []string) (*plan.DMLConflict, error) {
	path := argsPath + ".on_conflict"
	if c.hasConstraint && c.hasColumns {
		return nil, metadata.Errorf(codeUnexpectedPayload, path, "'constraint' and 'constraint_on' cannot be set at a time")
	}
	if c.update && !c.hasConstraint && !c.hasColumns {
		return nil, metadata.Errorf(codeUnexpectedPayload, path, "Expecting 'constraint' or 'constraint_on' when the 'action' is 'update'")
	}
	out := &plan.DMLConflict{}
	if c.hasColumns {
		for i, name := range c.columns {
			if _, err := dbColumn(t, name, indexPath(path+".constraint_on", i), ""); err != nil {
				return nil, err
			}
		}
		out.Columns = c.columns
	}
	if c.hasConstraint {
		if !hasConstraint(t, c.constraint) {
			return nil, metadata.Errorf(metadata.CodeUnexpected, path+".constraint", "constraint %q for table %q does not exist", c.constraint, tableText(t.Info.Name))
		}
		out.Constraint = c.constraint
	}
	if c.update {
		out.Update = inserted
	}
	return out, nil
}

// hasConstraint reports whether name is t's primary key or one of its
// unique constraints.
func hasConstraint(t *metadata.Table, name string) bool {
	if pk := t.Info.PrimaryKey; pk != nil && pk.Name == name {
		return true
	}
	for _, u := range t.Info.Uniques {
		if u.Name == name {
			return true
		}
	}
	return false
}

// compileUpdate checks an update in Hasura's order: table, $set, $inc,
// $mul, $default, returning, that something is set, where.
func compileUpdate(m *metadata.Model, obj object) (*plan.DMLUpdate, error) {
	name, err := tableArg(obj)
	if err != nil {
		return nil, err
	}
	whereRaw, err := required(obj, "where", argsPath)
	if err != nil {
		return nil, err
	}
	t, err := mutableTable(m, name, argsPath+".table", "updatable")
	if err != nil {
		return nil, err
	}
	u := &plan.DMLUpdate{Table: t.Info}
	setKey := "$set"
	if _, ok := obj.get(setKey); !ok {
		setKey = "values"
	}
	for _, op := range []struct {
		key, pathKey string
		op           plan.DMLSetOp
	}{{setKey, "$set", plan.DMLSet}, {"$inc", "$inc", plan.DMLInc}, {"$mul", "$mul", plan.DMLMul}} {
		if err := setItems(m, t, obj, op.key, argsPath+"."+op.pathKey, op.op, u); err != nil {
			return nil, err
		}
	}
	if raw, ok := obj.get("$default"); ok {
		path := argsPath + ".$default"
		cols, err := decodeStrings(raw, path)
		if err != nil {
			return nil, err
		}
		for _, c := range cols {
			if column(t, c) == nil {
				return nil, noSuchColumn(path, c)
			}
			u.Set = append(u.Set, plan.DMLSetItem{Column: c, Op: plan.DMLDefault})
		}
	}
	if u.Returning, err = returning(t, obj); err != nil {
		return nil, err
	}
	if len(u.Set) == 0 {
		return nil, metadata.Errorf(codeUnexpectedPayload, argsPath, "atleast one of $set, $inc, $mul has to be present")
	}
	if u.Where, err = boolExp(m, t, whereRaw, argsPath+".where"); err != nil {
		return nil, err
	}
	return u, nil
}

// setItems reads one of an update's column → value objects.
func setItems(m *metadata.Model, t *metadata.Table, obj object, key, path string, op plan.DMLSetOp, u *plan.DMLUpdate) error {
	raw, ok := obj.get(key)
	if !ok {
		return nil
	}
	items, err := decodeObject(raw, path, "HashMap")
	if err != nil {
		return err
	}
	for _, mem := range items {
		c := column(t, mem.key)
		if c == nil {
			return noSuchColumn(path, mem.key)
		}
		u.Set = append(u.Set, plan.DMLSetItem{Column: c.Name, Op: op, Value: columnValue(mem.val, columnType(m, c))})
	}
	return nil
}

// compileDelete checks a delete in Hasura's order: table, returning, where.
func compileDelete(m *metadata.Model, obj object) (*plan.DMLDelete, error) {
	name, err := tableArg(obj)
	if err != nil {
		return nil, err
	}
	whereRaw, err := required(obj, "where", argsPath)
	if err != nil {
		return nil, err
	}
	t, err := mutableTable(m, name, argsPath, "deletable")
	if err != nil {
		return nil, err
	}
	d := &plan.DMLDelete{Table: t.Info}
	if d.Returning, err = returning(t, obj); err != nil {
		return nil, err
	}
	if d.Where, err = boolExp(m, t, whereRaw, argsPath+".where"); err != nil {
		return nil, err
	}
	return d, nil
}

// compileCount checks a count in Hasura's order: table, distinct, where.
// A role needs a select permission: the distinct columns must be readable,
// and its filter is ANDed into the where.
func compileCount(m *metadata.Model, acc Access, obj object) (*plan.DMLCount, error) {
	name, err := tableArg(obj)
	if err != nil {
		return nil, err
	}
	var distinct []string
	if raw, ok := obj.get("distinct"); ok {
		if distinct, err = decodeStrings(raw, argsPath+".distinct"); err != nil {
			return nil, err
		}
	}
	t, err := lookupTable(m, name, argsPath)
	if err != nil {
		return nil, err
	}
	perm, err := acc.selectPerm(t, argsPath)
	if err != nil {
		return nil, err
	}
	if err := acc.requireVars(m, perm); err != nil {
		return nil, err
	}
	c := &plan.DMLCount{Table: t.Info}
	for i, d := range distinct {
		if err := acc.columnReadable(perm, d, indexPath(argsPath+".distinct", i)); err != nil {
			return nil, err
		}
		if column(t, d) == nil {
			return nil, noSuchColumn(indexPath(argsPath+".distinct", i), d)
		}
		c.Distinct = append(c.Distinct, d)
	}
	if raw, ok := obj.get("where"); ok {
		if c.Where, err = boolExp(m, t, raw, argsPath+".where"); err != nil {
			return nil, err
		}
		if c.Where, err = acc.guard(m, t, perm, c.Where, argsPath+".where"); err != nil {
			return nil, err
		}
	}
	c.Where = conjoin(acc.filter(m, perm), c.Where)
	return c, nil
}

// mutableTable looks up a table that a data API mutation writes and checks
// it allows the change ("insertable", "updatable" or "deletable").
func mutableTable(m *metadata.Model, name catalog.QualifiedName, path, what string) (*metadata.Table, error) {
	t, err := lookupTable(m, name, path)
	if err != nil {
		return nil, err
	}
	var ok bool
	switch what {
	case "insertable":
		ok = t.Info.Insertable
	case "updatable":
		ok = t.Info.Updatable
	case "deletable":
		ok = t.Info.Deletable
	}
	if err := checkMutable(t, ok, what); err != nil {
		return nil, err
	}
	return t, nil
}
