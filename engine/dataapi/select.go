package dataapi

import (
	"encoding/json"
	"github.com/trellis-gql/trellis/engine/gqlerr"
	"strconv"

	"github.com/trellis-gql/trellis/engine/plan"
	"github.com/trellis-gql/trellis/metadata"
	"github.com/trellis-gql/trellis/permissions"
)

// selectArgs is a parsed select: the request's arguments, or those of a
// relationship entry in its columns.
type selectArgs struct {
	columns       []selCol
	where         json.RawMessage // nil when absent
	orderBy       []orderArg
	hasOrderBy    bool
	limit, offset *int64
}

// selCol is one entry of "columns" as written.
type selCol struct {
	star  int    // a wildcard: 1 for "*", 2 for "*.*", …; 0 otherwise
	name  string // a column or relationship name
	alias string // a relationship entry's alias
	sub   *selectArgs
}

// orderArg is one order_by item as written.
type orderArg struct {
	path       []string // object relationships, then a column
	desc       bool
	nullsFirst *bool // nil: Postgres' default for the direction
}

// parseSelect reads the arguments of a select (or of a relationship
// entry), as Hasura decodes them before checking anything.
func parseSelect(obj object, path string) (*selectArgs, error) {
	colsRaw, err := required(obj, "columns", path)
	if err != nil {
		return nil, err
	}
	items, err := decodeArray(colsRaw, path+".columns", "[]")
	if err != nil {
		return nil, err
	}
	s := &selectArgs{}
	for i, item := range items {
		c, err := parseSelCol(item, indexPath(path+".columns", i))
		if err != nil {
			return nil, err
		}
		s.columns = append(s.columns, c)
	}
	s.where, _ = obj.get("where")
	if raw, ok := obj.get("order_by"); ok {
		s.hasOrderBy = true
		if s.orderBy, err = parseOrderBy(raw, path+".order_by"); err != nil {
			return nil, err
		}
	}
	for _, k := range []struct {
		key string
		dst **int64
	}{{"limit", &s.limit}, {"offset", &s.offset}} {
		if raw, ok := obj.get(k.key); ok {
			n, err := decodeInt(raw, path+"."+k.key)
			if err != nil {
				return nil, err
			}
			*k.dst = &n
		}
	}
	return s, nil
}

func parseSelCol(raw json.RawMessage, path string) (selCol, error) {
	switch gqlerr.JSONKind(raw) {
	case "String":
		name, _ := decodeString(raw, path, "Text")
		if depth := wildcardDepth(name); depth > 0 {
			return selCol{star: depth}, nil
		}
		return selCol{name: name}, nil
	case "Object":
		obj, err := decodeObject(raw, path, "SelCol")
		if err != nil {
			return selCol{}, err
		}
		nameRaw, err := required(obj, "name", path)
		if err != nil {
			return selCol{}, err
		}
		c := selCol{}
		if c.name, err = decodeString(nameRaw, path+".name", "Text"); err != nil {
			return c, err
		}
		if aliasRaw, ok := obj.get("alias"); ok {
			if c.alias, err = decodeString(aliasRaw, path+".alias", "Text"); err != nil {
				return c, err
			}
		}
		c.sub, err = parseSelect(obj, path)
		return c, err
	}
	return selCol{}, parseErr(path, "A column should either be a string or an object (relationship)")
}

// wildcardDepth returns n for "*" joined n times by ".", 0 for anything else.
func wildcardDepth(s string) int {
	n := 0
	for i := 0; i < len(s); i += 2 {
		if s[i] != '*' || (i+1 < len(s) && s[i+1] != '.') || i+1 == len(s)-1 {
			return 0
		}
		n++
	}
	return n
}

