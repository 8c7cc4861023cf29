package sqlgen

import (
	"strconv"
	"strings"

	"github.com/trellis-gql/trellis/engine/plan"
)

// Statement is one SQL statement with its arguments. It returns one row;
// column i is the JSON of the i-th root field that reads the database.
type Statement struct {
	SQL  string
	Args []any
}

// gen accumulates SQL text and arguments.
type gen struct {
	// stringify writes bigint, numeric and double precision values as JSON
	// strings (Options.StringifyNumeric).
	stringify bool

	sb     strings.Builder
	args   []any
	keys   map[string]int // text constants (JSON keys) already bound
	nalias int
}

func (g *gen) write(parts ...string) {
	for _, p := range parts {
		g.sb.WriteString(p)
	}
}

// alias returns a fresh table alias: _0, _1, …
func (g *gen) alias() string {
	a := "_" + strconv.Itoa(g.nalias)
	g.nalias++
	return a
}

// bind adds an argument and returns its placeholder.
func (g *gen) bind(v any) string {
	g.args = append(g.args, v)
	return "$" + strconv.Itoa(len(g.args))
}

// text binds a constant text (a JSON key, a __typename) once per statement.
func (g *gen) text(s string) string {
	if n, ok := g.keys[s]; ok {
		return "$" + strconv.Itoa(n) + "::text"
	}
	if g.keys == nil {
		g.keys = map[string]int{}
	}
	ph := g.bind(s)
	g.keys[s] = len(g.args)
	return ph + "::text"
}

// value binds a user value, cast to its type.
func (g *gen) value(v plan.Value) string {
	if spatial(v.Type) {
		return g.spatialValue(v)
	}
	if v.IsList {
		return "(" + g.bind(v.List) + "::text[])::" + typeName(v.Type) + "[]"
	}
	if v.Null {
		return "NULL::" + typeName(v.Type)
	}
	return g.bind(v.Text) + "::" + typeName(v.Type)
}

// Options tune the SQL of GraphQL operations.
type Options struct {
	// StringifyNumeric writes bigint, numeric and double precision values as
	// JSON strings, which JavaScript clients cannot read as numbers without
	// losing precision (Hasura's HASURA_GRAPHQL_STRINGIFY_NUMERIC_TYPES).
	StringifyNumeric bool
}

// Query compiles the root fields of an operation that read the database into
// one statement, or returns nil when none does.
func Query(op *plan.Operation, opts Options) *Statement {
	g := &gen{stringify: opts.StringifyNumeric}
	n := 0
	for _, f := range op.Fields {
		if f.Kind != plan.RootSelect {
			continue
		}
		if n == 0 {
			g.write("SELECT ")
		} else {
			g.write(", ")
		}
		g.selectJSON(f.Select, "")
		g.write(" AS ", Ident(strconv.Itoa(n)))
		n++
	}
	if n == 0 {
		return nil
	}
	return &Statement{SQL: g.sb.String(), Args: g.args}
}
