package metadata

import (
	"encoding/json"
	"strconv"
	"strings"

	"github.com/trellis-gql/trellis/engine/catalog"
)

// Tracked functions and computed fields, checked against the catalog the
// way Hasura builds them (Hasura.Backends.Postgres.DDL.Function and
// .ComputedField): every problem found is listed, "because <reason>" for
// one and "for the following reasons:" and a bulleted list for several.

// Function is a tracked SQL function that returns rows of a tracked table.
type Function struct {
	Info *catalog.Function
	// Returns is the tracked table whose rows the function returns.
	Returns *Table
	// Config is the function's configuration block.
	Config FunctionConfig
	// Comment is the metadata comment; nil when none was given.
	Comment *string
	// Args are the function's input arguments in order, the session
	// argument marked.
	Args []FunctionArg
	// ExposedAs is "query" or "mutation": the configured exposed_as, else
	// "mutation" for a VOLATILE function and "query" for the others.
	ExposedAs string
}

// FunctionConfig is a tracked function's "configuration".
type FunctionConfig struct {
	CustomName       string `json:"custom_name,omitempty"`
	CustomRootFields struct {
		Function          string `json:"function,omitempty"`
		FunctionAggregate string `json:"function_aggregate,omitempty"`
	} `json:"custom_root_fields"`
	SessionArgument string `json:"session_argument,omitempty"`
	ExposedAs       string `json:"exposed_as,omitempty"`
}

// ArgRole tells who supplies a function argument.
type ArgRole int

// Argument roles.
const (
	ArgInput    ArgRole = iota // the client, in the GraphQL "args" object
	ArgSession                 // the engine: the session variables as json
	ArgTableRow                // the engine: the row of a computed field's table
)

// FunctionArg is an input argument of a function.
type FunctionArg struct {
	// Name is the SQL name, "" for an unnamed argument.
	Name string
	// GraphQLName is Name, or arg_<n> for the n-th unnamed input argument.
	GraphQLName string
	Type        *catalog.Type
	HasDefault  bool
	Role        ArgRole
}

// ComputedField is a computed field of a table whose function checks out.
type ComputedField struct {
	Name     string
	Function *catalog.Function
	// Args are the function's input arguments in order, with the table row
	// and session arguments marked.
	Args []FunctionArg
	// Scalar is the return type of a scalar computed field; nil when the
	// function returns rows of Table.
	Scalar *catalog.Type
	Table  *Table
	// Description is the metadata comment, else the function's comment,
	// else Hasura's generated text.
	Description string
}

// Exposure of a tracked function.
const (
	ExposedAsQuery    = "query"
	ExposedAsMutation = "mutation"
)

// reasonMessage joins validation problems as Hasura's makeReasonMessage.
func reasonMessage(reasons []string) string {
	if len(reasons) == 1 {
		return "because " + reasons[0]
	}
	var b strings.Builder
	b.WriteString("for the following reasons:\n")
	for _, r := range reasons {
		b.WriteString("  • " + r + "\n")
	}
	return b.String()
}

// singleFunction finds the one function named n, or says why there is none.
func singleFunction(cat *catalog.Catalog, n TableName) (*catalog.Function, string) {
	if reason := functionProblem(cat, n); reason != "" {
		return nil, reason
	}
	return cat.Function(n)[0], ""
}

// functionArgs names a function's input arguments: unnamed ones are
// arg_1, arg_2, … in order.
func (r *resolver) functionArgs(fn *catalog.Function) []FunctionArg {
	out := make([]FunctionArg, len(fn.Args))
	unnamed := 0
	for i, a := range fn.Args {
		out[i] = FunctionArg{Name: a.Name, GraphQLName: a.Name, Type: r.cat.Type(a.TypeOID), HasDefault: a.HasDefault}
		if a.Name == "" {
			unnamed++
			out[i].GraphQLName = "arg_" + strconv.Itoa(unnamed)
		}
	}
	return out
}

// returnedTable is the relation whose row type a function returns, or nil
// when it returns another type.
func (r *resolver) returnedTable(fn *catalog.Function) (*catalog.Type, *catalog.Table) {
	t := r.cat.Type(fn.ReturnTypeOID)
	if t == nil || t.Kind != catalog.TypeComposite {
		return t, nil
	}
	return t, r.cat.Table(catalog.QualifiedName{Schema: t.Schema, Name: t.Name})
}

func argIndex(args []FunctionArg, name string) int {
	for i, a := range args {
		if a.Name != "" && a.Name == name {
			return i
		}
	}
	return -1
}

func typeText(t *catalog.Type) string {
	if t == nil {
		return "unknown"
	}
	if t.Schema == "pg_catalog" || t.Schema == "public" {
		return t.Name
	}
	return t.Schema + "." + t.Name
}

// functions resolves the tracked functions of a source, in metadata order.
func (r *resolver) functions(entries []json.RawMessage) ([]*Function, []Inconsistency) {
	var out []*Function
	var issues []Inconsistency
	for _, raw := range entries {
		n, ok := functionName(raw)
		if !ok {
			continue
		}
		f, reason := r.function(n, raw)
		if reason != "" {
			issues = append(issues, functionInconsistency(n, r.source, reason))
			continue
		}
		out = append(out, f)
	}
	return out, issues
}

