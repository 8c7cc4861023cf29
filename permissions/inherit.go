package permissions

import (
	"encoding/json"
	"fmt"

	"github.com/trellis-gql/trellis/engine/catalog"
	"github.com/trellis-gql/trellis/metadata"
)

// Inherited roles (Hasura's inherited_roles) take the permissions of their
// parent roles, table by table, unless they define their own (which win,
// kind by kind). A parent role without a permission of a kind on a table
// does not count for it. As in Hasura (RQL.Types.Roles.Internal,
// combinedSelPermInfoToSelPermInfo):
//
//   - select: the rows are those any parent may read (the OR of their
//     filters); the columns and computed fields are the union of theirs,
//     but a cell shows only in the rows of the parents that allow its
//     column (CellFilters); the limit is the largest of the parents'
//     limits, aggregations are allowed when any parent allows them, and
//     the root fields are the union of theirs;
//   - insert, update, delete: the parents' permission when all of them
//     have the same one; when they differ the role gets none (a problem).
//
// A parent that is itself an inherited role counts with the permissions it
// inherited; its own cell filters do not carry over, as in Hasura, which
// combines only the parents' row filters.

// inheritedRole is an entry of the metadata's inherited_roles.
type inheritedRole struct {
	Name    string   `json:"role_name"`
	Parents []string `json:"role_set"`
}

// kindKey names a role's permission of one kind on one table.
type kindKey struct {
	role  string
	table catalog.QualifiedName
	kind  string
}

// inheritor derives the permissions of inherited roles into a Set.
type inheritor struct {
	set *Set
	// sources holds the JSON text of each mutation permission, by which
	// parents' permissions are compared.
	sources map[kindKey]string
}

// inherit adds the permissions of the model's inherited roles to s.
func (s *Set) inherit(m *metadata.Model) {
	if len(m.InheritedRoles) == 0 {
		return
	}
	var roles []inheritedRole
	if err := json.Unmarshal(m.InheritedRoles, &roles); err != nil {
		s.Problems = append(s.Problems, fmt.Sprintf("inherited_roles: %v", err))
		return
	}
	in := &inheritor{set: s, sources: mutationSources(m)}
	for _, r := range s.orderInherited(roles) {
		for _, t := range m.Tables {
			in.table(r, t.Info.Name)
		}
	}
}

// mutationSources reads the JSON text of every role's insert, update and
// delete permission.
func mutationSources(m *metadata.Model) map[kindKey]string {
	out := map[kindKey]string{}
	for _, t := range m.Tables {
		for kind, entries := range map[string][]json.RawMessage{
			"insert": t.Permissions.Insert, "update": t.Permissions.Update, "delete": t.Permissions.Delete,
		} {
			for _, raw := range entries {
				if role, perm, err := entry(raw); err == nil {
					out[kindKey{role, t.Info.Name, kind}] = string(perm.raw)
				}
			}
		}
	}
	return out
}

// orderInherited orders inherited roles so that each comes after the
// inherited roles it inherits from; roles whose parents form a cycle are
// left out and listed as problems.
func (s *Set) orderInherited(roles []inheritedRole) []inheritedRole {
	byName := map[string]inheritedRole{}
	for _, r := range roles {
		byName[r.Name] = r
	}
	const visiting, done = 1, 2
	state := map[string]int{}
	var out []inheritedRole
	var visit func(name string) bool
	visit = func(name string) bool {
		r, inherited := byName[name]
		switch {
		case !inherited || state[name] == done:
			return true
		case state[name] == visiting:
			return false
		}
		state[name] = visiting
		for _, p := range r.Parents {
			if !visit(p) {
				return false
			}
		}
		state[name] = done
		out = append(out, r)
		return true
	}
	for _, r := range roles {
		if !visit(r.Name) {
			s.Problems = append(s.Problems, fmt.Sprintf("inherited role %q: its parent roles form a cycle", r.Name))
		}
	}
	return out
}

