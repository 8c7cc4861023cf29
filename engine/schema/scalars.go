package schema

import "github.com/trellis-gql/trellis/engine/catalog"

// Scalar is a GraphQL scalar standing for a PostgreSQL type.
type Scalar struct {
	Name string // GraphQL name: Int, String, bigint, timestamptz, …
	// Kind says how GraphQL input values of this scalar are read.
	Kind ScalarKind
	// Numeric scalars get sum/avg/stddev/variance aggregates.
	Numeric bool
	// Comparable scalars get max/min aggregates and _gt/_lt operators.
	Comparable bool
	// Textual scalars get the pattern operators (_like, _ilike, …).
	Textual bool
	// Array is set for a Postgres array column: the GraphQL type is a list
	// of the element's scalar, which Name and Kind then describe.
	Array bool
	// Enum is set for KindEnum: the enum table's type and values.
	Enum *EnumType
}

// ScalarKind tells how a GraphQL input value is checked before it is sent
// to Postgres as text.
type ScalarKind int

// Scalar kinds.
const (
	KindInt     ScalarKind = iota // GraphQL Int: 32-bit integers only
	KindFloat                     // GraphQL Float: any number
	KindString                    // GraphQL String: strings only
	KindBoolean                   // GraphQL Boolean: true/false only
	KindJSON                      // json, jsonb: any JSON value
	KindCustom                    // anything else: strings or numbers, checked by Postgres
	KindEnum                      // an enum table's values (Scalar.Enum), see enumtables.go
)

// builtinScalars maps pg_type.typname to Hasura's GraphQL scalar.
var builtinScalars = map[string]Scalar{
	"int4":        {Name: "Int", Kind: KindInt, Numeric: true, Comparable: true},
	"int2":        {Name: "smallint", Kind: KindCustom, Numeric: true, Comparable: true},
	"int8":        {Name: "bigint", Kind: KindCustom, Numeric: true, Comparable: true},
	"float4":      {Name: "Float", Kind: KindFloat, Numeric: true, Comparable: true},
	"float8":      {Name: "float8", Kind: KindCustom, Numeric: true, Comparable: true},
	"numeric":     {Name: "numeric", Kind: KindCustom, Numeric: true, Comparable: true},
	"money":       {Name: "money", Kind: KindCustom, Numeric: true, Comparable: true},
	"bool":        {Name: "Boolean", Kind: KindBoolean, Comparable: true},
	"text":        {Name: "String", Kind: KindString, Comparable: true, Textual: true},
	"varchar":     {Name: "String", Kind: KindString, Comparable: true, Textual: true},
	"bpchar":      {Name: "bpchar", Kind: KindCustom, Comparable: true, Textual: true},
	"citext":      {Name: "citext", Kind: KindCustom, Comparable: true, Textual: true},
	"name":        {Name: "name", Kind: KindCustom, Comparable: true, Textual: true},
	"json":        {Name: "json", Kind: KindJSON},
	"jsonb":       {Name: "jsonb", Kind: KindJSON, Comparable: true},
	"date":        {Name: "date", Kind: KindCustom, Comparable: true},
	"timestamp":   {Name: "timestamp", Kind: KindCustom, Comparable: true},
	"timestamptz": {Name: "timestamptz", Kind: KindCustom, Comparable: true},
	"time":        {Name: "time", Kind: KindCustom, Comparable: true},
	"timetz":      {Name: "timetz", Kind: KindCustom, Comparable: true},
	"interval":    {Name: "interval", Kind: KindCustom, Comparable: true},
	"uuid":        {Name: "uuid", Kind: KindCustom, Comparable: true},
	"inet":        {Name: "inet", Kind: KindCustom, Comparable: true},
	"cidr":        {Name: "cidr", Kind: KindCustom, Comparable: true},
	"macaddr":     {Name: "macaddr", Kind: KindCustom, Comparable: true},
	"oid":         {Name: "oid", Kind: KindCustom, Comparable: true},
	"ltree":       {Name: "ltree", Kind: KindCustom, Comparable: true},
	"bytea":       {Name: "bytea", Kind: KindCustom, Comparable: true},
}

// ScalarFor returns the GraphQL scalar of a PostgreSQL type. Types Hasura
// has no special name for are named by pg_type.typname (an enum "mood",
// an array "_text", "point", …); enums are comparable.
func ScalarFor(t *catalog.Type) Scalar {
	if t == nil {
		return Scalar{Name: "String", Kind: KindCustom}
	}
	if s, ok := builtinScalars[t.Name]; ok && (t.Schema == "pg_catalog" || t.Name == "citext" || t.Name == "ltree") {
		return s
	}
	s := Scalar{Name: t.Name, Kind: KindCustom}
	switch t.Kind {
	case catalog.TypeEnum:
		s.Comparable = true
	case catalog.TypeDomain:
		// A domain is named by itself but compares like its base type.
		s.Comparable = true
	}
	if t.IsArray() {
		s.Comparable = true
	}
	return s
}

// FunctionArgScalar returns the GraphQL scalar of a function argument's
// type: a composite (row) type is the scalar <type>_scalar, since the
// type's own name may be taken by a tracked table's object type; values
// are its text form, '(1,"Ann")'. Other types are named as ScalarFor
// names them. (Hasura's mkFunctionArgScalarType and mkScalarTypeName.)
func FunctionArgScalar(t *catalog.Type) Scalar {
	if t != nil && t.Kind == catalog.TypeComposite {
		return Scalar{Name: t.Name + "_scalar", Kind: KindCustom}
	}
	return ScalarFor(t)
}
