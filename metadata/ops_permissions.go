package metadata

import "encoding/json"

// Table permission operations. A permission is kept as Hasura writes it:
// {role, permission, comment}. Creating one checks its shape and that the
// columns (and presets, and computed fields) it names exist.

// adminRole always has every permission; none can be defined for it.
const adminRole = "admin"

// permShape is what Hasura requires of a kind of permission: the
// structure's name in messages, its required keys and the boolean
// expression it defaults to {}.
type permShape struct {
	what     string
	required string // "" when none
	boolExp  string
}

// shapeOf returns the shape of permissions of kind pt.
func shapeOf(pt string) (permShape, bool) {
	switch pt {
	case "insert":
		return permShape{"InsPerm", "", "check"}, true
	case "select":
		return permShape{"SelPerm", "columns", "filter"}, true
	case "update":
		return permShape{"UpdPerm", "columns", "filter"}, true
	case "delete":
		return permShape{"DelPerm", "", "filter"}, true
	}
	return permShape{}, false
}

// permEntry is a permission as stored in a table entry.
type permEntry struct {
	Role       string          `json:"role"`
	Permission json.RawMessage `json:"permission"`
	Comment    *string         `json:"comment,omitempty"`
}

// permDefinition is the definition Hasura reports with an inconsistent
// permission.
type permDefinition struct {
	Source     string          `json:"source"`
	Table      TableName       `json:"table"`
	Role       string          `json:"role"`
	Permission json.RawMessage `json:"permission"`
	Comment    *string         `json:"comment"`
}

// parsePermission checks the shape of permission v of kind pt and adds the
// boolean expressions Hasura defaults to {}.
func parsePermission(pt string, v *value) error {
	shape, _ := shapeOf(pt)
	if err := expectObject(v, shape.what); err != nil {
		return err
	}
	if shape.required != "" {
		if _, err := reqField(v, shape.required); err != nil {
			return err
		}
	}
	if c := v.get("columns"); c != nil {
		if _, err := permColumns(c); err != nil {
			return err
		}
	}
	for _, k := range []string{"set", "filter", "check"} {
		if f := v.get(k); f != nil {
			if err := expectObject(f, "Object"); err != nil {
				return err
			}
		}
	}
	if cf := v.get("computed_fields"); cf != nil {
		if _, err := strList(cf); err != nil {
			return err
		}
	}
	if v.get(shape.boolExp) == nil {
		v.fields = append(v.fields, field{key: shape.boolExp, val: &value{kind: kindObject}})
	}
	return nil
}

// permColumns reads a permission's columns: "*" (nil) or a list.
func permColumns(v *value) ([]string, error) {
	if v.kind == kindString && v.text == "*" {
		return nil, nil
	}
	if v.kind != kindList {
		return nil, parseFailed(v, `expected "*" or an array of column names, encountered %s`, aesonKind(v.kind))
	}
	return strList(v)
}

// strList reads a list of strings.
func strList(v *value) ([]string, error) {
	if v.kind != kindList {
		return nil, parseFailed(v, "parsing [] failed, expected Array, but encountered %s", aesonKind(v.kind))
	}
	out := make([]string, len(v.list))
	for i, it := range v.list {
		s, err := str(it)
		if err != nil {
			return nil, err
		}
		out[i] = s
	}
	return out, nil
}

func createPermOp(pt string) opFunc {
	return func(o *opCtx, a *value) (json.RawMessage, error) { return createPerm(o, a, pt) }
}

func dropPermOp(pt string) opFunc {
	return func(o *opCtx, a *value) (json.RawMessage, error) { return dropPermission(o, a, pt) }
}

func createPerm(o *opCtx, a *value, pt string) (json.RawMessage, error) {
	src, n, err := tableArgs(a, "CreatePerm")
	if err != nil {
		return nil, err
	}
	role, err := reqStr(a, "role")
	if err != nil {
		return nil, err
	}
	pv, err := reqField(a, "permission")
	if err != nil {
		return nil, err
	}
	if err := parsePermission(pt, pv); err != nil {
		return nil, err
	}
	comment, err := optStr(a, "comment")
	if err != nil {
		return nil, err
	}
	_, e, err := o.trackedTable(src, n)
	if err != nil {
		return nil, err
	}
	if role == adminRole || findPerm(e, pt, role) >= 0 {
		return nil, Errorf(CodeAlreadyExists, "$.args", "%s permission already defined on table %s with role %s",
			pt, dquote(tableText(n)), dquote(role))
	}
	entry := permEntry{Role: role, Permission: pv.json(), Comment: comment}
	if inc := o.permInconsistency(src, e, pt, entry, pv); inc != nil {
		return nil, inconsistentError([]Inconsistency{*inc})
	}
	raw, err := marshal(entry)
	if err != nil {
		return nil, err
	}
	list := e.perms(pt)
	*list = append(*list, raw)
	kind := pt + "_permission"
	o.touch(src, kind, objectName(kind, role, n, src))
	return success(), nil
}