// parseOrderBy reads order_by: a string ("+col", "-col", "rel.col"), an
// object ({column, type, nulls}) or a list of them.
func parseOrderBy(raw json.RawMessage, path string) ([]orderArg, error) {
	var items []json.RawMessage
	switch gqlerr.JSONKind(raw) {
	case "String", "Object":
		items = []json.RawMessage{raw}
	case "Array":
		items, _ = decodeArray(raw, path, "[]")
	default:
		return nil, parseErr(path, "Expecting : array/string/object")
	}
	out := make([]orderArg, 0, len(items))
	for i, item := range items {
		ip := indexPath(path, i)
		var o orderArg
		var err error
		switch gqlerr.JSONKind(item) {
		case "String":
			o, err = parseOrderString(item, ip)
		case "Object":
			o, err = parseOrderObject(item, ip)
		default:
			err = parseErr(ip, "expecting an object or string for order by")
		}
		if err != nil {
			return nil, err
		}
		out = append(out, o)
	}
	return out, nil
}

func parseOrderString(raw json.RawMessage, path string) (orderArg, error) {
	s, _ := decodeString(raw, path, "Text")
	o := orderArg{}
	if len(s) > 0 && (s[0] == '+' || s[0] == '-') {
		o.desc = s[0] == '-'
		s = s[1:]
	}
	var ok bool
	if o.path, ok = columnPath(s); !ok {
		return o, parseErr(path, "string format for 'order_by' entry : {+/-}column Eg : +posted")
	}
	return o, nil
}

func parseOrderObject(raw json.RawMessage, path string) (orderArg, error) {
	obj, err := decodeObject(raw, path, "OrderByItem")
	if err != nil {
		return orderArg{}, err
	}
	colRaw, err := required(obj, "column", path)
	if err != nil {
		return orderArg{}, err
	}
	col, err := decodeString(colRaw, path+".column", "Text")
	if err != nil {
		return orderArg{}, err
	}
	o := orderArg{}
	var ok bool
	if o.path, ok = columnPath(col); !ok {
		return o, parseErr(path+".column", "column name cannot be empty")
	}
	if raw, ok := obj.get("type"); ok {
		switch s, _ := decodeString(raw, path+".type", "Text"); s {
		case "asc":
		case "desc":
			o.desc = true
		default:
			return o, parseErr(path+".type", "expecting asc or desc")
		}
	}
	if raw, ok := obj.get("nulls"); ok {
		first := false
		switch s, _ := decodeString(raw, path+".nulls", "Text"); s {
		case "first":
			first = true
		case "last":
		default:
			return o, parseErr(path+".nulls", "expecting first or last")
		}
		o.nullsFirst = &first
	}
	return o, nil
}

// columnPath splits "rel.rel.col" into its segments; none may be empty.
func columnPath(s string) ([]string, bool) {
	var segs []string
	start := 0
	for i := 0; i <= len(s); i++ {
		if i == len(s) || s[i] == '.' {
			if i == start {
				return nil, false
			}
			segs = append(segs, s[start:i])
			start = i + 1
		}
	}
	return segs, true
}

// reader compiles a select of a role (or the admin) over a model.
type reader struct {
	m   *metadata.Model
	acc Access
}

// resolved is a column entry after relationships are looked up and
// wildcards expanded.
type resolved struct {
	name  string // the column, or the relationship
	rel   *metadata.Relationship
	alias string
	args  *selectArgs         // a relationship's select
	cols  []resolved          // a relationship's resolved columns
	perm  *permissions.Select // the role's permission on a relationship's target
}

