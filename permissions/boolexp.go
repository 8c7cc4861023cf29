package permissions

import (
	"encoding/json"
	"fmt"
	"strings"

	"github.com/trellis-gql/trellis/engine/catalog"
	"github.com/trellis-gql/trellis/metadata"
)

// BoolExp is a compiled permission boolean expression over a table's rows.
// Permission expressions are the admin's: a relationship or _exists in one
// reads the related rows without the role's own filters.
type BoolExp interface{ isBoolExp() }

// And is true when every term is (and when there are none).
type And []BoolExp

// Or is true when any term is (false when there are none).
type Or []BoolExp

// Not negates.
type Not struct{ Exp BoolExp }

// Compare compares a column, or the value of a scalar computed field,
// with an operand.
type Compare struct {
	// Column is the column compared; nil when Computed is set.
	Column *catalog.Column
	// Computed is the scalar computed field compared (it takes nothing
	// but the row and the session).
	Computed *metadata.ComputedField
	Op       string // _eq, _in, _is_null, _ceq, …
	Operand  Operand
	// Args are the further operands of _st_d_within and _st_3d_d_within:
	// the distance, then use_spheroid when given. Operand is "from".
	Args []Operand
}

// Operand is the right-hand side of a comparison: exactly one of Literal,
// Session and Column is set.
type Operand struct {
	// Literal is the JSON value as written.
	Literal json.RawMessage
	// Session is the lower-cased name of a session variable
	// (x-hasura-user-id) whose value, cast to the column's type, is the
	// operand.
	Session string
	// Column is the other column of a column comparison (_ceq, …).
	Column *ColumnRef
}

// ColumnRef is the column a column comparison compares with: of the row
// compared, or with Root of the row the whole expression is about.
type ColumnRef struct {
	Column string
	Root   bool
}

// Rel holds when a row related through Rel satisfies Where.
type Rel struct {
	Rel   *metadata.Relationship
	Where BoolExp
}

// ComputedRows holds when some row a table computed field returns for
// the row satisfies Where.
type ComputedRows struct {
	Field *metadata.ComputedField
	Where BoolExp
}

// Exists holds when some row of Table satisfies Where (_exists).
type Exists struct {
	Table *metadata.Table
	Where BoolExp
}

func (And) isBoolExp()          {}
func (Or) isBoolExp()           {}
func (Not) isBoolExp()          {}
func (Compare) isBoolExp()      {}
func (Rel) isBoolExp()          {}
func (ComputedRows) isBoolExp() {}
func (Exists) isBoolExp()       {}

// columnOps are the column comparison operators.
var columnOps = map[string]bool{"_ceq": true, "_cne": true, "_cgt": true, "_clt": true, "_cgte": true, "_clte": true}

// operatorName spells an operator or connective the default way: Hasura
// also accepts $eq for _eq, $and for _and, and so on.
func operatorName(s string) string {
	if strings.HasPrefix(s, "$") {
		s = "_" + s[1:]
	}
	if s == "_ne" { // Hasura's other spelling of _neq
		return "_neq"
	}
	return s
}

// knownOps are the comparison operators a permission may use.
var knownOps = func() map[string]bool {
	m := map[string]bool{}
	for _, op := range strings.Fields(`_eq _neq _gt _lt _gte _lte _in _nin _like _nlike _ilike _nilike
		_similar _nsimilar _regex _nregex _iregex _niregex _is_null _contains _contained_in _has_key
		_has_keys_any _has_keys_all _st_contains _st_crosses _st_equals _st_intersects _st_overlaps
		_st_touches _st_within _st_3d_intersects _st_d_within _st_3d_d_within _ancestor _descendant
		_matches _matches_fulltext`) {
		m[op] = true
	}
	for op := range columnOps {
		m[op] = true
	}
	return m
}()

// SessionVariable returns the lower-cased name of the session variable a
// string names, or "" when it names none (Hasura: an x-hasura- prefix, any
// case).
func SessionVariable(s string) string {
	const prefix = "x-hasura-"
	if len(s) > len(prefix) && strings.EqualFold(s[:len(prefix)], prefix) {
		return strings.ToLower(s)
	}
	return ""
}

