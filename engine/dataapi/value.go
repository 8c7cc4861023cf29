package dataapi

import (
	"bytes"
	"encoding/json"
	"github.com/trellis-gql/trellis/engine/gqlerr"
	"strings"

	"github.com/trellis-gql/trellis/engine/catalog"
	"github.com/trellis-gql/trellis/engine/plan"
	"github.com/trellis-gql/trellis/metadata"
)

// columnType returns the catalog type of a column (nil when the catalog
// does not know it: the value is then sent as text).
func columnType(m *metadata.Model, c *catalog.Column) *catalog.Type {
	return m.Catalog.Type(c.TypeOID)
}

// isJSONType reports whether t is json or jsonb, whose values are JSON text.
func isJSONType(t *catalog.Type) bool {
	return t != nil && t.Schema == "pg_catalog" && (t.Name == "json" || t.Name == "jsonb")
}

// columnValue turns a JSON value into a parameter for a column of type t,
// as the GraphQL path does: strings, numbers and booleans become their
// text; a json/jsonb column takes the value's JSON text; an array column
// takes a JSON array as an array literal; any other object or array is
// sent as JSON text. Postgres parses the text as the column's type.
func columnValue(raw json.RawMessage, t *catalog.Type) plan.Value {
	raw = bytes.TrimSpace(raw)
	if gqlerr.JSONKind(raw) == "Null" {
		return plan.Value{Null: true, Type: t}
	}
	if isJSONType(t) {
		return plan.Value{Text: compactJSON(raw), Type: t}
	}
	if gqlerr.JSONKind(raw) == "Array" && t != nil && t.IsArray() {
		return plan.Value{Text: arrayLiteral(raw), Type: t}
	}
	return plan.Value{Text: scalarText(raw), Type: t}
}

// scalarText is the text of a JSON value: a string unquoted, anything else
// as compact JSON.
func scalarText(raw json.RawMessage) string {
	if gqlerr.JSONKind(raw) == "String" {
		var s string
		if json.Unmarshal(raw, &s) == nil {
			return s
		}
	}
	return compactJSON(raw)
}

// compactJSON renders a JSON value without insignificant space, keeping key
// order.
func compactJSON(raw json.RawMessage) string {
	var b bytes.Buffer
	if err := json.Compact(&b, raw); err != nil {
		return string(raw)
	}
	return b.String()
}

// arrayLiteral renders a JSON array as a Postgres array literal:
// {"a","b",NULL}, nested arrays as nested literals.
func arrayLiteral(raw json.RawMessage) string {
	var items []json.RawMessage
	if json.Unmarshal(raw, &items) != nil {
		return compactJSON(raw)
	}
	var b strings.Builder
	b.WriteByte('{')
	for i, item := range items {
		if i > 0 {
			b.WriteByte(',')
		}
		switch gqlerr.JSONKind(item) {
		case "Null":
			b.WriteString("NULL")
		case "Array":
			b.WriteString(arrayLiteral(item))
		default:
			b.WriteByte('"')
			b.WriteString(strings.NewReplacer(`\`, `\\`, `"`, `\"`).Replace(scalarText(item)))
			b.WriteByte('"')
		}
	}
	b.WriteByte('}')
	return b.String()
}