// resolve checks the relationship entries of a select and expands its
// wildcards, as Hasura's resolveStar: the entries written (other than
// wildcards) come first, in order, then the wildcard's columns (and, for
// "*.*", relationships) that were not written. A role's wildcard expands
// to the columns it may select, and to the relationships whose target it
// may select; a relationship written needs the target's permission.
func (rd reader) resolve(t *metadata.Table, perm *permissions.Select, args *selectArgs, path string) ([]resolved, error) {
	var out []resolved
	depth := 0
	for i, c := range args.columns {
		switch {
		case c.star > 0:
			depth = max(depth, c.star)
		case c.sub != nil:
			cp := indexPath(path+".columns", i)
			r := relationship(t, c.name)
			if r == nil {
				if column(t, c.name) != nil {
					return nil, metadata.Errorf(codeUnexpectedPayload, cp+".name", "expecting a relationship; but, %q is a postgres column; only relationships can be expanded", c.name)
				}
				return nil, metadata.Errorf(metadata.CodeNotExists, cp+".name", "relationship %q does not exist", c.name)
			}
			rperm, err := rd.relPerm(r, cp)
			if err != nil {
				return nil, err
			}
			cols, err := rd.resolve(r.Target, rperm, c.sub, cp)
			if err != nil {
				return nil, err
			}
			out = append(out, resolved{name: c.name, rel: r, alias: c.alias, args: c.sub, cols: cols, perm: rperm})
		default:
			out = append(out, resolved{name: c.name})
		}
	}
	written := len(out)
	for _, w := range rd.wildcard(t, perm, depth) {
		dup := false
		for _, o := range out[:written] {
			if o.name == w.name && (o.rel == nil) == (w.rel == nil) {
				dup = true
				break
			}
		}
		if !dup {
			out = append(out, w)
		}
	}
	return out, nil
}

// wildcard expands a wildcard of the given depth over t: every column, and
// below depth 1 every relationship with the wildcard one level down.
func (rd reader) wildcard(t *metadata.Table, perm *permissions.Select, depth int) []resolved {
	if depth == 0 {
		return nil
	}
	var out []resolved
	for _, c := range t.Columns {
		if perm == nil || perm.Columns.Has(c.Name) {
			out = append(out, resolved{name: c.Name})
		}
	}
	if depth == 1 {
		return out
	}
	for _, rels := range [][]*metadata.Relationship{t.ObjectRelationships, t.ArrayRelationships} {
		for _, r := range rels {
			rperm, err := rd.acc.selectPerm(r.Target, "")
			if err != nil {
				continue // a role skips what it cannot select
			}
			out = append(out, resolved{name: r.Name, rel: r, args: &selectArgs{}, cols: rd.wildcard(r.Target, rperm, depth-1), perm: rperm})
		}
	}
	return out
}

// relPerm is the role's select permission on a relationship's target,
// with Hasura's fetchRelDet error when it has none.
func (rd reader) relPerm(r *metadata.Relationship, path string) (*permissions.Select, error) {
	if rd.acc.admin() {
		return nil, nil
	}
	if p := rd.acc.Role.Table(r.Target); p != nil && p.Select != nil {
		return p.Select, nil
	}
	return nil, metadata.Errorf(codePermissionDenied, path, "role %q does not have permission to read relationship %q; no permission on table %q", rd.acc.Role.Name, r.Name, tableText(r.Target.Info.Name))
}

// convert builds the select of table t: the rows (joined to the outer row
// by join when nested), then their fields, order and page. It checks in
// Hasura's order: where, columns, order_by, limit and offset. A role's
// permission perm (nil for the admin) narrows the rows and caps them.
func (rd reader) convert(t *metadata.Table, perm *permissions.Select, args *selectArgs, cols []resolved, path string) (*plan.Select, error) {
	m := rd.m
	s := &plan.Select{Table: t.Info, Shape: plan.ShapeArray}
	if args.where != nil {
		w, err := boolExp(m, t, args.where, path+".where")
		if err != nil {
			return nil, err
		}
		if w, err = rd.acc.guard(m, t, perm, w, path+".where"); err != nil {
			return nil, err
		}
		s.From.Where = w
	}
	s.From.Where = conjoin(rd.acc.filter(m, perm), s.From.Where)
	if perm != nil {
		s.From.Cap = perm.Limit
	}
	for i, c := range cols {
		cp := indexPath(path+".columns", i)
		if c.rel == nil {
			if err := rd.acc.columnReadable(perm, c.name, cp); err != nil {
				return nil, err
			}
			if column(t, c.name) == nil {
				return nil, noSuchColumn(cp, c.name)
			}
			s.Fields = append(s.Fields, plan.Field{Alias: c.name, Kind: plan.FieldColumn, Column: c.name})
			continue
		}
		sub, err := rd.relSelect(c, cp)
		if err != nil {
			return nil, err
		}
		alias := c.alias
		if alias == "" {
			alias = c.name
		}
		s.Fields = append(s.Fields, plan.Field{Alias: alias, Kind: plan.FieldSelect, Select: sub})
	}
	for i, o := range args.orderBy {
		item, err := rd.orderItem(t, perm, o, indexPath(path+".order_by", i))
		if err != nil {
			return nil, err
		}
		s.From.OrderBy = append(s.From.OrderBy, item)
	}
	for _, p := range []struct {
		key string
		n   *int64
		dst **plan.Value
	}{{"limit", args.limit, &s.From.Limit}, {"offset", args.offset, &s.From.Offset}} {
		if p.n == nil {
			continue
		}
		if *p.n < 0 {
			return nil, metadata.Errorf(metadata.CodeNotSupported, path+"."+p.key, "unexpected negative value")
		}
		*p.dst = &plan.Value{Text: strconv.FormatInt(*p.n, 10)}
	}
	return s, nil
}

