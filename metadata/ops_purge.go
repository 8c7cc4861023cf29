package metadata

import (
	"encoding/json"
	"sort"
	"strings"

	"github.com/trellis-gql/trellis/engine/catalog"
)

// PurgeDropped removes from a copy of md what refers to tables, columns or
// functions of the primary source (the one Resolve checks) that are no
// longer in cat, as Hasura does after run_sql DDL: the entries of dropped
// tables; relationships to them, over dropped columns or whose foreign key
// is gone; column configuration of dropped columns; tracked functions and
// computed fields whose function is gone (any overload keeps them); and the
// permissions that name a dropped column (in columns, set, or a boolean
// expression), a removed computed field (in computed_fields or a boolean
// expression) or go through a removed relationship. Renamed tables,
// columns and functions look dropped: cat alone cannot tell them apart. md
// is not modified; with a nil cat the copy is returned unchanged.
func PurgeDropped(md *Metadata, cat *catalog.Catalog) *Metadata {
	out := Clone(md)
	s := pickSource(out)
	if cat == nil || s == nil {
		return out
	}
	kept := s.Tables[:0]
	for _, e := range s.Tables {
		if cat.Table(e.Table) != nil {
			kept = append(kept, e)
		}
	}
	s.Tables = kept
	s.Functions = purgeFunctions(s.Functions, cat, functionName)
	for i := range s.Tables {
		e := &s.Tables[i]
		ct := cat.Table(e.Table)
		e.Configuration = purgeColumnConfig(e.Configuration, ct)
		e.ComputedFields = purgeFunctions(e.ComputedFields, cat, computedFieldFunction)
		for _, k := range []RelKind{ObjectRel, ArrayRel} {
			list := e.rels(k)
			var live []RelationshipEntry
			for _, r := range *list {
				if relationshipIntact(cat, e.Table, r) {
					live = append(live, r)
				}
			}
			if len(live) < len(*list) {
				*list = live
			}
		}
	}
	w := boolWalker{src: s, cat: cat}
	for _, p := range permissions(s) {
		if !permissionIntact(w, cat, p) {
			dropPerm(p.entry, p.typ, p.role)
		}
	}
	return out
}

// purgeFunctions returns list without the items whose function, read by
// fn, is not in cat; the list itself when nothing is removed, nil when
// everything is. Items fn cannot read are kept.
func purgeFunctions(list []json.RawMessage, cat *catalog.Catalog, fn func(json.RawMessage) (TableName, bool)) []json.RawMessage {
	var live []json.RawMessage
	for _, raw := range list {
		if n, ok := fn(raw); !ok || len(cat.Function(n)) > 0 {
			live = append(live, raw)
		}
	}
	if len(live) == len(list) {
		return list
	}
	return live
}

// purgeColumnConfig drops the configuration of columns ct no longer has.
func purgeColumnConfig(c *TableConfig, ct *catalog.Table) *TableConfig {
	if c == nil {
		return nil
	}
	for col := range c.ColumnConfig {
		if ct.Column(col) == nil {
			delete(c.ColumnConfig, col)
		}
	}
	for col := range c.CustomColumnNames {
		if ct.Column(col) == nil {
			delete(c.CustomColumnNames, col)
		}
	}
	return c
}

// relationshipIntact reports whether relationship r of table still joins
// existing tables over existing columns and foreign keys.
func relationshipIntact(cat *catalog.Catalog, table TableName, r RelationshipEntry) bool {
	target, ok := relationshipTarget(table, r, cat)
	if !ok || cat.Table(target) == nil {
		return false
	}
	own, remote := cat.Table(table), cat.Table(target)
	u := r.Using
	switch {
	case u.ManualConfiguration != nil:
		for _, p := range u.ManualConfiguration.ColumnMapping {
			if own.Column(p.From) == nil || remote.Column(p.To) == nil {
				return false
			}
		}
		return true
	case u.ForeignKeyConstraintOn.Table == nil:
		return true // relationshipTarget found the key on these columns
	}
	for _, fk := range remote.ForeignKeys {
		if fk.RefTable == table && sameColumnSet(fk.Columns, u.ForeignKeyConstraintOn.Columns) {
			return true
		}
	}
	return false
}

