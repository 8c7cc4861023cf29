package metadata

import (
	"encoding/json"

	"github.com/trellis-gql/trellis/engine/catalog"
)

// After an admin's run_sql, Hasura follows the tables and columns renamed
// by the SQL: it matches tables by OID and columns by attnum, and rewrites
// the metadata that names them (Hasura.RQL.DDL.Schema.Rename).

// ApplyRenames updates md after the database went from before to after (an
// admin's run_sql). A tracked table of the primary source (the one Resolve
// checks) whose OID is still there under another name or schema is renamed
// everywhere the metadata names it: its entry (which keeps its
// configuration, custom names included), relationships' remote_table and
// foreign_key_constraint_on.table, _exists clauses of boolean expressions
// and remote relationships to it. A column of a tracked table (same table
// OID, same attnum) with a new name is renamed everywhere: column_config
// and custom_column_names keys, relationships (foreign key columns, both
// sides of manual column mappings, those of other tables pointing at it
// included), permissions' columns, set presets and the fields of their
// filter and check expressions (following relationships to the table they
// lead to), event triggers' columns and payload, and remote relationships'
// fields. Computed fields are raw and left alone. md is not modified; the
// result shares nothing mutable with md. Anything not found by OID is left
// for PurgeDropped.
func ApplyRenames(md *Metadata, before, after *catalog.Catalog) *Metadata {
	out := Clone(md)
	s := pickSource(out)
	if s == nil || before == nil || after == nil {
		return out
	}
	old := pickSource(md)
	rn := findRenames(old, before, after)
	if len(rn.tables) == 0 && len(rn.cols) == 0 {
		return out
	}
	rn.w = boolWalker{src: old, cat: before}
	for i := range s.Tables {
		e := &s.Tables[i]
		table := old.Tables[i].Table // the name the renames are keyed by
		cols := rn.cols[table]
		if e.Configuration != nil {
			e.Configuration.ColumnConfig = renameKeys(e.Configuration.ColumnConfig, cols)
			e.Configuration.CustomColumnNames = renameKeys(e.Configuration.CustomColumnNames, cols)
		}
		for j := range e.ObjectRelationships {
			rn.relationship(table, &e.ObjectRelationships[j])
		}
		for j := range e.ArrayRelationships {
			rn.relationship(table, &e.ArrayRelationships[j])
		}
		for _, pt := range permTypes() {
			rn.rewriteRaw(*e.perms(pt), func(v *value) bool { return rn.permission(table, v) })
		}
		rn.rewriteRaw(e.EventTriggers, func(v *value) bool { return eventTrigger(v, cols) })
		rn.rewriteRaw(e.RemoteRelationships, func(v *value) bool { return rn.remoteRelationship(old.Name, &table, v) })
		e.Table = rn.table(table)
	}
	// Remote relationships of other sources may lead to the primary one.
	for i := range out.Sources {
		o := &out.Sources[i]
		if o == s {
			continue
		}
		for j := range o.Tables {
			rn.rewriteRaw(o.Tables[j].RemoteRelationships, func(v *value) bool { return rn.remoteRelationship(old.Name, nil, v) })
		}
	}
	return out
}

// renamer holds the renames of tables and columns of the primary source,
// keyed by the names before.
type renamer struct {
	tables map[TableName]TableName
	cols   map[TableName]map[string]string // table → old column → new
	// w walks boolean expressions over the source as it was, with the
	// catalog before.
	w boolWalker
}

// findRenames matches the tracked tables of s in before with the tables of
// after by OID, and their columns by attnum.
func findRenames(s *Source, before, after *catalog.Catalog) *renamer {
	rn := &renamer{tables: map[TableName]TableName{}, cols: map[TableName]map[string]string{}}
	byOID := make(map[uint32]*catalog.Table, len(after.Tables))
	for _, t := range after.Tables {
		if t != nil && t.OID != 0 {
			byOID[t.OID] = t
		}
	}
	for _, e := range s.Tables {
		bt := before.Table(e.Table)
		if bt == nil || bt.OID == 0 {
			continue
		}
		at := byOID[bt.OID]
		if at == nil {
			continue
		}
		if at.Name != e.Table {
			rn.tables[e.Table] = at.Name
		}
		for _, bc := range bt.Columns {
			if bc.Num == 0 {
				continue
			}
			for _, ac := range at.Columns {
				if ac.Num == bc.Num {
					if ac.Name != bc.Name {
						if rn.cols[e.Table] == nil {
							rn.cols[e.Table] = map[string]string{}
						}
						rn.cols[e.Table][bc.Name] = ac.Name
					}
					break
				}
			}
		}
	}
	return rn
}

// table returns the new name of table n.
func (rn *renamer) table(n TableName) TableName {
	if t, ok := rn.tables[n]; ok {
		return t
	}
	return n
}

// col returns the new name of column c of table t.
func (rn *renamer) col(t TableName, c string) string {
	if n, ok := rn.cols[t][c]; ok {
		return n
	}
	return c
}

