package plan

import (
	"strings"

	"github.com/trellis-gql/trellis/engine/catalog"
	"github.com/trellis-gql/trellis/engine/gqlerr"
	"github.com/trellis-gql/trellis/engine/schema"
)

// Types of the jsonb operators' operands.
var (
	intType       = &catalog.Type{Schema: "pg_catalog", Name: "int4"}
	textArrayType = &catalog.Type{Schema: "pg_catalog", Name: "_text"}
)

// updateOperators are the update arguments in Hasura's order, with the
// operation each stands for.
var updateOperators = []struct {
	arg string
	op  DMLSetOp
}{
	{"_inc", DMLInc},
	{"_set", DMLSet},
	{"_append", DMLAppend},
	{"_prepend", DMLPrepend},
	{"_delete_key", DMLDeleteKey},
	{"_delete_elem", DMLDeleteElem},
	{"_delete_at_path", DMLDeleteAtPath},
}

// updateArgs reads the arguments of update_<t> and update_<t>_by_pk.
func (p *planner) updateArgs(f *selected, t *schema.Table, args map[string]argument, byPk bool) (*DMLUpdate, error) {
	u := &DMLUpdate{Table: t.Meta.Info}
	var err error
	if byPk {
		u.Where, err = p.pkColumns(f, t, args)
	} else {
		u.Where, err = p.whereArg(f, t, args)
	}
	if err != nil {
		return nil, err
	}
	if u.Set, err = p.updateSets(t, args, f.path); err != nil {
		return nil, err
	}
	p.updatePermission(u, t)
	return u, nil
}

// pkColumns reads pk_columns: <t>_pk_columns_input.
func (p *planner) pkColumns(f *selected, t *schema.Table, args map[string]argument) (BoolExp, error) {
	a, err := required(f, args, "pk_columns", t.Mutable.Names.PkColumns)
	if err != nil {
		return nil, err
	}
	obj, ok := a.value.(*object)
	if !ok {
		return nil, typeMismatch(a.path, t.Mutable.Names.PkColumns, "an object", a.value)
	}
	for _, key := range obj.keys {
		found := false
		for _, c := range t.PrimaryKey {
			found = found || c.Field == key
		}
		if !found {
			return nil, notFound(a.path.Key(key), key, t.Mutable.Names.PkColumns)
		}
	}
	var where And
	for _, c := range t.PrimaryKey {
		v, ok := obj.get(c.Field)
		if !ok {
			return nil, a.path.Errorf(gqlerr.ValidationFailed, "missing required field '%s'", c.Field)
		}
		written := func(item int) bool { return obj.written(c.Field, item) }
		val, err := operandValue(v, schema.OperandScalar, columnSubject(c), a.path.Key(c.Field), written)
		if err != nil {
			return nil, err
		}
		where = append(where, Compare{Column: c.Info.Name, Type: c.Type, Op: "_eq", Value: val})
	}
	return where, nil
}

// updateSets reads the update operators (_set, _inc, _append, …) among
// args; at least one must be given, and a column may appear in one only.
func (p *planner) updateSets(t *schema.Table, args map[string]argument, at gqlerr.Path) ([]DMLSetItem, error) {
	var sets []DMLSetItem
	usedBy := map[string]string{}
	given := false
	for _, op := range updateOperators {
		a, ok := args[op.arg]
		if !ok {
			continue
		}
		given = true
		if a.value == nil {
			continue
		}
		typeName := t.Mutable.Names.JSONOps[op.arg]
		switch op.arg {
		case "_set":
			typeName = t.Mutable.Names.SetInput
		case "_inc":
			typeName = t.Mutable.Names.IncInput
		}
		obj, isObj := a.value.(*object)
		if !isObj {
			return nil, typeMismatch(a.path, typeName, "an object", a.value)
		}
		for i, key := range obj.keys {
			kp := a.path.Key(key)
			c := updateColumn(t, key, op.op)
			if c == nil {
				return nil, notFound(kp, key, typeName)
			}
			if prev, dup := usedBy[c.Info.Name]; dup {
				return nil, at.Errorf(gqlerr.ValidationFailed, "column found in multiple operators; %q in %s, %s operators", c.Field, prev, op.arg)
			}
			usedBy[c.Info.Name] = op.arg
			v, err := updateValue(obj.vals[i], c, op.op, kp)
			if err != nil {
				return nil, err
			}
			sets = append(sets, DMLSetItem{Column: c.Info.Name, Op: op.op, Value: v})
		}
	}
	if !given {
		names := make([]string, len(updateOperators))
		for i, op := range updateOperators {
			names[i] = p.schema.Naming.Arg(op.arg)
		}
		return nil, at.Errorf(gqlerr.ValidationFailed, "at least any one of %s is expected", strings.Join(names, ", "))
	}
	return sets, nil
}