// permissionIntact reports whether every column, preset and expression
// field permission p names still exists.
func permissionIntact(w boolWalker, cat *catalog.Catalog, p permission) bool {
	ct := cat.Table(p.entry.Table)
	perm := p.root.get("permission")
	if perm != nil && perm.kind == kindObject {
		if c := perm.get("columns"); c != nil {
			cols, _ := permColumns(c)
			for _, col := range cols {
				if ct.Column(col) == nil {
					return false
				}
			}
		}
		if set := perm.get("set"); set != nil {
			for _, f := range set.fields {
				if ct.Column(f.key) == nil {
					return false
				}
			}
		}
		if cf := perm.get("computed_fields"); cf != nil {
			names, _ := strList(cf)
			for _, n := range names {
				if rawNamed(p.entry.ComputedFields, n) < 0 {
					return false
				}
			}
		}
	}
	for _, ref := range w.refs(p) {
		if !ref.exists && !ref.isRel && !fieldKnown(w, cat, ref.table, ref.key) {
			return false
		}
	}
	return true
}

// fieldKnown reports whether key is a field of table in an expression: a
// column, a computed field, a remote relationship or an array
// relationship's aggregate.
func fieldKnown(w boolWalker, cat *catalog.Catalog, table TableName, key string) bool {
	ct := cat.Table(table)
	i := w.src.entry(table)
	if ct == nil || i < 0 {
		return false
	}
	if ct.Column(key) != nil {
		return true
	}
	e := &w.src.Tables[i]
	if rawNamed(e.ComputedFields, key) >= 0 || rawNamed(e.RemoteRelationships, key) >= 0 {
		return true
	}
	if rel, ok := strings.CutSuffix(key, "_aggregate"); ok {
		if k, j := findRel(e, rel); j >= 0 && k == ArrayRel {
			return true
		}
	}
	return false
}

// DropInconsistent removes from a copy of md the objects listed, found by
// the Type and Name Resolve (or Hasura) reports: tables, relationships,
// permissions, computed fields, remote relationships, event triggers,
// functions, sources, inherited roles, actions, remote schemas, cron
// triggers and custom types. md is not modified.
func DropInconsistent(md *Metadata, incs []Inconsistency) *Metadata {
	out := Clone(md)
	drop := make(map[string]bool, len(incs))
	for _, inc := range incs {
		drop[inc.Type+"\x00"+inc.Name] = true
	}
	has := func(typ, name string) bool { return drop[typ+"\x00"+name] }

	var sources []Source
	for _, s := range out.Sources {
		if has("source", "source "+s.Name) {
			continue
		}
		dropInSource(&s, has)
		sources = append(sources, s)
	}
	if out.Sources != nil && sources == nil {
		sources = []Source{}
	}
	out.Sources = sources
	for _, sec := range []struct {
		typ, key string
		raw      *json.RawMessage
	}{
		{"inherited_role", "role_name", &out.InheritedRoles},
		{"action", "name", &out.Actions},
		{"remote_schema", "name", &out.RemoteSchemas},
		{"cron_trigger", "name", &out.CronTriggers},
	} {
		*sec.raw = dropNamedItems(*sec.raw, sec.key, func(name string) bool { return has(sec.typ, sec.typ+" "+name) })
	}
	if has("custom_types", "custom_types") {
		out.CustomTypes = nil
	}
	return out
}

