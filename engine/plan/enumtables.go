package plan

import (
	"strings"

	"github.com/trellis-gql/trellis/engine/gqlerr"
	"github.com/trellis-gql/trellis/engine/schema"
)

// enumTableText checks a value given for a column that references an enum
// table: an enum literal, or a string from a variable, that names one of
// the table's values. The value goes to Postgres as text.
func enumTableText(v any, sc schema.Scalar, path gqlerr.Path) (string, error) {
	name, ok := enumText(v)
	if !ok {
		return "", typeMismatch(path, sc.Name, "an enum value", v)
	}
	value, ok := sc.Enum.Lookup(name)
	if !ok {
		return "", path.Errorf(gqlerr.ValidationFailed, "expected one of the values %s for type '%s', but found '%s'",
			enumValueList(sc.Enum), sc.Name, name)
	}
	return value, nil
}

// enumValueList renders an enum's values as Hasura's messages list them:
// ['a', 'b'].
func enumValueList(e *schema.EnumType) string {
	var b strings.Builder
	b.WriteByte('[')
	for i, v := range e.Values {
		if i > 0 {
			b.WriteString(", ")
		}
		b.WriteString("'" + e.Naming.EnumValue(v.Value) + "'")
	}
	b.WriteByte(']')
	return b.String()
}

// enumStringWritten refuses a string written in the query where a column
// that references an enum table expects a value: Hasura's enum parser takes
// an enum literal, and a string only from a variable. written tells whether
// v was written in the query.
func enumStringWritten(v any, sc schema.Scalar, written bool, path gqlerr.Path) error {
	if _, isString := v.(string); isString && written && sc.Kind == schema.KindEnum {
		return typeMismatch(path, sc.Name, "an enum value", v)
	}
	return nil
}
