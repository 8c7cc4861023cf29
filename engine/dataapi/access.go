package dataapi

import (
	"fmt"

	"github.com/trellis-gql/trellis/engine/catalog"
	"github.com/trellis-gql/trellis/engine/plan"
	"github.com/trellis-gql/trellis/metadata"
	"github.com/trellis-gql/trellis/permissions"
)

// Access is who runs a data request. The zero value is the admin, who
// bypasses every permission; any other role reads through its select
// permissions (Hasura.RQL.DML.Internal): the row filter is ANDed into
// every read, only the permitted columns can be read or compared, and the
// permission's limit caps the rows.
type Access struct {
	// Role is the role's compiled permissions; nil means the admin.
	Role *permissions.Role
	// Session is the JSON object of the session variables the filters
	// read; it is bound as an argument, never written into the SQL.
	Session string
	// Vars are the session variables, names lower-cased.
	Vars map[string]string
}

// admin reports whether the access bypasses permissions.
func (a Access) admin() bool { return a.Role == nil || a.Role.Admin() }

// notAllowed is Hasura's assertAskPermInfo error: the role has no
// permission of kind on t.
func (a Access) notAllowed(kind string, t *metadata.Table, path string) error {
	return metadata.Errorf(codePermissionDenied, path, "%s on %q for role %q is not allowed. ", kind, tableText(t.Info.Name), a.Role.Name)
}

// selectPerm is the role's select permission on t; nil for the admin.
func (a Access) selectPerm(t *metadata.Table, path string) (*permissions.Select, error) {
	if a.admin() {
		return nil, nil
	}
	if p := a.Role.Table(t); p != nil && p.Select != nil {
		return p.Select, nil
	}
	return nil, a.notAllowed("select", t, path)
}

// columnReadable checks that the role may select column name of a table
// whose select permission is sel (nil: the admin).
func (a Access) columnReadable(sel *permissions.Select, name, path string) error {
	if sel == nil || sel.Columns.Has(name) {
		return nil
	}
	return metadata.Errorf(codePermissionDenied, path, "role %q does not have permission to select column %q", a.Role.Name, name)
}

// filter is the select permission's row filter as IR; nil for none.
func (a Access) filter(m *metadata.Model, sel *permissions.Select) plan.BoolExp {
	if sel == nil {
		return nil
	}
	f, _ := plan.PermissionFilter(m.Catalog, sel.Filter)
	return f
}

// requireVars checks that the session has every variable the select
// permission's filter reads (Hasura's validateHeaders).
func (a Access) requireVars(m *metadata.Model, sel *permissions.Select) error {
	if sel == nil {
		return nil
	}
	_, vars := plan.PermissionFilter(m.Catalog, sel.Filter)
	for _, v := range vars {
		if _, ok := a.Vars[v]; !ok {
			return metadata.Errorf(codeNotFound, argsPath, "%q header is expected but not found", v)
		}
	}
	return nil
}

// guard checks a boolean expression over t against the role's select
// permissions: every column it compares must be readable, and every table
// it reaches through a relationship or $exists must be selectable, its
// filter ANDed in. The admin's expression is returned as is.
func (a Access) guard(m *metadata.Model, t *metadata.Table, sel *permissions.Select, e plan.BoolExp, path string) (plan.BoolExp, error) {
	if a.admin() || e == nil {
		return e, nil
	}
	switch e := e.(type) {
	case plan.And:
		return a.guardAll(m, t, sel, e, path, func(xs []plan.BoolExp) plan.BoolExp { return plan.And(xs) })
	case plan.Or:
		return a.guardAll(m, t, sel, e, path, func(xs []plan.BoolExp) plan.BoolExp { return plan.Or(xs) })
	case plan.Not:
		inner, err := a.guard(m, t, sel, e.Exp, path)
		return plan.Not{Exp: inner}, err
	case plan.Compare:
		return e, a.columnReadable(sel, e.Column, path)
	case plan.Exists:
		target := m.Table(e.Table.Name)
		if target == nil {
			return nil, fmt.Errorf("dataapi: table %s of a boolean expression is not tracked", e.Table.Name.Name)
		}
		tsel, err := a.selectPerm(target, path)
		if err != nil {
			return nil, err
		}
		inner, err := a.guard(m, target, tsel, e.Where, path)
		if err != nil {
			return nil, err
		}
		e.Where = conjoin(a.filter(m, tsel), inner)
		if e.Where == nil {
			e.Where = plan.And{}
		}
		return e, nil
	}
	return e, nil
}

func (a Access) guardAll(m *metadata.Model, t *metadata.Table, sel *permissions.Select, xs []plan.BoolExp, path string, mk func([]plan.BoolExp) plan.BoolExp) (plan.BoolExp, error) {
	out := make([]plan.BoolExp, len(xs))
	for i, x := range xs {
		g, err := a.guard(m, t, sel, x, path)
		if err != nil {
			return nil, err
		}
		out[i] = g
	}
	return mk(out), nil
}

// hopFilter is the select filter a role's order_by applies to the target
// of an object relationship it follows.
func (a Access) hopFilter(m *metadata.Model, target *metadata.Table, path string) (plan.BoolExp, error) {
	sel, err := a.selectPerm(target, path)
	if err != nil {
		return nil, err
	}
	return a.filter(m, sel), nil
}

// conjoin conjoins two optional expressions.
func conjoin(a, b plan.BoolExp) plan.BoolExp {
	switch {
	case a == nil:
		return b
	case b == nil:
		return a
	}
	return plan.And{a, b}
}

// writeRefused refuses a mutation by a role: Hasura's permission error
// when the role has no permission of that kind on the table; otherwise
// not-supported, as this server does not yet apply a role's mutation
// permissions through the data API.
func (a Access) writeRefused(m *metadata.Model, kind string, name catalog.QualifiedName) error {
	t, err := lookupTable(m, name, argsPath+".table")
	if err != nil {
		return err
	}
	p := a.Role.Table(t)
	granted := p != nil && (kind == "insert" && p.Insert != nil || kind == "update" && p.Update != nil || kind == "delete" && p.Delete != nil)
	if !granted {
		return a.notAllowed(kind, t, argsPath)
	}
	return metadata.Errorf(metadata.CodeNotSupported, argsPath, "%s through /v1/query is not supported for role %q; use /v1/graphql", kind, a.Role.Name)
}