// table derives r's permissions on one table from its parents'.
func (in *inheritor) table(r inheritedRole, name catalog.QualifiedName) {
	var own Table
	if t := in.set.roles[r.Name].tableOrNil(name); t != nil {
		own = *t
	}
	var parents []*Table
	for _, p := range r.Parents {
		if t := in.set.roles[p].tableOrNil(name); t != nil {
			parents = append(parents, t)
		}
	}
	var selects []*Select
	for _, p := range parents {
		if p.Select != nil {
			selects = append(selects, p.Select)
		}
	}
	if own.Select == nil && len(selects) > 0 {
		in.set.table(r.Name, name).Select = combineSelects(selects)
	}
	if own.Insert == nil {
		if p := in.agreed(r, name, "insert", func(t *Table) bool { return t.Insert != nil }); p != nil {
			in.set.table(r.Name, name).Insert = p.Insert
		}
	}
	if own.Update == nil {
		if p := in.agreed(r, name, "update", func(t *Table) bool { return t.Update != nil }); p != nil {
			in.set.table(r.Name, name).Update = p.Update
		}
	}
	if own.Delete == nil {
		if p := in.agreed(r, name, "delete", func(t *Table) bool { return t.Delete != nil }); p != nil {
			in.set.table(r.Name, name).Delete = p.Delete
		}
	}
}

// agreed returns the permissions of the parent whose permission of a kind
// r inherits: nil when no parent has one, or when the parents' differ
// (then a problem is listed). The inherited permission's text is recorded
// for roles that inherit from r.
func (in *inheritor) agreed(r inheritedRole, table catalog.QualifiedName, kind string, has func(*Table) bool) *Table {
	var found *Table
	source := ""
	for _, p := range r.Parents {
		t := in.set.roles[p].tableOrNil(table)
		if t == nil || !has(t) {
			continue
		}
		text := in.sources[kindKey{p, table, kind}]
		if found != nil && text != source {
			in.set.Problems = append(in.set.Problems, fmt.Sprintf(
				"%s permission of inherited role %q on %s: its parent roles' permissions differ", kind, r.Name, table.Name))
			return nil
		}
		found, source = t, text
	}
	if found != nil {
		in.sources[kindKey{r.Name, table, kind}] = source
	}
	return found
}

// combineSelects builds the select permission of an inherited role from
// its parents' (at least one).
func combineSelects(parents []*Select) *Select {
	out := &Select{Columns: ColumnSet{}, ComputedFields: map[string]bool{}}
	rows := make(Or, 0, len(parents))
	everyRow := false
	for i, p := range parents {
		f := p.Filter
		if f == nil {
			f, everyRow = And{}, true
		}
		rows = append(rows, f)
		for c := range p.Columns {
			out.Columns[c] = true
		}
		for c := range p.ComputedFields {
			out.ComputedFields[c] = true
		}
		out.Limit = max(out.Limit, p.Limit)
		out.AllowAggregations = out.AllowAggregations || p.AllowAggregations
		if i == 0 {
			out.QueryRootFields, out.SubscriptionRootFields = p.QueryRootFields, p.SubscriptionRootFields
		} else {
			out.QueryRootFields = unionRootFields(out.QueryRootFields, p.QueryRootFields)
			out.SubscriptionRootFields = unionRootFields(out.SubscriptionRootFields, p.SubscriptionRootFields)
		}
	}
	if !everyRow {
		out.Filter = rows
		if len(rows) == 1 {
			out.Filter = rows[0]
		}
	}
	for c := range out.Columns {
		out.addCellFilter(c, parents, func(p *Select) bool { return p.Columns[c] })
	}
	for c := range out.ComputedFields {
		out.addCellFilter(c, parents, func(p *Select) bool { return p.ComputedFields[c] })
	}
	return out
}

// addCellFilter sets the cell filter of a column or computed field: the
// OR of the filters of the parents that allow it, none when every parent
// does or one that allows it reads every row.
func (p *Select) addCellFilter(field string, parents []*Select, allows func(*Select) bool) {
	var rows Or
	for _, parent := range parents {
		if !allows(parent) {
			continue
		}
		if parent.Filter == nil {
			return
		}
		rows = append(rows, parent.Filter)
	}
	if len(rows) == len(parents) {
		return
	}
	if p.CellFilters == nil {
		p.CellFilters = map[string]BoolExp{}
	}
	p.CellFilters[field] = rows
	if len(rows) == 1 {
		p.CellFilters[field] = rows[0]
	}
}

// unionRootFields combines two root field lists; nil (all) wins.
func unionRootFields(a, b []string) []string {
	if a == nil || b == nil {
		return nil
	}
	out := append([]string{}, a...)
	for _, f := range b {
		if !contains(out, f) {
			out = append(out, f)
		}
	}
	return out
}

// tableOrNil returns r's permissions on a table; nil for none or a nil r.
func (r *Role) tableOrNil(name catalog.QualifiedName) *Table {
	if r == nil {
		return nil
	}
	return r.tables[name]
}
