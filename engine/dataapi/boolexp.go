package dataapi

import (
	"encoding/json"
	"strings"

	"github.com/trellis-gql/trellis/engine/catalog"
	"github.com/trellis-gql/trellis/engine/gqlerr"
	"github.com/trellis-gql/trellis/engine/plan"
	"github.com/trellis-gql/trellis/engine/schema"
	"github.com/trellis-gql/trellis/metadata"
)

// compareOps maps the data API's comparison operators (without their "$"
// or "_" prefix) to the IR's.
var compareOps = map[string]string{
	"eq": "_eq", "ne": "_neq", "neq": "_neq",
	"in": "_in", "nin": "_nin",
	"gt": "_gt", "lt": "_lt", "gte": "_gte", "lte": "_lte",
	"like": "_like", "nlike": "_nlike", "ilike": "_ilike", "nilike": "_nilike",
	"similar": "_similar", "nsimilar": "_nsimilar",
	"regex": "_regex", "iregex": "_iregex", "nregex": "_nregex", "niregex": "_niregex",
	"is_null": "_is_null",
}

// unsupportedOps are operators Hasura knows that this server does not
// compile (column comparisons, json, ltree and PostGIS operators).
var unsupportedOps = map[string]bool{
	"ceq": true, "cne": true, "cneq": true, "cgt": true, "clt": true, "cgte": true, "clte": true,
	"contains": true, "contained_in": true, "has_key": true, "has_keys_any": true, "has_keys_all": true,
	"jsonb_path_exists": true, "jsonb_path_match": true,
	"ancestor": true, "ancestor_any": true, "descendant": true, "descendant_any": true,
	"matches": true, "matches_any": true, "matches_fulltext": true,
	"st_contains": true, "st_crosses": true, "st_equals": true, "st_overlaps": true, "st_touches": true,
	"st_within": true, "st_intersects": true, "st_3d_intersects": true, "st_d_within": true, "st_3d_d_within": true,
}

// falseExp is a boolean expression no row satisfies.
var falseExp = plan.Or{}

// boolExp translates a data API boolean expression over table t: an
// object whose keys are conjoined; $and/$or take lists, $not an expression,
// $exists {_table, _where}; any other key is a column (a value means
// equality, an object of operators) or a relationship (its table's rows
// that match). Error paths are Hasura's: junctions and relationships add
// no segment, a column adds its name and then the operator's.
func boolExp(m *metadata.Model, t *metadata.Table, raw json.RawMessage, path string) (plan.BoolExp, error) {
	obj, err := decodeObject(raw, path, "boolean expression")
	if err != nil {
		return nil, err
	}
	and := plan.And{}
	for _, mem := range obj {
		var e plan.BoolExp
		switch mem.key {
		case "$and", "_and", "$or", "_or":
			e, err = junction(m, t, mem, path)
		case "$not", "_not":
			var inner plan.BoolExp
			if inner, err = boolExp(m, t, mem.val, path); err == nil {
				e = plan.Not{Exp: inner}
			}
		case "$exists", "_exists":
			e, err = exists(m, t, mem.val, path+"._exists")
		default:
			e, err = field(m, t, mem, path)
		}
		if err != nil {
			return nil, err
		}
		and = append(and, e)
	}
	if len(and) == 1 {
		return and[0], nil
	}
	return and, nil
}

func junction(m *metadata.Model, t *metadata.Table, mem member, path string) (plan.BoolExp, error) {
	items, err := decodeArray(mem.val, path+"."+mem.key, "[]")
	if err != nil {
		return nil, err
	}
	terms := make([]plan.BoolExp, 0, len(items))
	for _, item := range items {
		e, err := boolExp(m, t, item, path)
		if err != nil {
			return nil, err
		}
		terms = append(terms, e)
	}
	if mem.key == "$and" || mem.key == "_and" {
		return plan.And(terms), nil
	}
	return plan.Or(terms), nil
}

