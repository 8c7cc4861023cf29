package plan

import (
	"encoding/json"
	"math/big"
	"strconv"
	"strings"

	"github.com/trellis-gql/trellis/engine/catalog"
	"github.com/trellis-gql/trellis/engine/gqlerr"
	"github.com/trellis-gql/trellis/engine/schema"
)

// scalarValue checks an input value against a column's scalar and returns
// it as a Value: text that Postgres parses as the column's type.
func scalarValue(v any, sc schema.Scalar, typ *catalog.Type, path gqlerr.Path) (Value, error) {
	if v == nil {
		return Value{Null: true, Type: typ}, nil
	}
	text, err := scalarText(v, sc, typ, path)
	if err != nil {
		return Value{}, err
	}
	return Value{Text: text, Type: typ}, nil
}

// A column's value is read as Hasura's columnParser reads it: the GraphQL
// value as JSON, parsed for the column's Postgres type, except that a
// string is always accepted (Postgres then parses it, and refuses bad text
// with a data-exception): Hasura takes "42" for an integer column although
// its schema says Int. Other mismatches are parse-failed with the JSON
// decoder's wording.
func scalarText(v any, sc schema.Scalar, typ *catalog.Type, path gqlerr.Path) (string, error) {
	if sc.Array {
		return arrayText(v, sc, path)
	}
	if s, ok := v.(string); ok && (sc.Kind == schema.KindInt || sc.Kind == schema.KindFloat || sc.Kind == schema.KindBoolean) {
		return s, nil
	}
	switch sc.Kind {
	case schema.KindInt:
		n, ok := v.(number)
		if !ok {
			return "", typeMismatch(path, sc.Name, "a 32-bit integer", v)
		}
		if !isInt32(string(n)) {
			return "", path.Errorf(gqlerr.ParseFailed, "The value %s lies outside the bounds or is not an integer. Maybe it is a float, or is there integer overflow?", haskellScientific(string(n)))
		}
		return string(n), nil
	case schema.KindFloat:
		n, ok := v.(number)
		if !ok {
			return "", typeMismatch(path, sc.Name, "a float", v)
		}
		return string(n), nil
	case schema.KindString:
		s, ok := v.(string)
		if !ok {
			return "", jsonMismatch(path, "Text", "String", v)
		}
		return s, nil
	case schema.KindBoolean:
		b, ok := v.(bool)
		if !ok {
			return "", jsonMismatch(path, "Bool", "Boolean", v)
		}
		return strconv.FormatBool(b), nil
	case schema.KindJSON:
		return jsonText(v), nil
	case schema.KindEnum:
		return enumTableText(v, sc, path)
	}
	if schema.IsLtree(sc) {
		return ltreeText(v, path)
	}
	switch v := v.(type) {
	case string:
		return v, nil
	case number:
		return string(v), nil
	case bool:
		return strconv.FormatBool(v), nil
	case enumValue:
		return string(v), nil
	case []any:
		if typ != nil && typ.IsArray() {
			return arrayLiteral(v), nil
		}
	}
	return jsonText(v), nil
}

// isIntegerText reports whether a number's text is an integer literal.
func isIntegerText(s string) bool {
	if strings.HasPrefix(s, "-") {
		s = s[1:]
	}
	if s == "" {
		return false
	}
	for _, r := range s {
		if r < '0' || r > '9' {
			return false
		}
	}
	return true
}

func isInt32(s string) bool {
	if !isIntegerText(s) {
		// 1.0 and 1e3 are integers too, when they are whole.
		f, ok := new(big.Float).SetString(s)
		if !ok || !f.IsInt() {
			return false
		}
		i, _ := f.Int(nil)
		return i.IsInt64() && i.Int64() >= -1<<31 && i.Int64() < 1<<31
	}
	n, err := strconv.ParseInt(s, 10, 32)
	return err == nil && n >= -1<<31 && n < 1<<31
}

// haskellScientific renders a number as Haskell's Scientific show does,
// which Hasura's messages use: 2147483648 → "2.147483648e9", 12 → "12.0".
func haskellScientific(s string) string {
	f, ok := new(big.Float).SetPrec(200).SetString(s)
	if !ok {
		return s
	}
	abs := new(big.Float).Abs(f)
	if abs.Sign() != 0 && (abs.Cmp(big.NewFloat(0.1)) < 0 || abs.Cmp(big.NewFloat(1e7)) >= 0) {
		mant := f.Text('e', -1) // 2.147483648e+09
		m, e, _ := strings.Cut(mant, "e")
		if !strings.Contains(m, ".") {
			m += ".0"
		}
		exp, _ := strconv.Atoi(e)
		return m + "e" + strconv.Itoa(exp)
	}
	out := f.Text('f', -1)
	if !strings.Contains(out, ".") {
		out += ".0"
	}
	return out
}

// jsonText renders an input value as JSON text, keeping key order.
func jsonText(v any) string { return JSONText(v) }

// JSONText renders a planner input value (a decoded variable) as JSON text,
// keeping key order.
func JSONText(v any) string {
	var b strings.Builder
	writeJSON(&b, v)
	return b.String()
}

func writeJSON(b *strings.Builder, v any) {
	switch v := v.(type) {
	case nil:
		b.WriteString("null")
	case bool:
		b.WriteString(strconv.FormatBool(v))
	case number:
		b.WriteString(string(v))
	case string:
		writeJSONString(b, v)
	case enumValue:
		writeJSONString(b, string(v))
	case []any:
		b.WriteByte('[')
		for i, item := range v {
			if i > 0 {
				b.WriteByte(',')
			}
			writeJSON(b, item)
		}
		b.WriteByte(']')
	case *object:
		b.WriteByte('{')
		for i, k := range v.keys {
			if i > 0 {
				b.WriteByte(',')
			}
			writeJSONString(b, k)
			b.WriteByte(':')
			writeJSON(b, v.vals[i])
		}
		b.WriteByte('}')
	}
}

func writeJSONString(b *strings.Builder, s string) {
	out, _ := json.Marshal(s) // a string always marshals
	b.Write(out)
}

// arrayLiteral renders a list as a Postgres array literal: {"a","b",NULL}.
func arrayLiteral(list []any) string {
	var b strings.Builder
	b.WriteByte('{')
	for i, item := range list {
		if i > 0 {
			b.WriteByte(',')
		}
		switch item := item.(type) {
		case nil:
			b.WriteString("NULL")
		case []any:
			b.WriteString(arrayLiteral(item))
		default:
			var s string
			switch item := item.(type) {
			case string:
				s = item
			case number:
				s = string(item)
			case bool:
				s = strconv.FormatBool(item)
			case enumValue:
				s = string(item)
			default:
				s = jsonText(item)
			}
			b.WriteByte('"')
			b.WriteString(strings.NewReplacer(`\`, `\\`, `"`, `\"`).Replace(s))
			b.WriteByte('"')
		}
	}
	b.WriteByte('}')
	return b.String()
}

// jsonMismatch is the JSON decoder's error Hasura passes on when a value
// does not decode as the column's type: "parsing Text failed, expected
// String, but encountered Number".
func jsonMismatch(path gqlerr.Path, haskellType, expected string, v any) error {
	return path.Errorf(gqlerr.ParseFailed, "parsing %s failed, expected %s, but encountered %s", haskellType, expected, jsonKind(v))
}

// jsonKind names a value's JSON kind as Aeson does.
func jsonKind(v any) string {
	switch v.(type) {
	case nil:
		return "Null"
	case bool:
		return "Boolean"
	case number:
		return "Number"
	case string, enumValue:
		return "String"
	case []any:
		return "Array"
	}
	return "Object"
}