// permInconsistency checks the columns, presets and computed fields a new
// permission names, and reports the first missing one as Hasura reports
// an inconsistent permission. It checks nothing when the table is not in
// the catalog.
func (o *opCtx) permInconsistency(src string, e *TableEntry, pt string, p permEntry, pv *value) *Inconsistency {
	cat := o.catFor(src)
	if cat == nil || cat.Table(e.Table) == nil {
		return nil
	}
	ct := cat.Table(e.Table)
	var missing string
	if c := pv.get("columns"); c != nil {
		cols, _ := permColumns(c)
		for _, col := range cols {
			if ct.Column(col) == nil {
				missing = "column " + dquote(col) + " does not exist"
				break
			}
		}
	}
	if set := pv.get("set"); missing == "" && set != nil {
		for _, f := range set.fields {
			if ct.Column(f.key) == nil {
				missing = "column " + dquote(f.key) + " does not exist"
				break
			}
		}
	}
	if cf := pv.get("computed_fields"); missing == "" && cf != nil {
		names, _ := strList(cf)
		for _, name := range names {
			if rawNamed(e.ComputedFields, name) < 0 {
				missing = "computed field " + dquote(name) + " does not exist"
				break
			}
		}
	}
	if missing == "" {
		return nil
	}
	kind := pt + "_permission"
	return &Inconsistency{
		Type: kind,
		Name: objectName(kind, p.Role, e.Table, src),
		Reason: inconsistentPrefix + "in table " + dquote(tableText(e.Table)) +
			": in permission for role " + dquote(p.Role) + ": " + missing,
		Definition: permDefinition{Source: src, Table: e.Table, Role: p.Role, Permission: p.Permission, Comment: p.Comment},
	}
}

// askPerm finds role's permission of kind pt on e, or fails as Hasura does.
func askPerm(e *TableEntry, pt, role string) (int, error) {
	if i := findPerm(e, pt, role); i >= 0 {
		return i, nil
	}
	return -1, Errorf(CodePermissionDenied, "$.args", "'%s' permission on %s for role %s does not exist",
		pt, dquote(tableText(e.Table)), dquote(role))
}

func dropPermission(o *opCtx, a *value, pt string) (json.RawMessage, error) {
	src, n, err := tableArgs(a, "DropPerm")
	if err != nil {
		return nil, err
	}
	role, err := reqStr(a, "role")
	if err != nil {
		return nil, err
	}
	_, e, err := o.trackedTable(src, n)
	if err != nil {
		return nil, err
	}
	if _, err := askPerm(e, pt, role); err != nil {
		return nil, err
	}
	dropPerm(e, pt, role)
	o.touch(src, "", "")
	return success(), nil
}

func opSetPermissionComment(o *opCtx, a *value) (json.RawMessage, error) {
	src, n, err := tableArgs(a, "SetPermComment")
	if err != nil {
		return nil, err
	}
	role, err := reqStr(a, "role")
	if err != nil {
		return nil, err
	}
	tv, err := reqField(a, "type")
	if err != nil {
		return nil, err
	}
	pt, err := str(tv)
	if err != nil {
		return nil, err
	}
	if _, ok := shapeOf(pt); !ok {
		return nil, parseFailed(tv, "expected one of %s, encountered %s", "insert, select, update, delete", pt)
	}
	comment, err := optStr(a, "comment")
	if err != nil {
		return nil, err
	}
	_, e, err := o.trackedTable(src, n)
	if err != nil {
		return nil, err
	}
	i, err := askPerm(e, pt, role)
	if err != nil {
		return nil, err
	}
	var p permEntry
	if err := json.Unmarshal((*e.perms(pt))[i], &p); err != nil {
		return nil, Errorf(CodeUnexpected, "$.args", "stored permission: %s", err.Error())
	}
	p.Comment = comment
	raw, err := marshal(p)
	if err != nil {
		return nil, err
	}
	(*e.perms(pt))[i] = raw
	o.touch(src, "", "")
	return success(), nil
}
