package metadata

import (
	"encoding/json"

	"github.com/trellis-gql/trellis/engine/catalog"
)

// Permissions are kept as JSON, but dropping, renaming or purging a table,
// relationship or computed field must find the permissions whose boolean
// expressions (filter, check) name it. This file walks those expressions.

// permTypes returns the kinds of table permissions, in Hasura's order.
func permTypes() [4]string { return [4]string{"insert", "select", "update", "delete"} }

// perms returns the list of permissions of kind pt of e.
func (e *TableEntry) perms(pt string) *[]json.RawMessage {
	switch pt {
	case "insert":
		return &e.InsertPermissions
	case "select":
		return &e.SelectPermissions
	case "update":
		return &e.UpdatePermissions
	}
	return &e.DeletePermissions
}

// permission is one permission of a table entry, parsed.
type permission struct {
	entry *TableEntry
	typ   string // "select", …
	index int    // in entry.perms(typ)
	role  string
	root  *value // the entry {role, permission, comment}
}

// save writes p's (possibly changed) value tree back into its entry.
func (p permission) save() {
	(*p.entry.perms(p.typ))[p.index] = p.root.json()
}

// boolExps returns the boolean expressions of p: filter and check.
func (p permission) boolExps() []*value {
	var out []*value
	if perm := p.root.get("permission"); perm != nil && perm.kind == kindObject {
		for _, k := range []string{"filter", "check"} {
			if v := perm.get(k); v != nil {
				out = append(out, v)
			}
		}
	}
	return out
}

// permissions returns every permission of source s, in order. Entries that
// do not parse are skipped.
func permissions(s *Source) []permission {
	var out []permission
	for i := range s.Tables {
		e := &s.Tables[i]
		for _, pt := range permTypes() {
			for j, raw := range *e.perms(pt) {
				root, err := parseJSON(raw)
				if err != nil || root.kind != kindObject {
					continue
				}
				role := ""
				if r := root.get("role"); r != nil && r.kind == kindString {
					role = r.text
				}
				out = append(out, permission{entry: e, typ: pt, index: j, role: role, root: root})
			}
		}
	}
	return out
}

// boolRef is a key of a boolean expression that names a field (column,
// relationship, computed field) of a table, or an _exists clause.
type boolRef struct {
	table TableName // the table whose field the key names
	key   string
	// target is the table a relationship key leads to, or the table of an
	// _exists clause; nil for other keys and unknown targets.
	target *TableName
	isRel  bool // the key names a relationship of table
	exists bool // an _exists clause; table and key are unset
	owner  *value
	index  int // of the key in owner.fields
}

// boolWalker finds the references of boolean expressions in one source.
type boolWalker struct {
	src *Source
	cat *catalog.Catalog // nil when the source is not introspected
}

// refs returns the references of the boolean expressions of p.
func (w boolWalker) refs(p permission) []boolRef {
	var out []boolRef
	for _, v := range p.boolExps() {
		w.walk(p.entry.Table, v, &out, 0)
	}
	return out
}

// maxBoolDepth bounds the walk of expressions through relationships.
const maxBoolDepth = 64

func (w boolWalker) walk(table TableName, v *value, out *[]boolRef, depth int) {
	if depth > maxBoolDepth {
		return
	}
	switch v.kind {
	case kindList:
		for _, it := range v.list {
			w.walk(table, it, out, depth+1)
		}
		return
	case kindObject:
	default:
		return
	}
	for i, f := range v.fields {
		switch f.key {
		case "_and", "_or", "_not", "$and", "$or", "$not":
			w.walk(table, f.val, out, depth+1)
			continue
		case "_exists", "$exists":
			w.exists(f.val, out, depth)
			continue
		}
		if f.key == "" || f.key[0] == '_' || f.key[0] == '$' {
			continue // an operator where a field is expected
		}
		ref := boolRef{table: table, key: f.key, owner: v, index: i}
		if target, isRel := w.relTarget(table, f.key); isRel {
			ref.isRel, ref.target = true, target
			if target != nil {
				w.walk(*target, f.val, out, depth+1)
			}
		}
		*out = append(*out, ref)
	}
}

// exists records an _exists clause {_table, _where} and walks its _where.
func (w boolWalker) exists(v *value, out *[]boolRef, depth int) {
	if v.kind != kindObject {
		return
	}
	tv := v.get("_table")
	if tv == nil {
		return
	}
	t, err := qualifiedName(tv)
	if err != nil {
		return
	}
	*out = append(*out, boolRef{target: &t, exists: true})
	if where := v.get("_where"); where != nil {
		w.walk(t, where, out, depth+1)
	}
}

// relTarget reports whether name is a relationship of table, and where it
// leads (nil when that cannot be known).
func (w boolWalker) relTarget(table TableName, name string) (*TableName, bool) {
	i := w.src.entry(table)
	if i < 0 {
		return nil, false
	}
	e := &w.src.Tables[i]
	for _, list := range [][]RelationshipEntry{e.ObjectRelationships, e.ArrayRelationships} {
		for _, r := range list {
			if r.Name == name {
				t, ok := relationshipTarget(table, r, w.cat)
				if !ok {
					return nil, true
				}
				return &t, true
			}
		}
	}
	return nil, false
}

// relationshipTarget is the table relationship r of table leads to. A
// foreign key on table's own columns needs the catalog to be followed.
func relationshipTarget(table TableName, r RelationshipEntry, cat *catalog.Catalog) (TableName, bool) {
	switch u := r.Using; {
	case u.ManualConfiguration != nil:
		return u.ManualConfiguration.RemoteTable, true
	case u.ForeignKeyConstraintOn == nil:
		return TableName{}, false
	case u.ForeignKeyConstraintOn.Table != nil:
		return *u.ForeignKeyConstraintOn.Table, true
	}
	if cat == nil {
		return TableName{}, false
	}
	ct := cat.Table(table)
	if ct == nil {
		return TableName{}, false
	}
	for _, fk := range ct.ForeignKeys {
		if sameColumnSet(fk.Columns, r.Using.ForeignKeyConstraintOn.Columns) {
			return fk.RefTable, true
		}
	}
	return TableName{}, false
}
