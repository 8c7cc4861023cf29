package sqlgen

import (
	"strings"

	"github.com/trellis-gql/trellis/engine/catalog"
)

// Ident quotes an identifier for SQL text: "name", with embedded quotes
// doubled. It is the only way a name reaches SQL text.
func Ident(name string) string {
	return `"` + strings.ReplaceAll(name, `"`, `""`) + `"`
}

// Qualified quotes a schema-qualified name: "schema"."name".
func Qualified(n catalog.QualifiedName) string {
	return Ident(n.Schema) + "." + Ident(n.Name)
}

// typeName is the quoted name of a type, for casts.
func typeName(t *catalog.Type) string {
	if t == nil {
		return "text"
	}
	return Ident(t.Schema) + "." + Ident(t.Name)
}
