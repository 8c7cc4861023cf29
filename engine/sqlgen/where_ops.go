package sqlgen

import (
	"github.com/trellis-gql/trellis/engine/catalog"
	"github.com/trellis-gql/trellis/engine/plan"
)

// typeOps maps the type-specific infix operators (arrays, jsonb, ltree) to
// SQL.
var typeOps = map[string]string{
	"_contains":          " @> ",
	"_contained_in":      " <@ ",
	"_has_key":           " ? ",
	"_has_keys_any":      " ?| ",
	"_has_keys_all":      " ?& ",
	"_jsonb_path_exists": " @? ",
	"_jsonb_path_match":  " @@ ",
	// ltree: @> and <@ take a label path or an array of them (ltree @>
	// ltree[] holds when some element descends from the column's path).
	"_ancestor":         " @> ",
	"_ancestor_any":     " @> ",
	"_descendant":       " <@ ",
	"_descendant_any":   " <@ ",
	"_matches":          " ~ ",
	"_matches_any":      " ? ",
	"_matches_fulltext": " @ ",
}

// spatialFuncs maps the PostGIS operators to the functions that decide
// them; the _d_within ones also take the distance (and, on geography,
// use_spheroid) from Compare.Args.
var spatialFuncs = map[string]string{
	"_st_contains":      "ST_Contains",
	"_st_crosses":       "ST_Crosses",
	"_st_equals":        "ST_Equals",
	"_st_intersects":    "ST_Intersects",
	"_st_overlaps":      "ST_Overlaps",
	"_st_touches":       "ST_Touches",
	"_st_within":        "ST_Within",
	"_st_3d_intersects": "ST_3DIntersects",
	"_st_d_within":      "ST_DWithin",
	"_st_3d_d_within":   "ST_3DDWithin",
}

// subject is what a comparison compares: the column (or computed field)
// of the row aliased a, converted by each of its casts in turn.
func (g *gen) subject(c plan.Compare, a string) string {
	var expr string
	if c.Call != nil {
		expr = g.cellCall(c.Call, a)
	} else {
		expr = g.cellColumn(a, c.Column)
	}
	for _, t := range c.Casts {
		expr = "(" + expr + ")::" + typeName(t)
	}
	return expr
}

// typeCompare writes a type-specific comparison and reports whether the
// operator was one.
func (g *gen) typeCompare(c plan.Compare, col string) bool {
	if op, ok := typeOps[c.Op]; ok {
		g.write("(", col, op, g.value(c.Value), ")")
		return true
	}
	fn, ok := spatialFuncs[c.Op]
	if !ok {
		return false
	}
	g.write(fn, "(", col, ", ", g.value(c.Value))
	for _, arg := range c.Args {
		g.write(", ", g.value(arg))
	}
	g.write(")")
	return true
}

// spatial reports whether t is a PostGIS geometry or geography type, whose
// values travel as GeoJSON.
func spatial(t *catalog.Type) bool {
	return t != nil && t.ElemOID == 0 && (t.Name == "geometry" || t.Name == "geography")
}

// spatialValue binds a GeoJSON value (or list of them) of a geometry or
// geography type: ST_GeomFromGeoJSON($n), cast to geography when needed.
func (g *gen) spatialValue(v plan.Value) string {
	cast := ""
	if v.Type.Name == "geography" {
		cast = "::" + typeName(v.Type)
	}
	if v.IsList {
		return "ARRAY(SELECT ST_GeomFromGeoJSON(_g)" + cast + " FROM unnest(" + g.bindValue(v) + "::text[]) AS _g)"
	}
	return "ST_GeomFromGeoJSON(" + g.bindValue(v) + "::text)" + cast
}
