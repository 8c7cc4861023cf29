package metadata

import "encoding/json"

// Objects that depend on one an operation drops: Hasura refuses the drop
// without cascade and lists them, or removes them with cascade.

// dependent is a relationship or permission of a table that depends on an
// object being dropped.
type dependent struct {
	table TableName
	rel   string // the relationship's name, or "" for a permission
	role  string // the permission's role
	typ   string // the permission's kind: "select", …
}

type dependents []dependent

// add appends d unless it is already listed.
func (ds *dependents) add(d dependent) {
	for _, x := range *ds {
		if x == d {
			return
		}
	}
	*ds = append(*ds, d)
}

// names renders ds the way Hasura reports dependent objects.
func (ds dependents) names(src string) []string {
	out := make([]string, len(ds))
	for i, d := range ds {
		if d.rel != "" {
			out[i] = inSource("relationship "+tableText(d.table)+"."+d.rel, src)
		} else {
			out[i] = inSource("permission "+tableText(d.table)+"."+d.role+"."+d.typ, src)
		}
	}
	return out
}

func permDependent(p permission) dependent {
	return dependent{table: p.entry.Table, role: p.role, typ: p.typ}
}

// walker returns the boolean expression walker of source s.
func (o *opCtx) walker(s *Source) boolWalker {
	return boolWalker{src: s, cat: o.catFor(s.Name)}
}

// tableDependents lists the objects of other tables that depend on table
// n: relationships to it and permissions whose expressions reach it.
func (o *opCtx) tableDependents(s *Source, n TableName) dependents {
	var ds dependents
	w := o.walker(s)
	for i := range s.Tables {
		e := &s.Tables[i]
		if e.Table == n {
			continue
		}
		for _, list := range [][]RelationshipEntry{e.ObjectRelationships, e.ArrayRelationships} {
			for _, r := range list {
				if t, ok := relationshipTarget(e.Table, r, w.cat); ok && t == n {
					ds.add(dependent{table: e.Table, rel: r.Name})
				}
			}
		}
	}
	for _, p := range permissions(s) {
		if p.entry.Table == n {
			continue
		}
		for _, ref := range w.refs(p) {
			if ref.target != nil && *ref.target == n {
				ds.add(permDependent(p))
				break
			}
		}
	}
	return ds
}

// fieldDependents lists the permissions whose expressions use field name
// of table n; rel says whether it is a relationship.
func (o *opCtx) fieldDependents(s *Source, n TableName, name string, rel bool) dependents {
	var ds dependents
	w := o.walker(s)
	for _, p := range permissions(s) {
		for _, ref := range w.refs(p) {
			if !ref.exists && ref.table == n && ref.key == name && ref.isRel == rel {
				ds.add(permDependent(p))
				break
			}
		}
	}
	return ds
}

// purge removes the dependents ds from source s.
func (o *opCtx) purge(s *Source, ds dependents) {
	for _, d := range ds {
		i := s.entry(d.table)
		if i < 0 {
			continue
		}
		e := &s.Tables[i]
		if d.rel != "" {
			e.ObjectRelationships = withoutRel(e.ObjectRelationships, d.rel)
			e.ArrayRelationships = withoutRel(e.ArrayRelationships, d.rel)
			continue
		}
		dropPerm(e, d.typ, d.role)
	}
}

func withoutRel(list []RelationshipEntry, name string) []RelationshipEntry {
	out := list[:0]
	for _, r := range list {
		if r.Name != name {
			out = append(out, r)
		}
	}
	if len(out) == 0 {
		return nil
	}
	return out
}

// permRole returns the role of a permission entry, "" when it has none.
func permRole(raw json.RawMessage) string {
	var p struct {
		Role string `json:"role"`
	}
	if json.Unmarshal(raw, &p) != nil {
		return ""
	}
	return p.Role
}

// findPerm returns the index of role's permission of kind pt in e, or -1.
func findPerm(e *TableEntry, pt, role string) int {
	for i, raw := range *e.perms(pt) {
		if permRole(raw) == role {
			return i
		}
	}
	return -1
}

// dropPerm removes role's permission of kind pt from e, if any.
func dropPerm(e *TableEntry, pt, role string) {
	list := e.perms(pt)
	if i := findPerm(e, pt, role); i >= 0 {
		*list = append((*list)[:i], (*list)[i+1:]...)
		if len(*list) == 0 {
			*list = nil
		}
	}
}