// renameKeys returns m with its keys renamed; a renamed key replaces a key
// of the same name left over from a dropped column.
func renameKeys[V any](m map[string]V, ren map[string]string) map[string]V {
	if len(m) == 0 || len(ren) == 0 {
		return m
	}
	out := make(map[string]V, len(m))
	for k, v := range m {
		if _, ok := ren[k]; !ok {
			out[k] = v
		}
	}
	for k, v := range m {
		if n, ok := ren[k]; ok {
			out[n] = v
		}
	}
	return out
}

// relationship renames the tables and columns relationship r of table
// names.
func (rn *renamer) relationship(table TableName, r *RelationshipEntry) {
	if fk := r.Using.ForeignKeyConstraintOn; fk != nil {
		target := table // an object relationship over table's own columns
		if fk.Table != nil {
			target = *fk.Table
			t := rn.table(target)
			fk.Table = &t
		}
		for i, c := range fk.Columns {
			fk.Columns[i] = rn.col(target, c)
		}
	}
	if mc := r.Using.ManualConfiguration; mc != nil {
		for i, p := range mc.ColumnMapping {
			mc.ColumnMapping[i] = ColumnPair{From: rn.col(table, p.From), To: rn.col(mc.RemoteTable, p.To)}
		}
		mc.RemoteTable = rn.table(mc.RemoteTable)
	}
}

// rewriteRaw applies f to the parsed items of list, and writes back those
// f changed. Items that do not parse are left as they are.
func (rn *renamer) rewriteRaw(list []json.RawMessage, f func(*value) bool) {
	for i, raw := range list {
		v, err := parseJSON(raw)
		if err != nil || v.kind != kindObject {
			continue
		}
		if f(v) {
			list[i] = v.json()
		}
	}
}

// permission renames the columns and tables permission entry root of
// table names: columns, set presets, filter and check.
func (rn *renamer) permission(table TableName, root *value) bool {
	perm := root.get("permission")
	if perm == nil || perm.kind != kindObject {
		return false
	}
	changed := false
	if c := perm.get("columns"); c != nil && c.kind == kindList {
		changed = renameStrings(c, rn.cols[table])
	}
	if set := perm.get("set"); set != nil && set.kind == kindObject {
		changed = renameFields(set, rn.cols[table]) || changed
	}
	for _, k := range []string{"filter", "check"} {
		if v := perm.get(k); v != nil {
			changed = rn.boolExp(table, v, 0) || changed
		}
	}
	return changed
}

// renameStrings renames the strings of list v; it reports a change.
func renameStrings(v *value, ren map[string]string) bool {
	changed := false
	for _, it := range v.list {
		if it.kind != kindString {
			continue
		}
		if n, ok := ren[it.text]; ok {
			it.text, changed = n, true
		}
	}
	return changed
}

// renameFields renames the keys of object v; it reports a change.
func renameFields(v *value, ren map[string]string) bool {
	changed := false
	for i := range v.fields {
		f := &v.fields[i]
		if n, ok := ren[f.key]; ok {
			f.key, f.val.key, changed = n, n, true
		}
	}
	return changed
}

// boolExp renames the fields of boolean expression v over table: its
// column keys, those of the expressions through relationships (over the
// table they lead to) and the tables of _exists clauses.
func (rn *renamer) boolExp(table TableName, v *value, depth int) bool {
	if depth > maxBoolDepth {
		return false
	}
	changed := false
	switch v.kind {
	case kindList:
		for _, it := range v.list {
			changed = rn.boolExp(table, it, depth+1) || changed
		}
		return changed
	case kindObject:
	default:
		return false
	}
	for i := range v.fields {
		f := &v.fields[i]
		switch f.key {
		case "_and", "_or", "_not", "$and", "$or", "$not":
			changed = rn.boolExp(table, f.val, depth+1) || changed
			continue
		case "_exists", "$exists":
			changed = rn.exists(f.val, depth) || changed
			continue
		}
		if target, isRel := rn.w.relTarget(table, f.key); isRel {
			if target != nil {
				changed = rn.boolExp(*target, f.val, depth+1) || changed
			}
			continue
		}
		if n, ok := rn.cols[table][f.key]; ok {
			f.key, f.val.key, changed = n, n, true
		}
	}
	return changed
}

// exists renames the table of an _exists clause {_table, _where} and the
// fields of its _where.
func (rn *renamer) exists(v *value, depth int) bool {
	if v.kind != kindObject {
		return false
	}
	tv := v.get("_table")
	if tv == nil {
		return false
	}
	t, err := qualifiedName(tv)
	if err != nil {
		return false
	}
	changed := false
	if where := v.get("_where"); where != nil {
		changed = rn.boolExp(t, where, depth+1)
	}
	if n, ok := rn.tables[t]; ok {
		setTableName(tv, n)
		changed = true
	}
	return changed
}