// updateColumn finds the column an operator's input names, among those the
// operator applies to.
func updateColumn(t *schema.Table, field string, op DMLSetOp) *schema.Column {
	for _, c := range t.Mutable.Updatable {
		if c.Field != field {
			continue
		}
		switch op {
		case DMLSet:
			return c
		case DMLInc:
			if c.Numeric() {
				return c
			}
		default:
			if c.JSONB() {
				return c
			}
		}
	}
	return nil
}

// updateValue checks an operator's value for a column.
func updateValue(v any, c *schema.Column, op DMLSetOp, path gqlerr.Path) (Value, error) {
	switch op {
	case DMLSet:
		return scalarValue(v, c.Scalar, c.Type, path)
	case DMLDeleteKey:
		return scalarValue(v, stringScalar, textType, path)
	case DMLDeleteElem:
		return scalarValue(v, schema.Scalar{Name: "Int", Kind: schema.KindInt}, intType, path)
	case DMLDeleteAtPath:
		return scalarValue(v, schema.Scalar{Name: "String", Kind: schema.KindString, Array: true}, textArrayType, path)
	}
	if v == nil {
		// column + NULL would null the column: Hasura refuses it.
		return Value{}, path.Errorf(gqlerr.ValidationFailed, "unexpected null value for type '%s'", c.Scalar.Name)
	}
	return scalarValue(v, c.Scalar, c.Type, path)
}

// updateMany reads update_<t>_many(updates: [<t>_updates!]!): each update
// is its own write, run in order.
func (p *planner) updateMany(f *selected, t *schema.Table, args map[string]argument) (*Mutation, error) {
	a, err := required(f, args, "updates", "["+t.Mutable.Names.Updates+"!]")
	if err != nil {
		return nil, err
	}
	list, isList := a.value.([]any)
	if !isList {
		list = []any{a.value}
	}
	m := &Mutation{Many: true, ErrorPath: "$"}
	for i, item := range list {
		ip := a.path
		if isList {
			ip = a.path.Index(i)
		}
		obj, ok := item.(*object)
		if !ok {
			return nil, typeMismatch(ip, t.Mutable.Names.Updates, "an object", item)
		}
		itemArgs := map[string]argument{}
		for j, key := range obj.keys {
			word := p.word(key)
			if word != "where" && updateOperatorArg(word) == "" {
				return nil, notFound(ip.Key(key), key, t.Mutable.Names.Updates)
			}
			itemArgs[word] = argument{value: obj.vals[j], path: ip.Key(key)}
		}
		w, ok := itemArgs["where"]
		if !ok {
			return nil, ip.Errorf(gqlerr.ValidationFailed, "missing required field 'where'")
		}
		u := &DMLUpdate{Table: t.Meta.Info}
		if u.Where, err = p.boolExp(w.value, t, w.path); err != nil {
			return nil, err
		}
		if u.Set, err = p.updateSets(t, itemArgs, ip); err != nil {
			return nil, err
		}
		p.updatePermission(u, t)
		m.Writes = append(m.Writes, Write{Table: t.Meta.Info, Update: u})
	}
	out, err := p.mutationOutput(f, t, false)
	if err != nil {
		return nil, err
	}
	for i := range m.Writes {
		m.Writes[i].Output = out
	}
	return m, nil
}

// updateOperatorArg returns arg when it names an update operator, else "".
func updateOperatorArg(arg string) string {
	for _, op := range updateOperators {
		if op.arg == arg {
			return arg
		}
	}
	return ""
}
