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
	// Slots are the arguments that hold a variable's value, SessionArgs
	// those that hold the session variables' JSON (see Rebind).
	Slots       []Slot
	SessionArgs []int
	// CursorArgs hold a streaming cursor's value; such a statement answers
	// one more column, the cursor's value after the rows it returns
	// (the text of the last row's cursor column, NULL for no row).
	CursorArgs []int
	// Checked says that the statement (a mutation step) answers a second
	// column: whether every row it wrote passed its permission check.
	Checked bool
}

// Slot is an argument whose value comes from a variable.
type Slot struct {
	Arg    int // index in Args
	Source *plan.VarSource
	// List says whether the argument is the text[] of a list value.
	List bool
}

// Rebind returns the statement with the variables' new values in their
// slots. The SQL text is shared; ok is false when a value fails the
// planner's checks or is null where the statement was compiled for a
// value, and the request must then be planned again.
func (s *Statement) Rebind(vars plan.Variables, session string) (out *Statement, ok bool) {
	args := append([]any(nil), s.Args...)
	for _, i := range s.SessionArgs {
		args[i] = sessionOrEmpty(session)
	}
	for _, sl := range s.Slots {
		v, err := sl.Source.Convert(vars[sl.Source.Name])
		if err != nil || v.Null || v.IsList != sl.List {
			return nil, false
		}
		if v.IsList {
			args[sl.Arg] = v.List
		} else {
			args[sl.Arg] = v.Text
		}
	}
	return &Statement{SQL: s.SQL, Args: args, Slots: s.Slots, SessionArgs: s.SessionArgs, CursorArgs: s.CursorArgs, Checked: s.Checked}, true
}

// sessionOrEmpty is the session argument's value: "" stands for {}.
func sessionOrEmpty(session string) string {
	if session == "" {
		return "{}"
	}
	return session
}

// gen accumulates SQL text and arguments.
type gen struct {
	// stringify writes bigint, numeric and double precision values as JSON
	// strings (Options.StringifyNumeric).
	stringify bool
	// session is the session variables' JSON, the value of a function's
	// session argument.
	session     string
	sessionArgs []int // the arguments that hold session
	cursorArgs  []int // the arguments that hold a stream's cursor
	sessionPh   string
	// scope is the alias of the row a permission expression is about
	// (plan.Scope), which its root column comparisons read.
	scope string
	// cells are the cell filters of the rows read under each alias.
	cells map[string]map[string]plan.BoolExp

	sb     strings.Builder
	args   []any
	slots  []Slot
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
	if v.Null {
		return "NULL::" + typeName(v.Type)
	}
	if spatial(v.Type) {
		return g.spatialValue(v)
	}
	ph := g.bindValue(v)
	if v.IsList {
		return "(" + ph + "::text[])::" + typeName(v.Type) + "[]"
	}
	return ph + "::" + typeName(v.Type)
}

// bindValue adds the argument of a non-null user value, noting the slot
// when the value is a variable's.
func (g *gen) bindValue(v plan.Value) string {
	if v.Session != "" {
		return "(" + g.sessionArg() + "->>" + g.text(v.Session) + ")"
	}
	var ph string
	if v.IsList {
		ph = g.bind(v.List)
	} else {
		ph = g.bind(v.Text)
	}
	if v.From != nil {
		g.slots = append(g.slots, Slot{Arg: len(g.args) - 1, Source: v.From, List: v.IsList})
	}
	if v.Cursor {
		g.cursorArgs = append(g.cursorArgs, len(g.args)-1)
	}
	return ph
}

// sessionArg binds the session variables' JSON, once per statement, and
// returns it as a json expression.
func (g *gen) sessionArg() string {
	if g.sessionPh == "" {
		g.sessionPh = g.bind(sessionOrEmpty(g.session)) + "::json"
		g.sessionArgs = append(g.sessionArgs, len(g.args)-1)
	}
	return g.sessionPh
}

// Options tune the SQL of GraphQL operations.
type Options struct {
	// StringifyNumeric writes bigint, numeric and double precision values as
	// JSON strings, which JavaScript clients cannot read as numbers without
	// losing precision (Hasura's HASURA_GRAPHQL_STRINGIFY_NUMERIC_TYPES).
	StringifyNumeric bool
	// Session is the JSON object of the request's session variables,
	// passed to functions that take a session argument; "" means {}.
	Session string
}

// Query compiles the root fields of an operation that read the database into
// one statement, or returns nil when none does.
func Query(op *plan.Operation, opts Options) *Statement {
	g := &gen{stringify: opts.StringifyNumeric, session: opts.Session}
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
	for _, f := range op.Fields {
		if f.Kind == plan.RootSelect && f.Select.Stream != nil {
			g.write(", ")
			g.streamCursor(f.Select)
			g.write(" AS ", Ident("cursor"))
		}
	}
	return &Statement{SQL: g.sb.String(), Args: g.args, Slots: g.slots, SessionArgs: g.sessionArgs, CursorArgs: g.cursorArgs}
}