// compiler resolves boolean expressions against a model.
type compiler struct {
	model *metadata.Model
}

// boolExp compiles the expression n over rows of t; an empty object is nil.
func (c *compiler) boolExp(n *node, t *metadata.Table) (BoolExp, error) {
	if n.kind != 'o' {
		return nil, fmt.Errorf("expected an object")
	}
	var and And
	for i, key := range n.keys {
		val := n.vals[i]
		e, err := c.term(operatorName(key), val, t)
		if err != nil {
			return nil, err
		}
		if e != nil {
			and = append(and, e)
		}
	}
	if len(and) == 0 {
		return nil, nil
	}
	if len(and) == 1 {
		return and[0], nil
	}
	return and, nil
}

func (c *compiler) term(key string, val *node, t *metadata.Table) (BoolExp, error) {
	switch key {
	case "_and", "_or":
		items := val.list
		if val.kind == 'o' {
			items = []*node{val}
		}
		terms := make([]BoolExp, 0, len(items))
		for _, it := range items {
			e, err := c.boolExp(it, t)
			if err != nil {
				return nil, err
			}
			if e == nil {
				e = And{}
			}
			terms = append(terms, e)
		}
		if key == "_and" {
			return And(terms), nil
		}
		return Or(terms), nil
	case "_not":
		e, err := c.boolExp(val, t)
		if err != nil {
			return nil, err
		}
		if e == nil {
			e = And{}
		}
		return Not{Exp: e}, nil
	case "_exists":
		return c.exists(val)
	}
	if col := t.Info.Column(key); col != nil {
		return c.comparisons(val, Compare{Column: col}, t)
	}
	if r := relationship(t, key); r != nil {
		where, err := c.boolExp(val, r.Target)
		if err != nil {
			return nil, err
		}
		return Rel{Rel: r, Where: where}, nil
	}
	if cf := computedField(t, key); cf != nil {
		return c.computed(val, cf, t)
	}
	return nil, fmt.Errorf("no such column, relationship or computed field: %q", key)
}

// computed compiles the expression on a computed field: a comparison of
// a scalar one's value, or an expression over the rows a table one
// returns. As in Hasura, only a computed field that takes nothing but the
// row and the session can filter.
func (c *compiler) computed(val *node, cf *metadata.ComputedField, t *metadata.Table) (BoolExp, error) {
	for _, a := range cf.Args {
		if a.Role == metadata.ArgInput {
			return nil, fmt.Errorf("computed field %q takes input arguments", cf.Name)
		}
	}
	if cf.Scalar != nil {
		return c.comparisons(val, Compare{Computed: cf}, t)
	}
	where, err := c.boolExp(val, cf.Table)
	if err != nil {
		return nil, err
	}
	return ComputedRows{Field: cf, Where: where}, nil
}

func (c *compiler) exists(val *node) (BoolExp, error) {
	tn := val.get("_table")
	if tn == nil {
		return nil, fmt.Errorf("_exists needs _table")
	}
	// _table is a table name ("user", in the public schema) or
	// {"schema", "name"}.
	name := catalog.QualifiedName{Schema: "public"}
	if tn.kind == 's' {
		name.Name = tn.str
	} else if err := json.Unmarshal(tn.raw, &name); err != nil {
		return nil, fmt.Errorf("_exists: %w", err)
	}
	t := c.model.Table(name)
	if t == nil {
		return nil, fmt.Errorf("_exists: table %s is not tracked", name.Name)
	}
	where := &node{kind: 'o'}
	if w := val.get("_where"); w != nil {
		where = w
	}
	e, err := c.boolExp(where, t)
	if err != nil {
		return nil, err
	}
	return Exists{Table: t, Where: e}, nil
}

