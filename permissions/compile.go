package permissions

import (
	"encoding/json"
	"fmt"
	"strconv"

	"github.com/trellis-gql/trellis/engine/catalog"
	"github.com/trellis-gql/trellis/metadata"
)

// Compile builds the permissions of every role from a resolved model.
func Compile(m *metadata.Model) *Set {
	s := &Set{roles: map[string]*Role{}}
	c := &compiler{model: m}
	for _, t := range m.Tables {
		kinds := []struct {
			name    string
			entries []json.RawMessage
			add     func(*Table, *node) error
		}{
			{"select", t.Permissions.Select, func(p *Table, n *node) (err error) { p.Select, err = c.selectPerm(n, t); return }},
			{"insert", t.Permissions.Insert, func(p *Table, n *node) (err error) { p.Insert, err = c.insertPerm(n, t); return }},
			{"update", t.Permissions.Update, func(p *Table, n *node) (err error) { p.Update, err = c.updatePerm(n, t); return }},
			{"delete", t.Permissions.Delete, func(p *Table, n *node) (err error) { p.Delete, err = c.deletePerm(n, t); return }},
		}
		for _, k := range kinds {
			for _, raw := range k.entries {
				role, perm, err := entry(raw)
				if err == nil {
					err = k.add(s.table(role, t.Info.Name), perm)
				}
				if err != nil {
					s.Problems = append(s.Problems, fmt.Sprintf("%s permission of role %q on %s: %v", k.name, role, t.Info.Name.Name, err))
				}
			}
		}
	}
	s.inherit(m)
	return s
}

// table returns role's permissions on a table, made on first use.
func (s *Set) table(role string, name catalog.QualifiedName) *Table {
	r := s.roles[role]
	if r == nil {
		r = &Role{Name: role, tables: map[catalog.QualifiedName]*Table{}}
		s.roles[role] = r
	}
	p := r.tables[name]
	if p == nil {
		p = &Table{}
		r.tables[name] = p
	}
	return p
}

// entry reads a permission entry {role, permission}.
func entry(raw json.RawMessage) (string, *node, error) {
	n, err := parseNode(raw)
	if err != nil {
		return "", nil, err
	}
	role, perm := n.get("role"), n.get("permission")
	if role == nil || role.kind != 's' || perm == nil || perm.kind != 'o' {
		return "", nil, fmt.Errorf("expected {role, permission}")
	}
	return role.str, perm, nil
}

func (c *compiler) selectPerm(n *node, t *metadata.Table) (*Select, error) {
	p := &Select{ComputedFields: map[string]bool{}}
	var err error
	if p.Columns, err = columns(n.get("columns"), t); err != nil {
		return nil, err
	}
	if cf := n.get("computed_fields"); cf != nil {
		names, err := cf.strings()
		if err != nil {
			return nil, err
		}
		for _, name := range names {
			p.ComputedFields[name] = true
		}
	}
	if p.Filter, err = c.optBoolExp(n.get("filter"), t); err != nil {
		return nil, err
	}
	if l := n.get("limit"); l != nil && l.kind == 'n' {
		if p.Limit, err = strconv.Atoi(l.str); err != nil || p.Limit < 0 {
			return nil, fmt.Errorf("limit must be a non-negative integer")
		}
	}
	if a := n.get("allow_aggregations"); a != nil {
		p.AllowAggregations = a.kind == 'b' && a.str == "true"
	}
	if p.QueryRootFields, err = rootFields(n.get("query_root_fields")); err != nil {
		return nil, err
	}
	if p.SubscriptionRootFields, err = rootFields(n.get("subscription_root_fields")); err != nil {
		return nil, err
	}
	return p, nil
}

func (c *compiler) insertPerm(n *node, t *metadata.Table) (*Insert, error) {
	p := &Insert{BackendOnly: flag(n.get("backend_only"))}
	cols := n.get("columns")
	if cols == nil { // an insert permission without columns allows all
		cols = &node{kind: 's', str: "*"}
	}
	var err error
	if p.Columns, err = columns(cols, t); err != nil {
		return nil, err
	}
	if p.Check, err = c.optBoolExp(n.get("check"), t); err != nil {
		return nil, err
	}
	p.Set, err = presets(n.get("set"), t)
	return p, err
}

func (c *compiler) updatePerm(n *node, t *metadata.Table) (*Update, error) {
	p := &Update{BackendOnly: flag(n.get("backend_only"))}
	var err error
	if p.Columns, err = columns(n.get("columns"), t); err != nil {
		return nil, err
	}
	if p.Filter, err = c.optBoolExp(n.get("filter"), t); err != nil {
		return nil, err
	}
	if p.Check, err = c.optBoolExp(n.get("check"), t); err != nil {
		return nil, err
	}
	p.Set, err = presets(n.get("set"), t)
	return p, err
}

func (c *compiler) deletePerm(n *node, t *metadata.Table) (*Delete, error) {
	p := &Delete{BackendOnly: flag(n.get("backend_only"))}
	var err error
	p.Filter, err = c.optBoolExp(n.get("filter"), t)
	return p, err
}

// optBoolExp compiles an optional expression; absent or {} is nil.
func (c *compiler) optBoolExp(n *node, t *metadata.Table) (BoolExp, error) {
	if n == nil || n.kind == 'z' {
		return nil, nil
	}
	return c.boolExp(n, t)
}

// columns reads "*" (every column) or a list of column names; absent is
// none.
func columns(n *node, t *metadata.Table) (ColumnSet, error) {
	out := ColumnSet{}
	if n == nil {
		return out, nil
	}
	if n.kind == 's' && n.str == "*" {
		for _, c := range t.Columns {
			out[c.Name] = true
		}
		return out, nil
	}
	names, err := n.strings()
	if err != nil {
		return nil, err
	}
	for _, name := range names {
		if t.Info.Column(name) == nil {
			return nil, fmt.Errorf("no such column: %q", name)
		}
		out[name] = true
	}
	return out, nil
}

// presets reads a "set" object: column → literal or session variable.
func presets(n *node, t *metadata.Table) ([]Preset, error) {
	if n == nil || n.kind == 'z' {
		return nil, nil
	}
	if n.kind != 'o' {
		return nil, fmt.Errorf("set: expected an object")
	}
	out := make([]Preset, 0, len(n.keys))
	for i, name := range n.keys {
		col := t.Info.Column(name)
		if col == nil {
			return nil, fmt.Errorf("no such column: %q", name)
		}
		out = append(out, Preset{Column: col, Value: operand(n.vals[i])})
	}
	return out, nil
}

func rootFields(n *node) ([]string, error) {
	if n == nil || n.kind == 'z' {
		return nil, nil
	}
	list, err := n.strings()
	if list == nil && err == nil {
		list = []string{}
	}
	return list, err
}

func flag(n *node) bool { return n != nil && n.kind == 'b' && n.str == "true" }

// HasComputedField reports whether the permission reads a computed field.
func (p *Select) HasComputedField(name string) bool {
	return p.ComputedFields == nil || p.ComputedFields[name]
}

// HasRootField reports whether the role has a query root field of the
// table ("select", "select_by_pk", "select_aggregate").
func (p *Select) HasRootField(kind string) bool {
	if p.QueryRootFields == nil {
		return true
	}
	return contains(p.QueryRootFields, kind)
}

// HasSubscriptionRootField reports whether the role has a subscription
// root field of the table ("select", "select_by_pk", "select_aggregate",
// "select_stream").
func (p *Select) HasSubscriptionRootField(kind string) bool {
	if p.SubscriptionRootFields == nil {
		return true
	}
	return contains(p.SubscriptionRootFields, kind)
}
