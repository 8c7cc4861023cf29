package metadata

import "encoding/json"

// Relationship operations: create, drop, rename, comment.

// hasField reports whether table entry e of source src has a field called
// name: a column (when the source is introspected), a relationship, a
// computed field or a remote relationship.
func (o *opCtx) hasField(src string, e *TableEntry, name string) bool {
	if cat := o.catFor(src); cat != nil {
		if ct := cat.Table(e.Table); ct != nil && ct.Column(name) != nil {
			return true
		}
	}
	if _, i := findRel(e, name); i >= 0 {
		return true
	}
	return rawNamed(e.ComputedFields, name) >= 0 || rawNamed(e.RemoteRelationships, name) >= 0
}

// isColumn reports whether name is a column of e's table.
func (o *opCtx) isColumn(src string, e *TableEntry, name string) bool {
	if cat := o.catFor(src); cat != nil {
		if ct := cat.Table(e.Table); ct != nil {
			return ct.Column(name) != nil
		}
	}
	return false
}

// findRel returns the kind and index of relationship name of e, index -1
// when there is none.
func findRel(e *TableEntry, name string) (RelKind, int) {
	for i, r := range e.ObjectRelationships {
		if r.Name == name {
			return ObjectRel, i
		}
	}
	for i, r := range e.ArrayRelationships {
		if r.Name == name {
			return ArrayRel, i
		}
	}
	return ObjectRel, -1
}

// rels returns e's list of relationships of kind k.
func (e *TableEntry) rels(k RelKind) *[]RelationshipEntry {
	if k == ArrayRel {
		return &e.ArrayRelationships
	}
	return &e.ObjectRelationships
}

// rawNamed returns the index of the item of list whose "name" is name, or -1.
func rawNamed(list []json.RawMessage, name string) int {
	for i, raw := range list {
		var x struct {
			Name string `json:"name"`
		}
		if json.Unmarshal(raw, &x) == nil && x.Name == name {
			return i
		}
	}
	return -1
}

func opCreateRelationship(o *opCtx, a *value, kind RelKind) (json.RawMessage, error) {
	src, n, err := tableArgs(a, "RelDef")
	if err != nil {
		return nil, err
	}
	var rel RelationshipEntry
	if rel.Name, err = reqStr(a, "name"); err != nil {
		return nil, err
	}
	uv, err := reqField(a, "using")
	if err != nil {
		return nil, err
	}
	if err := rel.Using.decode(uv, kind == ArrayRel); err != nil {
		return nil, decodeErr(err)
	}
	if c, err := optStr(a, "comment"); err != nil {
		return nil, err
	} else if c != nil {
		rel.Comment = *c
	}
	_, e, err := o.trackedTable(src, n)
	if err != nil {
		return nil, err
	}
	if o.hasField(src, e, rel.Name) {
		return nil, Errorf(CodeAlreadyExists, "$.args", "field with name %s already exists in table %s",
			dquote(rel.Name), dquote(tableText(n)))
	}
	list := e.rels(kind)
	*list = append(*list, rel)
	o.touch(src, kind.String(), objectName(kind.String(), rel.Name, n, src))
	return success(), nil
}

// askRel finds relationship name of table e, or fails as Hasura does.
func (o *opCtx) askRel(src string, e *TableEntry, name string) (RelKind, int, error) {
	kind, i := findRel(e, name)
	if i >= 0 {
		return kind, i, nil
	}
	if o.isColumn(src, e, name) {
		return kind, -1, Errorf(CodeUnexpectedPayload, "$.args", "expecting a relationship; but, %s is a postgres column; ", dquote(name))
	}
	return kind, -1, Errorf(CodeNotExists, "$.args", "relationship %s does not exist", dquote(name))
}

// relArgs reads {source, table, <key>} and finds the relationship.
func (o *opCtx) relArgs(a *value, what, key string) (*Source, *TableEntry, RelKind, int, error) {
	src, n, err := tableArgs(a, what)
	if err != nil {
		return nil, nil, 0, -1, err
	}
	name, err := reqStr(a, key)
	if err != nil {
		return nil, nil, 0, -1, err
	}
	s, e, err := o.trackedTable(src, n)
	if err != nil {
		return nil, nil, 0, -1, err
	}
	kind, i, err := o.askRel(src, e, name)
	return s, e, kind, i, err
}

func opDropRelationship(o *opCtx, a *value) (json.RawMessage, error) {
	s, e, kind, i, err := o.relArgs(a, "DropRel", "relationship")
	if err != nil {
		return nil, err
	}
	cascade, err := optBool(a, "cascade")
	if err != nil {
		return nil, err
	}
	name := (*e.rels(kind))[i].Name
	deps := o.fieldDependents(s, e.Table, name, true)
	if len(deps) > 0 && !cascade {
		return nil, dependencyError(deps.names(s.Name))
	}
	o.purge(s, deps)
	*e.rels(kind) = withoutRel(*e.rels(kind), name)
	o.touch(s.Name, "", "")
	return success(), nil
}

func opRenameRelationship(o *opCtx, a *value) (json.RawMessage, error) {
	s, e, kind, i, err := o.relArgs(a, "RenameRel", "name")
	if err != nil {
		return nil, err
	}
	newName, err := reqStr(a, "new_name")
	if err != nil {
		return nil, err
	}
	old := (*e.rels(kind))[i].Name
	if o.hasField(s.Name, e, newName) {
		return nil, Errorf(CodeAlreadyExists, "$.args",
			"cannot rename relationship %s to %s in table %s as a column/relationship with the name already exists",
			dquote(old), dquote(newName), dquote(tableText(e.Table)))
	}
	// Rewrite the permissions that use the relationship, before renaming
	// it, while the walker still finds it under its old name.
	w := o.walker(s)
	for _, p := range permissions(s) {
		changed := false
		for _, ref := range w.refs(p) {
			if ref.isRel && ref.table == e.Table && ref.key == old {
				ref.owner.fields[ref.index].key = newName
				changed = true
			}
		}
		if changed {
			p.save()
		}
	}
	(*e.rels(kind))[i].Name = newName
	o.touch(s.Name, "", "")
	return success(), nil
}

func opSetRelationshipComment(o *opCtx, a *value) (json.RawMessage, error) {
	s, e, kind, i, err := o.relArgs(a, "SetRelComment", "relationship")
	if err != nil {
		return nil, err
	}
	c, err := optStr(a, "comment")
	if err != nil {
		return nil, err
	}
	rel := &(*e.rels(kind))[i]
	rel.Comment = ""
	if c != nil {
		rel.Comment = *c
	}
	o.touch(s.Name, kind.String(), objectName(kind.String(), rel.Name, e.Table, s.Name))
	return success(), nil
}