// function checks one tracked function.
func (r *resolver) function(n TableName, raw json.RawMessage) (*Function, string) {
	if r.cat == nil {
		return nil, "no such function exists: " + dquote(tableText(n))
	}
	fn, reason := singleFunction(r.cat, n)
	if fn == nil {
		return nil, reason
	}
	var entry struct {
		Configuration FunctionConfig `json:"configuration"`
		Comment       *string        `json:"comment"`
	}
	// A malformed configuration was refused when the function was tracked;
	// whatever is left over reads as no configuration.
	if v, err := parseJSON(raw); err == nil && v.kind == kindObject {
		_ = json.Unmarshal(raw, &entry)
	}
	f := &Function{Info: fn, Config: entry.Configuration, Comment: entry.Comment, Args: r.functionArgs(fn)}
	var reasons []string
	gqlName := f.Config.CustomName
	if gqlName == "" {
		gqlName = qualifiedGraphQLName(n)
	}
	if !IsGraphQLName(gqlName) {
		reasons = append(reasons, "function name is not a legal GraphQL identifier")
	}
	ret, table := r.returnedTable(fn)
	if ret == nil || ret.Kind != catalog.TypeComposite {
		reasons = append(reasons, `the function does not return a "COMPOSITE" type`)
	}
	if ret != nil && ret.Kind == catalog.TypeComposite && table == nil {
		reasons = append(reasons, "the function does not return a table")
	}
	volatile := fn.Volatility == 'v'
	switch f.Config.ExposedAs {
	case ExposedAsMutation:
		if !volatile {
			reasons = append(reasons, "the function was requested to be exposed as a mutation, but is not marked VOLATILE. "+
				"Maybe the function was given the wrong volatility when it was defined?")
		}
		f.ExposedAs = ExposedAsMutation
	case ExposedAsQuery:
		f.ExposedAs = ExposedAsQuery
	default:
		f.ExposedAs = ExposedAsQuery
		if volatile {
			f.ExposedAs = ExposedAsMutation
		}
	}
	// Arguments of any type are accepted, as in current Hasura (which
	// once refused non-base types): a composite one is read as a scalar
	// of its own (see schema.FunctionArgScalar).
	var badNames []string
	for _, a := range f.Args {
		if a.Name != "" && !IsGraphQLName(a.Name) {
			badNames = append(badNames, a.Name)
		}
	}
	if len(badNames) > 0 {
		reasons = append(reasons, "the function arguments "+strings.Join(badNames, ",")+" are not in compliance with GraphQL spec")
	}
	if s := f.Config.SessionArgument; s != "" {
		i := argIndex(f.Args, s)
		switch {
		case i < 0:
			reasons = append(reasons, "given session argument "+dquote(s)+" not the input argument of the function")
		case !isJSONType(f.Args[i].Type, false):
			reasons = append(reasons, "given session argument "+dquote(s)+" is not of type json")
		default:
			f.Args[i].Role = ArgSession
		}
	}
	if len(reasons) > 0 {
		return nil, "the function " + dquote(tableText(n)) + " cannot be tracked " + reasonMessage(reasons)
	}
	f.Returns = r.tracked[table.Name]
	if f.Returns == nil {
		return nil, "table " + dquote(tableText(table.Name)) + " is not tracked"
	}
	return f, ""
}

// isJSONType reports whether t is json (or, when jsonb is true, jsonb).
func isJSONType(t *catalog.Type, jsonb bool) bool {
	if t == nil || t.Schema != "pg_catalog" {
		return false
	}
	return t.Name == "json" || (jsonb && t.Name == "jsonb")
}

// qualifiedGraphQLName is a function's default GraphQL name: its name,
// prefixed by its schema when that is not "public".
func qualifiedGraphQLName(n TableName) string {
	if n.Schema == "public" {
		return n.Name
	}
	return n.Schema + "_" + n.Name
}

// computedFieldEntry is a computed field as written in a table entry.
type computedFieldEntry struct {
	Name       string
	Function   TableName
	TableArg   string
	SessionArg string
	Comment    *string
	raw        json.RawMessage
}

// readComputedField reads a stored computed field; ok is false when it has
// no name or function (add_computed_field refuses those).
func readComputedField(raw json.RawMessage) (computedFieldEntry, bool) {
	e := computedFieldEntry{raw: raw}
	v, err := parseJSON(raw)
	if err != nil || v.kind != kindObject {
		return e, false
	}
	name, ok := computedFieldFunction(raw)
	if !ok || v.get("name") == nil || v.get("name").kind != kindString {
		return e, false
	}
	e.Name, e.Function = v.get("name").text, name
	d := v.get("definition")
	if s := d.get("table_argument"); s != nil && s.kind == kindString {
		e.TableArg = s.text
	}
	if s := d.get("session_argument"); s != nil && s.kind == kindString {
		e.SessionArg = s.text
	}
	if c := v.get("comment"); c != nil && c.kind == kindString {
		e.Comment = &c.text
	}
	return e, true
}

