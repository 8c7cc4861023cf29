package schema

import "github.com/trellis-gql/trellis/engine/catalog"

// The operators below are those Hasura gives some Postgres types on top of
// the common ones (Hasura's comparisonExps for Postgres; documented at
// https://hasura.io/docs/latest/queries/postgres/filters/): arrays and jsonb
// get containment, jsonb key tests and a cast to String, PostGIS geometry
// and geography get spatial predicates and casts to one another.

// Names of the PostGIS types, as the catalog and the GraphQL schema call them.
const (
	geometryType  = "geometry"
	geographyType = "geography"
)

// Names of the input types of the distance operators.
const (
	DWithinInput          = "st_d_within_input"
	DWithinGeographyInput = "st_d_within_geography_input"
)

// IsSpatial reports whether s is a PostGIS geometry or geography scalar:
// its values are read and written as GeoJSON.
func IsSpatial(s Scalar) bool {
	return !s.Array && (s.Name == geometryType || s.Name == geographyType)
}

// IsSpatialType reports whether t is PostGIS geometry or geography.
func IsSpatialType(t *catalog.Type) bool {
	return t != nil && (t.Name == geometryType || t.Name == geographyType) && t.Kind != catalog.TypeEnum
}

func isJSONB(s Scalar) bool { return !s.Array && s.Kind == KindJSON && s.Name == "jsonb" }

// extraOperators lists the type-specific operators of a scalar.
func extraOperators(s Scalar) []Operator {
	switch {
	case s.Array:
		return []Operator{{"_contained_in", OperandScalar}, {"_contains", OperandScalar}}
	case isJSONB(s):
		return []Operator{
			{"_cast", OperandCast},
			{"_contained_in", OperandScalar},
			{"_contains", OperandScalar},
			{"_has_key", OperandString},
			{"_has_keys_all", OperandStringList},
			{"_has_keys_any", OperandStringList},
			{"_jsonb_path_exists", OperandString},
			{"_jsonb_path_match", OperandString},
		}
	case s.Name == geometryType:
		return append(orderingOperators(s),
			Operator{"_cast", OperandCast},
			Operator{"_st_3d_d_within", OperandDWithin},
			Operator{"_st_3d_intersects", OperandScalar},
			Operator{"_st_contains", OperandScalar},
			Operator{"_st_crosses", OperandScalar},
			Operator{"_st_d_within", OperandDWithin},
			Operator{"_st_equals", OperandScalar},
			Operator{"_st_intersects", OperandScalar},
			Operator{"_st_overlaps", OperandScalar},
			Operator{"_st_touches", OperandScalar},
			Operator{"_st_within", OperandScalar},
		)
	case s.Name == geographyType:
		return append(orderingOperators(s),
			Operator{"_cast", OperandCast},
			Operator{"_st_d_within", OperandDWithin},
			Operator{"_st_intersects", OperandScalar},
		)
	case IsLtree(s):
		return ltreeOperators()
	}
	return nil
}

// orderingOperators are _gt, _gte, _lt and _lte, which Hasura gives every
// type but raster; operatorsFor already adds them to comparable scalars.
func orderingOperators(s Scalar) []Operator {
	if s.Comparable {
		return nil
	}
	return []Operator{{"_gt", OperandScalar}, {"_gte", OperandScalar}, {"_lt", OperandScalar}, {"_lte", OperandScalar}}
}

