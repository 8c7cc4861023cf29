package plan

import (
	"bytes"
	"encoding/json"
	"maps"
	"slices"

	"github.com/trellis-gql/trellis/engine/catalog"
	"github.com/trellis-gql/trellis/engine/gqlerr"
	"github.com/trellis-gql/trellis/engine/schema"
	"github.com/trellis-gql/trellis/metadata"
	"github.com/trellis-gql/trellis/permissions"
)

// The role's permissions, folded into the IR: a table's select filter is
// ANDed into every read of it (root fields, relationships, aggregates,
// functions, computed fields, mutation results, and relationships a where
// clause follows), its limit caps the rows. Literal operands become
// values; session variables become Values with Session set, read from the
// statement's session argument, so the SQL text never holds them and the
// plan cache can rebind them.

// readable narrows rows to those the role may select from t and caps
// them by the permission's limit.
func (p *planner) readable(t *schema.Table, rows *Rows) {
	rows.Where = conjoin(p.permission(t.Perm.Select.Filter), rows.Where)
	rows.Cap = t.Perm.Select.Limit
}

// cells converts the role's cell filters on t; nil for none.
func (p *planner) cells(t *schema.Table) map[string]BoolExp {
	filters := t.Perm.Select.CellFilters
	if len(filters) == 0 {
		return nil
	}
	out := make(map[string]BoolExp, len(filters))
	for _, field := range slices.Sorted(maps.Keys(filters)) {
		out[field] = p.permission(filters[field])
	}
	return out
}

// selectFilter is the role's select filter on t as IR, nil for none.
func (p *planner) selectFilter(t *schema.Table) BoolExp {
	return p.permission(t.Perm.Select.Filter)
}

// conjoin conjoins two optional expressions.
func conjoin(a, b BoolExp) BoolExp {
	switch {
	case a == nil:
		return b
	case b == nil:
		return a
	}
	return And{a, b}
}

// permission converts a permission expression; nil stays nil.
func (p *planner) permission(e permissions.BoolExp) BoolExp {
	if e == nil {
		return nil
	}
	return Scope{Exp: p.permExp(e)}
}

func (p *planner) permExp(e permissions.BoolExp) BoolExp {
	switch e := e.(type) {
	case permissions.And:
		out := make(And, len(e))
		for i, t := range e {
			out[i] = p.permExp(t)
		}
		return out
	case permissions.Or:
		out := make(Or, len(e))
		for i, t := range e {
			out[i] = p.permExp(t)
		}
		return out
	case permissions.Not:
		return Not{Exp: p.permExp(e.Exp)}
	case permissions.Compare:
		return p.permCompare(e)
	case permissions.Rel:
		ex := Exists{Table: e.Rel.Target.Info, Where: p.permExpOrTrue(e.Where)}
		for _, m := range e.Rel.Mapping {
			ex.Join = append(ex.Join, ColumnPair{Outer: m.From, Inner: m.To})
		}
		return ex
	case permissions.Exists:
		return Exists{Table: e.Table.Info, Where: p.permExpOrTrue(e.Where)}
	case permissions.ComputedRows:
		call := computedCall(e.Field)
		if call == nil {
			return Or{}
		}
		return Exists{Table: e.Field.Table.Info, Function: call, Where: p.permExpOrTrue(e.Where)}
	}
	return And{}
}

func (p *planner) permExpOrTrue(e permissions.BoolExp) BoolExp {
	if e == nil {
		return And{}
	}
	return p.permExp(e)
}

// listOps take a list operand.
var listOps = map[string]bool{"_in": true, "_nin": true, "_has_keys_any": true, "_has_keys_all": true}

func (p *planner) permCompare(c permissions.Compare) BoolExp {
	var cmp Compare
	if cf := c.Computed; cf != nil {
		if cmp.Call = computedCall(cf); cmp.Call == nil {
			return Or{}
		}
		cmp.Type = cf.Scalar
	} else {
		if ref := c.Operand.Column; ref != nil {
			return CompareColumns{Column: c.Column.Name, Op: c.Op, Other: ref.Column, Root: ref.Root}
		}
		cmp.Column, cmp.Type = c.Column.Name, p.schema.Catalog.Type(c.Column.TypeOID)
	}
	cmp.Op = c.Op
	typ := cmp.Type
	if c.Op == "_has_key" || c.Op == "_has_keys_any" || c.Op == "_has_keys_all" {
		typ = textType
	}
	if c.Op == "_is_null" {
		cmp.IsNull = bytes.Equal(c.Operand.Literal, []byte("true"))
		return cmp
	}
	cmp.Value = p.operand(c.Operand, typ, listOps[c.Op])
	if len(c.Args) > 0 {
		cmp.Args = p.dWithinArgs(c.Args, typ)
	}
	return cmp
}

// dWithinArgs are the distance and, on geography, use_spheroid (true
// unless given) of a permission's _st_d_within.
func (p *planner) dWithinArgs(args []permissions.Operand, typ *catalog.Type) []Value {
	out := []Value{p.operand(args[0], float8Type, false)}
	if typ == nil || typ.Name != "geography" {
		return out
	}
	spheroid := Value{Text: "true", Type: boolType}
	if len(args) > 1 {
		spheroid = p.operand(args[1], boolType, false)
	}
	return append(out, spheroid)
}

// computedCall is the call of a computed field on the row. Permissions
// only compile for computed fields that take nothing but the row and the
// session, whose calls cannot fail; nil otherwise.
func computedCall(cf *metadata.ComputedField) *FunctionCall {
	call, err := implicitCall(cf, gqlerr.Root)
	if err != nil {
		return nil
	}
	return call
}

// operand is the Value of a permission's operand (or preset) of type typ.
func (p *planner) operand(o permissions.Operand, typ *catalog.Type, list bool) Value {
	if o.Session != "" {
		p.useSession(o.Session)
		return Value{Session: o.Session, Type: typ, IsList: list}
	}
	v := Value{Type: typ}
	var x any
	dec := json.NewDecoder(bytes.NewReader(o.Literal))
	dec.UseNumber()
	if err := dec.Decode(&x); err != nil || x == nil {
		v.Null = true
		return v
	}
	if !list {
		v.Text = literalText(x, o.Literal)
		return v
	}
	items, ok := x.([]any)
	if !ok {
		items = []any{x}
	}
	v.IsList, v.List = true, make([]string, len(items))
	for i, it := range items {
		raw, _ := json.Marshal(it) // re-encoding a decoded value cannot fail
		v.List[i] = literalText(it, raw)
	}
	return v
}

// literalText is a JSON literal as Postgres reads it: a string's text,
// a number or boolean as written, an object or array as JSON.
func literalText(x any, raw []byte) string {
	switch x := x.(type) {
	case string:
		return x
	case json.Number:
		return x.String()
	case bool:
		if x {
			return "true"
		}
		return "false"
	}
	return string(raw)
}

// useSession records that the plan reads a session variable.
func (p *planner) useSession(name string) {
	for _, n := range p.sessionVars {
		if n == name {
			return
		}
	}
	p.sessionVars = append(p.sessionVars, name)
}

// PermissionFilter converts a role's permission filter (a select, update
// or delete filter) on a table of cat to IR, as the planner folds it into
// a GraphQL read, for requests planned outside it (the legacy data API).
// It also returns the session variables the filter reads, in order of
// first use. A nil filter gives nil.
func PermissionFilter(cat *catalog.Catalog, e permissions.BoolExp) (BoolExp, []string) {
	p := &planner{schema: &schema.Schema{Catalog: cat}}
	return p.permission(e), p.sessionVars
}