// exists reads {"_table": T, "_where": W}: some row of T satisfies W.
func exists(m *metadata.Model, t *metadata.Table, raw json.RawMessage, path string) (plan.BoolExp, error) {
	obj, err := decodeObject(raw, path, "GExists")
	if err != nil {
		return nil, err
	}
	tableRaw, err := required(obj, "_table", path)
	if err != nil {
		return nil, err
	}
	whereRaw, err := required(obj, "_where", path)
	if err != nil {
		return nil, err
	}
	name, err := decodeTable(tableRaw, path+"._table")
	if err != nil {
		return nil, err
	}
	target, err := lookupTable(m, name, path+"._table")
	if err != nil {
		return nil, err
	}
	where, err := boolExp(m, target, whereRaw, path+"._where")
	if err != nil {
		return nil, err
	}
	return plan.Exists{Table: target.Info, Where: where}, nil
}

// field reads the condition on one column or relationship of t.
func field(m *metadata.Model, t *metadata.Table, mem member, path string) (plan.BoolExp, error) {
	if c := column(t, mem.key); c != nil {
		typ := columnType(m, c)
		if typ != nil && typ.Schema == "pg_catalog" && typ.Name == "json" {
			return nil, metadata.Errorf(codeUnexpectedPayload, path, "JSON column can not be part of boolean expression")
		}
		cmp := plan.Compare{Column: c.Name, Type: typ}
		return comparisons(m.Catalog, cmp, mem.val, path+"."+mem.key)
	}
	if r := relationship(t, mem.key); r != nil {
		inner, err := boolExp(m, r.Target, mem.val, path)
		if err != nil {
			return nil, err
		}
		ex := plan.Exists{Table: r.Target.Info, Where: inner}
		for _, p := range r.Mapping {
			ex.Join = append(ex.Join, plan.ColumnPair{Outer: p.From, Inner: p.To})
		}
		return ex, nil
	}
	return nil, metadata.Errorf(metadata.CodeNotExists, path, "%q does not exist", mem.key)
}

// comparisons reads a column's operand: an object of operators, all of
// which must hold, or a value the column must equal. cmp.Type is the
// column's type, or the type a $cast converted it to.
func comparisons(cat *catalog.Catalog, cmp plan.Compare, raw json.RawMessage, path string) (plan.BoolExp, error) {
	if gqlerr.JSONKind(raw) != "Object" {
		return comparison(cmp, "_eq", raw, path)
	}
	obj, err := decodeObject(raw, path, "operators")
	if err != nil {
		return nil, err
	}
	and := plan.And{}
	for _, mem := range obj {
		op := path + "." + mem.key
		if mem.key == "$cast" || mem.key == "_cast" {
			e, err := castComparisons(cat, cmp, mem.val, op)
			if err != nil {
				return nil, err
			}
			and = append(and, e)
			continue
		}
		name, known := "", false
		if len(mem.key) > 1 && (mem.key[0] == '$' || mem.key[0] == '_') {
			name, known = compareOps[mem.key[1:]]
			if !known && unsupportedOps[mem.key[1:]] {
				return nil, metadata.Errorf(metadata.CodeNotSupported, op, "the operator %s is not supported", mem.key)
			}
		}
		if !known {
			return nil, metadata.Errorf(codeUnexpectedPayload, op, "Unknown operator: %s", mem.key)
		}
		e, err := comparison(cmp, name, mem.val, op)
		if err != nil {
			return nil, err
		}
		and = append(and, e)
	}
	if len(and) == 1 {
		return and[0], nil
	}
	return and, nil
}