// operatorDescriptions are Hasura's descriptions of the type-specific
// operators, by scalar class then operator.
var operatorDescriptions = map[string]map[string]string{
	"array": {
		"_contains":     "does the array contain the given value",
		"_contained_in": "is the array contained in the given array value",
	},
	"jsonb": {
		"_contains":          "does the column contain the given json value at the top level",
		"_contained_in":      "is the column contained in the given json value",
		"_has_key":           "does the string exist as a top-level key in the column",
		"_has_keys_any":      "do any of these strings exist as top-level keys in the column",
		"_has_keys_all":      "do all of these strings exist as top-level keys in the column",
		"_jsonb_path_exists": "does the jsonpath return any item for the specified JSON value",
		"_jsonb_path_match":  "does the jsonpath predicate check return true for the specified JSON value",
	},
	geographyType: {
		"_st_intersects": "does the column spatially intersect the given geography value",
		"_st_d_within":   "is the column within a given distance from the given geography value",
	},
	ltreeType: ltreeDescriptions,
	geometryType: {
		"_st_contains":      "does the column contain the given geometry value",
		"_st_crosses":       "does the column cross the given geometry value",
		"_st_equals":        "is the column equal to given geometry value (directionality is ignored)",
		"_st_overlaps":      "does the column 'spatially overlap' (intersect but not completely contain) the given geometry value",
		"_st_touches":       "does the column have atleast one point in common with the given geometry value",
		"_st_within":        "is the column contained in the given geometry value",
		"_st_intersects":    "does the column spatially intersect the given geometry value",
		"_st_3d_intersects": "does the column spatially intersect the given geometry value in 3D",
		"_st_d_within":      "is the column within a given distance from the given geometry value",
		"_st_3d_d_within":   "is the column within a given 3D distance from the given geometry value",
	},
}

func operatorDescription(s Scalar, op string) string {
	class := s.Name
	if s.Array {
		class = "array"
	}
	return operatorDescriptions[class][op]
}

// comparisonName is the name of a scalar's comparison input type; an
// array's is <element>_array_comparison_exp.
func comparisonName(s Scalar, n Naming) string {
	if s.Array {
		return n.ComparisonExpName(s.Name + "_array")
	}
	return n.ComparisonExpName(s.Name)
}

// CastExpName is the name of a scalar's _cast input type: jsonb_cast_exp.
func (n Naming) CastExpName(s Scalar) string { return n.Type(s.Name + "_cast_exp") }

// CastTarget returns the scalar and type a _cast of s may convert to, and
// the name of the _cast_exp field that selects it: jsonb casts to String,
// geometry and geography to one another.
func CastTarget(s Scalar, t *catalog.Type) (field string, target Scalar, typ *catalog.Type, ok bool) {
	switch {
	case isJSONB(s):
		return "String", builtinScalars["text"], &catalog.Type{Schema: "pg_catalog", Name: "text"}, true
	case s.Name == geometryType, s.Name == geographyType:
		name := geographyType
		if s.Name == geographyType {
			name = geometryType
		}
		// PostGIS puts both types in the schema it is installed in.
		sch := "public"
		if t != nil {
			sch = t.Schema
		}
		return name, Scalar{Name: name, Kind: KindCustom}, &catalog.Type{Schema: sch, Name: name}, true
	}
	return "", Scalar{}, nil, false
}

// DWithinInputName is the input type of a scalar's _st_d_within: geography
// takes use_spheroid as well.
func DWithinInputName(s Scalar) string {
	if s.Name == geographyType {
		return DWithinGeographyInput
	}
	return DWithinInput
}

// columnScalar is the scalar of a column type; an array column is a list of
// its element's scalar (Hasura's default, "postgres arrays" enabled).
func (b *builder) columnScalar(t *catalog.Type) Scalar {
	if t == nil || !t.IsArray() {
		return ScalarFor(t)
	}
	elem := b.model.Catalog.Types[t.ElemOID]
	if elem == nil {
		return ScalarFor(t)
	}
	s := ScalarFor(elem)
	s.Array, s.Comparable, s.Numeric, s.Textual = true, true, false, false
	return s
}

// JSONColumn reports whether a column holds json or jsonb: its field takes
// a path argument.
func JSONColumn(c *Column) bool { return !c.Scalar.Array && c.Scalar.Kind == KindJSON }

// columnArgs are the arguments of a column's field.
func columnArgs(c *Column) map[string]bool {
	if JSONColumn(c) {
		return map[string]bool{"path": true}
	}
	return nil
}
