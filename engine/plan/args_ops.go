package plan

import (
	"github.com/trellis-gql/trellis/engine/catalog"
	"github.com/trellis-gql/trellis/engine/gqlerr"
	"github.com/trellis-gql/trellis/engine/schema"
)

// Types of the operands that are not of the compared column's type.
var (
	textType     = &catalog.Type{Schema: "pg_catalog", Name: "text"}
	jsonpathType = &catalog.Type{Schema: "pg_catalog", Name: "jsonpath"}
	float8Type   = &catalog.Type{Schema: "pg_catalog", Name: "float8"}
	boolType     = &catalog.Type{Schema: "pg_catalog", Name: "bool"}

	stringScalar  = schema.Scalar{Name: "String", Kind: schema.KindString}
	floatScalar   = schema.Scalar{Name: "Float", Kind: schema.KindFloat}
	booleanScalar = schema.Scalar{Name: "Boolean", Kind: schema.KindBoolean}
)

// castComparison reads a <scalar>_cast_exp: {String: {…}} on jsonb,
// {geography: {…}} on geometry and {geometry: {…}} on geography. The inner
// comparison applies to the subject converted to the target type.
func (p *planner) castComparison(v any, c subject, path gqlerr.Path) ([]BoolExp, error) {
	name := p.schema.Naming.CastExpName(c.scalar)
	obj, ok := v.(*object)
	if !ok {
		return nil, typeMismatch(path, name, "an object", v)
	}
	field, target, typ, _ := schema.CastTarget(c.scalar, c.typ)
	var out []BoolExp
	for i, key := range obj.keys {
		kp := path.Key(key)
		if key != field {
			return nil, notFound(kp, key, name)
		}
		if obj.vals[i] == nil {
			continue
		}
		inner := subject{column: c.column, call: c.call, scalar: target, typ: typ, casts: append(append([]*catalog.Type{}, c.casts...), typ)}
		terms, err := p.compareOn(obj.vals[i], inner, kp)
		if err != nil {
			return nil, err
		}
		out = append(out, terms...)
	}
	return out, nil
}

// extraOperand reads the operand of a type-specific operator whose value
// is not of the subject's type: a String (_has_key, _jsonb_path_exists),
// a list of Strings (_has_keys_any; _matches_any sends them as lquery[]),
// a distance input (_st_d_within) or an ltree query (_matches).
func (p *planner) extraOperand(cmp *Compare, op schema.Operator, v any, c subject, path gqlerr.Path) error {
	switch op.Shape {
	case schema.OperandString:
		text, err := scalarText(v, stringScalar, textType, path)
		if err != nil {
			return err
		}
		cmp.Value = Value{Text: text, Type: textType}
		if op.Name == "_jsonb_path_exists" || op.Name == "_jsonb_path_match" {
			cmp.Value.Type = jsonpathType
		}
	case schema.OperandStringList:
		list, ok := v.([]any)
		if !ok {
			list = []any{v}
		}
		cmp.Value = Value{IsList: true, Type: textType, List: make([]string, 0, len(list))}
		if op.Name == "_matches_any" {
			_, cmp.Value.Type = schema.LtreeQuery(op.Name, c.typ)
		}
		for j, item := range list {
			if item == nil {
				return path.Index(j).Errorf(gqlerr.ValidationFailed, "unexpected null value for type '%s'", stringScalar.Name)
			}
			text, err := scalarText(item, stringScalar, textType, path.Index(j))
			if err != nil {
				return err
			}
			cmp.Value.List = append(cmp.Value.List, text)
		}
	case schema.OperandDWithin:
		return p.dWithin(cmp, v, c, path)
	case schema.OperandQuery:
		return ltreeQueryOperand(cmp, v, c, path)
	}
	return nil
}

// dWithin reads st_d_within_input {distance: Float!, from: <geometry>!} or
// st_d_within_geography_input, which adds use_spheroid (default true).
// cmp.Value is from; cmp.Args are distance and, for geography, use_spheroid.
func (p *planner) dWithin(cmp *Compare, v any, c subject, path gqlerr.Path) error {
	internal := schema.DWithinInputName(c.scalar)
	name := p.schema.Naming.Type(internal)
	obj, ok := v.(*object)
	if !ok {
		return typeMismatch(path, name, "an object", v)
	}
	geography := internal == schema.DWithinGeographyInput
	var distance, from *Value
	spheroid := Value{Text: "true", Type: boolType}
	for i, key := range obj.keys {
		val, kp := obj.vals[i], path.Key(key)
		switch key := p.word(key); {
		case key == "distance":
			if val == nil {
				return kp.Errorf(gqlerr.ValidationFailed, "unexpected null value for type '%s'", floatScalar.Name)
			}
			text, err := scalarText(val, floatScalar, float8Type, kp)
			if err != nil {
				return err
			}
			distance = &Value{Text: text, Type: float8Type}
		case key == "from":
			if val == nil {
				return kp.Errorf(gqlerr.ValidationFailed, "unexpected null value for type '%s'", c.scalar.Name)
			}
			fv, err := scalarValue(val, c.scalar, c.typ, kp)
			if err != nil {
				return err
			}
			from = &fv
		case key == "use_spheroid" && geography:
			// Hasura lets an explicit null through to ST_DWithin.
			sv, err := scalarValue(val, booleanScalar, boolType, kp)
			if err != nil {
				return err
			}
			spheroid = sv
		default:
			return notFound(kp, key, name)
		}
	}
	for _, req := range []struct {
		name string
		v    *Value
	}{{"distance", distance}, {"from", from}} {
		if req.v == nil {
			return path.Errorf(gqlerr.ValidationFailed, "missing required field '%s'", req.name)
		}
	}
	cmp.Value = *from
	cmp.Args = []Value{*distance}
	if geography {
		cmp.Args = append(cmp.Args, spheroid)
	}
	return nil
}

// arrayText reads a value of an array column, a list of element values
// ([String!]; a single value is a list of one), as a Postgres array literal.
func arrayText(v any, sc schema.Scalar, path gqlerr.Path) (string, error) {
	list, isList := v.([]any)
	if !isList {
		list = []any{v}
	}
	elem := sc
	elem.Array = false
	texts := make([]any, len(list))
	for i, item := range list {
		ip := path
		if isList {
			ip = path.Index(i)
		}
		if item == nil {
			return "", ip.Errorf(gqlerr.ValidationFailed, "unexpected null value for type '%s'", elem.Name)
		}
		text, err := scalarText(item, elem, nil, ip)
		if err != nil {
			return "", err
		}
		texts[i] = text
	}
	return arrayLiteral(texts), nil
}