// castComparisons reads a $cast operand, {<type>: operators}: the
// operators apply to the column converted to <type>, which must be text
// for a jsonb column, geography for geometry and geometry for geography
// (Hasura.Backends.Postgres.DDL.BoolExp, parseCast).
func castComparisons(cat *catalog.Catalog, cmp plan.Compare, raw json.RawMessage, path string) (plan.BoolExp, error) {
	obj, err := decodeObject(raw, path, "HashMap")
	if err != nil {
		return nil, err
	}
	_, _, target, castable := schema.CastTarget(schema.ScalarFor(cmp.Type), cmp.Type)
	and := plan.And{}
	for _, mem := range obj {
		name := hasuraScalarName(mem.key)
		if !castable || name != target.Name {
			return nil, metadata.Errorf(codeUnexpectedPayload, path, "cannot cast column of type %q to type %q", metadata.HasuraTypeName(cmp.Type, cat), name)
		}
		inner := cmp
		inner.Type = target
		inner.Casts = append(append([]*catalog.Type{}, cmp.Casts...), target)
		e, err := comparisons(cat, inner, mem.val, path+"."+mem.key)
		if err != nil {
			return nil, err
		}
		and = append(and, e)
	}
	if len(and) == 1 {
		return and[0], nil
	}
	return and, nil
}

// hasuraScalarNames are the names Hasura reads as its scalar types, by
// their lower-case spelling, and what it calls them (textToPGScalarType).
var hasuraScalarNames = map[string]string{
	"int2": "smallint", "int": "integer", "int4": "integer", "int8": "bigint",
	"float4": "real", "double precision": "float8", "decimal": "numeric",
	"bool": "boolean", "char": "bpchar", "character": "bpchar", "character varying": "varchar",
	"timestamp without time zone": "timestamp", "timestamp with time zone": "timestamptz",
	"time with time zone": "timetz",
}

// hasuraScalarName is the type Hasura reads a type name as: its own name
// for the types it knows (in any case), else the name as written.
func hasuraScalarName(s string) string {
	if strings.HasSuffix(s, "[]") {
		return hasuraScalarName(strings.TrimSuffix(s, "[]")) + "[]"
	}
	lower := strings.ToLower(s)
	if name, ok := hasuraScalarNames[lower]; ok {
		return name
	}
	switch lower {
	case "serial", "bigserial", "smallint", "integer", "bigint", "real", "float8", "numeric", "money",
		"boolean", "bpchar", "varchar", "text", "citext", "date", "timestamp", "timestamptz", "timetz",
		"json", "jsonb", "geometry", "geography", "raster", "uuid", "ltree", "lquery", "ltxtquery":
		return lower
	}
	return s
}

// comparison builds one comparison. Equality and inequality with null
// follow Hasura's (col = v) OR (col IS NULL AND v IS NULL): they become
// IS NULL and IS NOT NULL; any other comparison with null holds for no row.
func comparison(cmp plan.Compare, op string, raw json.RawMessage, path string) (plan.BoolExp, error) {
	cmp.Op = op
	switch op {
	case "_is_null":
		if gqlerr.JSONKind(raw) != "Boolean" {
			return nil, expected(path, "Bool", "Boolean", raw)
		}
		cmp.IsNull = string(raw) == "true"
		return cmp, nil
	case "_in", "_nin":
		return listComparison(cmp, raw, path)
	}
	if gqlerr.JSONKind(raw) == "Null" {
		switch op {
		case "_eq":
			return plan.Compare{Column: cmp.Column, Type: cmp.Type, Op: "_is_null", IsNull: true}, nil
		case "_neq":
			return plan.Compare{Column: cmp.Column, Type: cmp.Type, Op: "_is_null", IsNull: false}, nil
		}
		return falseExp, nil
	}
	cmp.Value = columnValue(raw, cmp.Type)
	return cmp, nil
}

// listComparison builds _in / _nin over a JSON array. A null element
// matches nothing: _in skips it, and _nin with one holds for no row (as
// x <> ALL(…, NULL) is never true).
func listComparison(cmp plan.Compare, raw json.RawMessage, path string) (plan.BoolExp, error) {
	items, err := decodeArray(raw, path, "[]")
	if err != nil {
		return nil, err
	}
	cmp.Value = plan.Value{IsList: true, Type: cmp.Type, List: make([]string, 0, len(items))}
	for _, item := range items {
		if gqlerr.JSONKind(item) == "Null" {
			if cmp.Op == "_nin" {
				return falseExp, nil
			}
			continue
		}
		cmp.Value.List = append(cmp.Value.List, columnValue(item, cmp.Type).Text)
	}
	return cmp, nil
}