// comparisons compiles the operators of the comparison object of the
// subject of subj (its Column or Computed).
func (c *compiler) comparisons(val *node, subj Compare, t *metadata.Table) (BoolExp, error) {
	if val.kind != 'o' {
		// Hasura reads a bare value as _eq.
		val = &node{kind: 'o', keys: []string{"_eq"}, vals: []*node{val}}
	}
	var and And
	for i, op := range val.keys {
		op = operatorName(op)
		if !knownOps[op] {
			return nil, fmt.Errorf("unknown operator %q", op)
		}
		cmp := subj
		cmp.Op = op
		v := val.vals[i]
		switch {
		case columnOps[op]:
			ref, err := columnRef(v, t)
			if err != nil {
				return nil, err
			}
			cmp.Operand.Column = ref
		case dWithinOps[op]:
			if err := dWithin(v, &cmp); err != nil {
				return nil, err
			}
		default:
			cmp.Operand = operand(v)
		}
		and = append(and, cmp)
	}
	if len(and) == 1 {
		return and[0], nil
	}
	return and, nil
}

// operand reads a literal or a session variable.
func operand(v *node) Operand {
	if v.kind == 's' && SessionVariable(v.str) != "" {
		return Operand{Session: SessionVariable(v.str)}
	}
	return Operand{Literal: v.raw}
}

// dWithinOps take {distance, from, use_spheroid} as operand.
var dWithinOps = map[string]bool{"_st_d_within": true, "_st_3d_d_within": true}

// dWithin reads the operand of _st_d_within: from becomes the Operand,
// distance and use_spheroid (when given) the Args.
func dWithin(v *node, cmp *Compare) error {
	from, distance := v.get("from"), v.get("distance")
	if from == nil || distance == nil {
		return fmt.Errorf("%s: expected {distance, from}", cmp.Op)
	}
	for _, k := range v.keys {
		if k != "from" && k != "distance" && k != "use_spheroid" {
			return fmt.Errorf("%s: unexpected key %q", cmp.Op, k)
		}
	}
	cmp.Operand = operand(from)
	cmp.Args = []Operand{operand(distance)}
	if s := v.get("use_spheroid"); s != nil {
		cmp.Args = append(cmp.Args, operand(s))
	}
	return nil
}

// columnRef reads the operand of a column comparison: a column name, or
// ["$", name] for a column of the root table, or [name] for one of t.
func columnRef(v *node, t *metadata.Table) (*ColumnRef, error) {
	path := []string{v.str}
	if v.kind == 'a' {
		var err error
		if path, err = v.strings(); err != nil {
			return nil, err
		}
	} else if v.kind != 's' {
		return nil, fmt.Errorf("expected a column name")
	}
	ref := &ColumnRef{}
	if len(path) == 2 && path[0] == "$" {
		ref.Root = true
		path = path[1:]
	}
	if len(path) != 1 {
		return nil, fmt.Errorf("unsupported column reference")
	}
	ref.Column = path[0]
	if !ref.Root && t.Info.Column(path[0]) == nil {
		return nil, fmt.Errorf("no such column: %q", path[0])
	}
	return ref, nil
}

// relationship returns t's relationship named name, or nil.
func relationship(t *metadata.Table, name string) *metadata.Relationship {
	for _, r := range t.ObjectRelationships {
		if r.Name == name {
			return r
		}
	}
	for _, r := range t.ArrayRelationships {
		if r.Name == name {
			return r
		}
	}
	return nil
}

// computedField returns t's computed field named name, or nil.
func computedField(t *metadata.Table, name string) *metadata.ComputedField {
	for _, cf := range t.ComputedFields {
		if cf.Name == name {
			return cf
		}
	}
	return nil
}

// SessionVariables lists, in order of first use, the session variables an
// expression reads.
func SessionVariables(e BoolExp, out []string) []string {
	switch e := e.(type) {
	case And:
		for _, t := range e {
			out = SessionVariables(t, out)
		}
	case Or:
		for _, t := range e {
			out = SessionVariables(t, out)
		}
	case Not:
		out = SessionVariables(e.Exp, out)
	case Compare:
		for _, o := range append([]Operand{e.Operand}, e.Args...) {
			if o.Session != "" && !contains(out, o.Session) {
				out = append(out, o.Session)
			}
		}
	case Rel:
		out = SessionVariables(e.Where, out)
	case ComputedRows:
		out = SessionVariables(e.Where, out)
	case Exists:
		out = SessionVariables(e.Where, out)
	}
	return out
}

func contains(list []string, s string) bool {
	for _, x := range list {
		if x == s {
			return true
		}
	}
	return false
}