// relSelect builds the nested select of a relationship entry: an object
// (or null) for an object relationship, which takes no where, order_by,
// limit or offset; an array for an array relationship.
func (rd reader) relSelect(c resolved, path string) (*plan.Select, error) {
	sub, err := rd.convert(c.rel.Target, c.perm, c.args, c.cols, path)
	if err != nil {
		return nil, err
	}
	for _, p := range c.rel.Mapping {
		sub.From.Join = append(sub.From.Join, plan.ColumnPair{Outer: p.From, Inner: p.To})
	}
	if c.rel.Kind == metadata.ObjectRel {
		a := c.args
		if a.where != nil || a.hasOrderBy || a.limit != nil || a.offset != nil {
			return nil, metadata.Errorf(codeUnexpectedPayload, path, "when selecting an 'obj_relationship' 'where', 'order_by', 'limit' and 'offset'  can't be used")
		}
		sub.Shape = plan.ShapeObject
	}
	return sub, nil
}

// orderItem resolves an order_by path: object relationships, then a
// column of the last table reached. A role must be able to select that
// column and the relationships' targets, whose filters apply to the hops.
func (rd reader) orderItem(t *metadata.Table, perm *permissions.Select, o orderArg, path string) (plan.OrderItem, error) {
	item := plan.OrderItem{Desc: o.desc, NullsFirst: o.desc}
	if o.nullsFirst != nil {
		item.NullsFirst = *o.nullsFirst
	}
	for i, seg := range o.path {
		last := i == len(o.path)-1
		c, r := column(t, seg), relationship(t, seg)
		switch {
		case c == nil && r == nil:
			return item, metadata.Errorf(metadata.CodeNotExists, path, "%q does not exist", seg)
		case last && c == nil:
			return item, metadata.Errorf(codeUnexpectedPayload, path, "%q is a relationship and should be expanded", seg)
		case last:
			if err := rd.acc.columnReadable(perm, seg, path); err != nil {
				return item, err
			}
			item.Column = seg
		case c != nil:
			return item, metadata.Errorf(codeUnexpectedPayload, path, "%q is a Postgres column and cannot be chained further", seg)
		case r.Kind == metadata.ArrayRel:
			return item, metadata.Errorf(codeUnexpectedPayload, path, "%q is an array relationship and can't be used in 'order_by'", seg)
		default:
			hop := plan.Hop{Table: r.Target.Info}
			for _, p := range r.Mapping {
				hop.Join = append(hop.Join, plan.ColumnPair{Outer: p.From, Inner: p.To})
			}
			rperm, err := rd.relPerm(r, path)
			if err != nil {
				return item, err
			}
			hop.Where = rd.acc.filter(rd.m, rperm)
			item.Path = append(item.Path, hop)
			t, perm = r.Target, rperm
		}
	}
	return item, nil
}