// dropInSource removes the listed objects of source s.
func dropInSource(s *Source, has func(typ, name string) bool) {
	kept := s.Tables[:0]
	for _, e := range s.Tables {
		if !has("table", tableObjectName(e.Table, s.Name)) {
			kept = append(kept, e)
		}
	}
	s.Tables = kept
	for i := range s.Tables {
		e := &s.Tables[i]
		named := func(typ, name string) bool { return has(typ, objectName(typ, name, e.Table, s.Name)) }
		for _, k := range []RelKind{ObjectRel, ArrayRel} {
			list := e.rels(k)
			var live []RelationshipEntry
			for _, r := range *list {
				if !named(k.String(), r.Name) {
					live = append(live, r)
				}
			}
			if len(live) < len(*list) {
				*list = live
			}
		}
		for _, pt := range permTypes() {
			list := e.perms(pt)
			var live []json.RawMessage
			for _, raw := range *list {
				if !named(pt+"_permission", permRole(raw)) {
					live = append(live, raw)
				}
			}
			if len(live) < len(*list) {
				*list = live
			}
		}
		for _, l := range []struct {
			typ  string
			list *[]json.RawMessage
		}{{"computed_field", &e.ComputedFields}, {"remote_relationship", &e.RemoteRelationships}, {"event_trigger", &e.EventTriggers}} {
			var live []json.RawMessage
			for _, raw := range *l.list {
				if !named(l.typ, itemName(raw, "name")) {
					live = append(live, raw)
				}
			}
			if len(live) < len(*l.list) {
				*l.list = live
			}
		}
	}
	var fns []json.RawMessage
	for _, raw := range s.Functions {
		n, ok := functionName(raw)
		if !ok || !has("function", "function "+tableText(n)+" in source "+s.Name) {
			fns = append(fns, raw)
		}
	}
	if len(fns) < len(s.Functions) {
		s.Functions = fns
	}
}

// itemName returns the string member key of a JSON object, "" if none.
func itemName(raw json.RawMessage, key string) string {
	var m map[string]json.RawMessage
	if json.Unmarshal(raw, &m) != nil {
		return ""
	}
	var s string
	if json.Unmarshal(m[key], &s) != nil {
		return ""
	}
	return s
}

// dropNamedItems removes from a JSON array section the items whose string
// member key is dropped; the section becomes nil when emptied.
func dropNamedItems(raw json.RawMessage, key string, dropped func(string) bool) json.RawMessage {
	var items []json.RawMessage
	if len(raw) == 0 || json.Unmarshal(raw, &items) != nil {
		return raw
	}
	var live []json.RawMessage
	for _, it := range items {
		if !dropped(itemName(it, key)) {
			live = append(live, it)
		}
	}
	if len(live) == len(items) {
		return raw
	}
	if len(live) == 0 {
		return nil
	}
	b, err := json.Marshal(live)
	if err != nil {
		return raw
	}
	return b
}

// PurgeLoss lists, the way Hasura reports dependent objects, what a purge
// took from tables that survived it: the relationships, permissions and
// computed fields of entries in after that their entry in before had. The
// dropped tables themselves and everything in them are not listed: Hasura
// removes those without asking, and refuses only a run_sql whose DDL would
// cost other objects (unless it has cascade). Column configuration is not
// listed either. The list is sorted.
func PurgeLoss(before, after *Metadata) []string {
	b, a := pickSource(before), pickSource(after)
	if b == nil || a == nil {
		return nil
	}
	var lost []string
	for i := range a.Tables {
		ae := &a.Tables[i]
		j := b.entry(ae.Table)
		if j < 0 {
			continue
		}
		be := &b.Tables[j]
		table := tableText(ae.Table)
		for _, k := range []RelKind{ObjectRel, ArrayRel} {
			for _, r := range *be.rels(k) {
				if _, idx := findRel(ae, r.Name); idx < 0 {
					lost = append(lost, inSource("relationship "+table+"."+r.Name, a.Name))
				}
			}
		}
		for _, pt := range permTypes() {
			for _, raw := range *be.perms(pt) {
				if role := permRole(raw); findPerm(ae, pt, role) < 0 {
					lost = append(lost, inSource("permission "+table+"."+role+"."+pt, a.Name))
				}
			}
		}
		for _, raw := range be.ComputedFields {
			if name := itemName(raw, "name"); rawNamed(ae.ComputedFields, name) < 0 {
				lost = append(lost, inSource("computed field "+table+"."+name, a.Name))
			}
		}
	}
	sort.Strings(lost)
	return lost
}