// computedFieldDefinition is the definition Hasura reports with a broken
// computed field: the add_computed_field arguments.
type computedFieldDefinition struct {
	Source     string          `json:"source"`
	Table      TableName       `json:"table"`
	Name       string          `json:"name"`
	Definition json.RawMessage `json:"definition"`
	Comment    *string         `json:"comment"`
}

// computedFields resolves the computed fields of t, written in entry e
// (the owner-th table entry), in metadata order.
func (r *resolver) computedFields(t *Table, e *TableEntry, owner int) {
	for _, raw := range e.ComputedFields {
		cf, ok := readComputedField(raw)
		if !ok {
			continue
		}
		resolved, reason := r.computedField(t, cf)
		if reason != "" {
			var def computedFieldDefinition
			def.Source, def.Table, def.Name, def.Comment = r.source, t.Info.Name, cf.Name, cf.Comment
			if v, err := parseJSON(raw); err == nil {
				def.Definition = v.get("definition").json()
			}
			r.issues[owner] = append(r.issues[owner], Inconsistency{
				Type:       "computed_field",
				Name:       objectName("computed_field", cf.Name, t.Info.Name, r.source),
				Reason:     inconsistentPrefix + "in table " + dquote(tableText(t.Info.Name)) + ": in computed field " + dquote(cf.Name) + ": " + reason,
				Definition: def,
			})
			continue
		}
		t.ComputedFields = append(t.ComputedFields, resolved)
	}
}

// computedField checks one computed field of t.
func (r *resolver) computedField(t *Table, e computedFieldEntry) (*ComputedField, string) {
	if r.cat == nil {
		return nil, "no such function exists: " + dquote(tableText(e.Function))
	}
	fn, reason := singleFunction(r.cat, e.Function)
	if fn == nil {
		return nil, reason
	}
	fnText := dquote(tableText(e.Function))
	cf := &ComputedField{Name: e.Name, Function: fn, Args: r.functionArgs(fn)}
	var reasons []string
	if !IsGraphQLName(e.Name) {
		reasons = append(reasons, dquote(e.Name)+" is not valid GraphQL name")
	}
	if fn.Volatility == 'v' {
		reasons = append(reasons, "the function "+fnText+" is of type VOLATILE; cannot be added as a computed field")
	}
	ret, table := r.returnedTable(fn)
	switch {
	case table != nil:
		cf.Table = r.tracked[table.Name]
		if cf.Table == nil {
			reasons = append(reasons, "the function "+fnText+" returning set of table "+dquote(tableText(table.Name))+" is not tracked or not found in database")
		}
	case ret == nil || ret.Kind != catalog.TypeBase:
		reasons = append(reasons, "the function "+fnText+" returning type "+typeText(ret)+" is not a BASE type")
	default:
		cf.Scalar = ret
	}
	reasons = append(reasons, r.tableArgument(t, cf, e, fnText)...)
	if s := e.SessionArg; s != "" {
		i := argIndex(cf.Args, s)
		switch {
		case i < 0:
			reasons = append(reasons, dquote(s)+" is not an input argument of the function "+fnText)
		case !isJSONType(cf.Args[i].Type, true):
			reasons = append(reasons, dquote(s)+" argument of the function "+fnText+" is not of type JSON")
		default:
			cf.Args[i].Role = ArgSession
		}
	}
	if len(reasons) > 0 {
		return nil, "the computed field " + dquote(e.Name) + " cannot be added to table " + dquote(tableText(t.Info.Name)) + " " + reasonMessage(reasons)
	}
	switch {
	case e.Comment != nil:
		cf.Description = *e.Comment
	case fn.Comment != "":
		cf.Description = fn.Comment
	default:
		cf.Description = "A computed field, executes function " + fnText
	}
	return cf, ""
}

// tableArgument marks the argument that takes t's row: the one named by
// table_argument, else the first; it must be of t's row type.
func (r *resolver) tableArgument(t *Table, cf *ComputedField, e computedFieldEntry, fnText string) []string {
	i, which := 0, "first argument of the function "+fnText
	if e.TableArg != "" {
		if i = argIndex(cf.Args, e.TableArg); i < 0 {
			return []string{dquote(e.TableArg) + " is not an input argument of the function " + fnText}
		}
		which = dquote(e.TableArg) + " argument of the function " + fnText
	} else if len(cf.Args) == 0 {
		return []string{"the function " + fnText + " has no input arguments"}
	}
	var reasons []string
	typ := cf.Args[i].Type
	if typ == nil || typ.Kind != catalog.TypeComposite {
		reasons = append(reasons, which+" is not COMPOSITE type")
	}
	if typ == nil || typ.Schema != t.Info.Name.Schema || typ.Name != t.Info.Name.Name {
		reasons = append(reasons, which+" of type "+dquote(typeText(typ))+" is not the table to which the computed field is being added")
	}
	cf.Args[i].Role = ArgTableRow
	return reasons
}