// setTableName writes n into table name value v, keeping its form: a bare
// string stays one while the schema is "public".
func setTableName(v *value, n TableName) {
	if v.kind == kindString && n.Schema == "public" {
		v.text = n.Name
		return
	}
	if v.kind != kindObject {
		*v = value{kind: kindObject, parent: v.parent, key: v.key, index: v.index}
	}
	has := func(key string) *value {
		for _, f := range v.fields {
			if f.key == key {
				return f.val
			}
		}
		return nil
	}
	setStr := func(key, s string) {
		if f := has(key); f != nil {
			f.kind, f.text = kindString, s
			return
		}
		f := field{key: key, val: &value{kind: kindString, text: s}}
		v.attach(f.val, key, 0)
		if key == "schema" {
			v.fields = append([]field{f}, v.fields...)
		} else {
			v.fields = append(v.fields, f)
		}
	}
	if has("schema") != nil || n.Schema != "public" {
		setStr("schema", n.Schema)
	}
	setStr("name", n.Name)
}

// eventTrigger renames the columns and payload columns of the operations
// of event trigger v, by ren.
func eventTrigger(v *value, ren map[string]string) bool {
	def := v.get("definition")
	if len(ren) == 0 || def == nil || def.kind != kindObject {
		return false
	}
	changed := false
	for _, op := range []string{"insert", "update", "delete"} {
		spec := def.get(op)
		if spec == nil || spec.kind != kindObject {
			continue
		}
		for _, k := range []string{"columns", "payload"} {
			if l := spec.get(k); l != nil && l.kind == kindList {
				changed = renameStrings(l, ren) || changed
			}
		}
	}
	return changed
}

// remoteRelationship renames the fields of remote relationship v: those
// of its own table when table (the name before) is of the primary source
// src, and its target table and columns when it leads to a table of src.
func (rn *renamer) remoteRelationship(src string, table *TableName, v *value) bool {
	def := v.get("definition")
	if def == nil || def.kind != kindObject {
		return false
	}
	var own map[string]string
	if table != nil {
		own = rn.cols[*table]
	}
	changed := false
	if ts := def.get("to_source"); ts != nil && ts.kind == kindObject {
		var target *TableName
		if sv, tv := ts.get("source"), ts.get("table"); sv != nil && sv.kind == kindString && sv.text == src && tv != nil {
			if t, err := qualifiedName(tv); err == nil {
				target = &t
				if n, ok := rn.tables[t]; ok {
					setTableName(tv, n)
					changed = true
				}
			}
		}
		if fm := ts.get("field_mapping"); fm != nil && fm.kind == kindObject {
			changed = renameFields(fm, own) || changed
			if target != nil {
				for _, f := range fm.fields {
					if f.val.kind != kindString {
						continue
					}
					if n, ok := rn.cols[*target][f.val.text]; ok {
						f.val.text, changed = n, true
					}
				}
			}
		}
	}
	if len(own) == 0 {
		return changed
	}
	// To a remote schema: {to_remote_schema: {lhs_fields, remote_field}},
	// or the older {remote_schema, hasura_fields, remote_field}.
	schemaDefs := []*value{def}
	if trs := def.get("to_remote_schema"); trs != nil && trs.kind == kindObject {
		schemaDefs = append(schemaDefs, trs)
	}
	for _, d := range schemaDefs {
		for _, k := range []string{"lhs_fields", "hasura_fields"} {
			if l := d.get(k); l != nil && l.kind == kindList {
				changed = renameStrings(l, own) || changed
			}
		}
		if rf := d.get("remote_field"); rf != nil {
			changed = remoteFieldVars(rf, own, 0) || changed
		}
	}
	return changed
}

// remoteFieldVars renames the column variables ("$column") of the
// arguments of remote field calls v: {field: {arguments, field}}.
func remoteFieldVars(v *value, ren map[string]string, depth int) bool {
	if depth > maxBoolDepth || v.kind != kindObject {
		return false
	}
	changed := false
	for _, f := range v.fields {
		if f.val.kind != kindObject {
			continue
		}
		if args := f.val.get("arguments"); args != nil {
			changed = argumentVars(args, ren, depth+1) || changed
		}
		if sub := f.val.get("field"); sub != nil {
			changed = remoteFieldVars(sub, ren, depth+1) || changed
		}
	}
	return changed
}

// argumentVars renames the "$column" strings of an arguments value.
func argumentVars(v *value, ren map[string]string, depth int) bool {
	if depth > maxBoolDepth {
		return false
	}
	changed := false
	switch v.kind {
	case kindString:
		if len(v.text) > 1 && v.text[0] == '$' {
			if n, ok := ren[v.text[1:]]; ok {
				v.text, changed = "$"+n, true
			}
		}
	case kindList:
		for _, it := range v.list {
			changed = argumentVars(it, ren, depth+1) || changed
		}
	case kindObject:
		for _, f := range v.fields {
			changed = argumentVars(f.val, ren, depth+1) || changed
		}
	}
	return changed
}
