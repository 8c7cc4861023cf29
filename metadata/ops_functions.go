package metadata

import (
	"encoding/json"
	"errors"

	"github.com/trellis-gql/trellis/engine/catalog"
)

// Functions and computed fields. track_function and add_computed_field
// leave the checks against the primary source's catalog to Resolve
// (resolve_functions.go), whose inconsistencies they report as their own;
// the operations themselves check the shape of their arguments and the
// names already in the document.

// functionName reads the "function" of a tracked function entry.
func functionName(raw json.RawMessage) (TableName, bool) {
	v, err := parseJSON(raw)
	if err != nil || v.kind != kindObject {
		return TableName{}, false
	}
	f := v.get("function")
	if f == nil {
		return TableName{}, false
	}
	n, err := qualifiedName(f)
	return n, err == nil
}

// function returns the index of the tracked function n in s, or -1.
func (s *Source) function(n TableName) int {
	for i, raw := range s.Functions {
		if fn, ok := functionName(raw); ok && fn == n {
			return i
		}
	}
	return -1
}

// functionEntry is a tracked function as stored in a source.
type functionEntry struct {
	Function      TableName       `json:"function"`
	Configuration json.RawMessage `json:"configuration,omitempty"`
	Comment       *string         `json:"comment,omitempty"`
}

// parseTrackFunction reads {function, source, configuration, comment} or,
// in the legacy form, the function name alone.
func parseTrackFunction(a *value) (string, functionEntry, error) {
	var f functionEntry
	if a.kind != kindObject || a.get("function") == nil {
		n, err := qualifiedName(a)
		f.Function = n
		return DefaultSource, f, err
	}
	src, err := sourceArg(a)
	if err != nil {
		return "", f, err
	}
	if f.Function, err = reqName(a, "function"); err != nil {
		return "", f, err
	}
	if c := a.get("configuration"); c != nil {
		if err := expectObject(c, "FunctionConfig"); err != nil {
			return "", f, err
		}
		if len(c.fields) > 0 {
			f.Configuration = c.json()
		}
	}
	if f.Comment, err = optStr(a, "comment"); err != nil {
		return "", f, err
	}
	return src, f, nil
}

func opTrackFunction(o *opCtx, a *value) (json.RawMessage, error) {
	src, f, err := parseTrackFunction(a)
	if err != nil {
		return nil, err
	}
	s, err := o.sourceForTrack(src)
	if err != nil {
		return nil, err
	}
	name := dquote(tableText(f.Function))
	if s.function(f.Function) >= 0 {
		return nil, Errorf(CodeAlreadyTracked, "$.args", "function already tracked: %s", name)
	}
	if s.entry(f.Function) >= 0 {
		return nil, Errorf(CodeNotSupported, "$.args", "table with name %s already exists", name)
	}
	raw, err := marshal(f)
	if err != nil {
		return nil, err
	}
	s.Functions = append(s.Functions, raw)
	// Resolve checks the function against the catalog (when the source is
	// the primary one) and its problems are reported as this operation's.
	o.touch(s.Name, "function", functionInconsistency(f.Function, s.Name, "").Name)
	return success(), nil
}

// functionProblem returns why function n of cat cannot be tracked, as
// Hasura words it when it builds the function, or "" when it can: it must
// exist and must not be overloaded.
func functionProblem(cat *catalog.Catalog, n TableName) string {
	switch len(cat.Function(n)) {
	case 0:
		return "no such function exists: " + dquote(tableText(n))
	case 1:
		return ""
	default:
		return "function " + dquote(tableText(n)) + " is overloaded. Overloaded functions are not supported"
	}
}

// functionInconsistency is the inconsistent object Hasura reports for a
// tracked function of source src that cannot be built.
func functionInconsistency(n TableName, src, reason string) Inconsistency {
	return Inconsistency{
		Type:       "function",
		Name:       "function " + tableText(n) + " in source " + src,
		Reason:     inconsistentPrefix + "in function " + dquote(tableText(n)) + ": " + reason,
		Definition: n,
	}
}

func opUntrackFunction(o *opCtx, a *value) (json.RawMessage, error) {
	src := DefaultSource
	var n TableName
	var err error
	if a.kind == kindObject && (a.get("function") != nil || a.get("source") != nil) {
		if src, err = sourceArg(a); err != nil {
			return nil, err
		}
		n, err = reqName(a, "function")
	} else {
		n, err = qualifiedName(a)
	}
	if err != nil {
		return nil, err
	}
	s := o.md.source(src)
	i := -1
	if s != nil {
		i = s.function(n)
	}
	if i < 0 {
		return nil, Errorf(CodeNotExists, "$.args", "function %s does not exist in source: %s", dquote(tableText(n)), src)
	}
	s.Functions = append(s.Functions[:i], s.Functions[i+1:]...)
	if len(s.Functions) == 0 {
		s.Functions = nil
	}
	o.touch(src, "", "")
	return success(), nil
}

// computedField is a computed field as stored in a table entry.
type computedField struct {
	Name       string          `json:"name"`
	Definition json.RawMessage `json:"definition"`
	Comment    *string         `json:"comment,omitempty"`
}

// computedFieldFunction reads the "definition"."function" of a computed
// field entry.
func computedFieldFunction(raw json.RawMessage) (TableName, bool) {
	v, err := parseJSON(raw)
	if err != nil || v.kind != kindObject {
		return TableName{}, false
	}
	d := v.get("definition")
	if d == nil || d.kind != kindObject || d.get("function") == nil {
		return TableName{}, false
	}
	n, err := qualifiedName(d.get("function"))
	return n, err == nil
}

// computedFieldTable reads {source, table} and finds the table; Hasura
// reports a missing one at $.args.table.
func (o *opCtx) computedFieldTable(a *value, what string) (string, *TableEntry, error) {
	src, n, err := tableArgs(a, what)
	if err != nil {
		return "", nil, err
	}
	_, e, err := o.trackedTable(src, n)
	var ae *APIError
	if errors.As(err, &ae) {
		ae.Path = "$.args.table"
	}
	return src, e, err
}

func opAddComputedField(o *opCtx, a *value) (json.RawMessage, error) {
	if err := expectObject(a, "AddComputedField"); err != nil {
		return nil, err
	}
	var cf computedField
	var err error
	if cf.Name, err = reqStr(a, "name"); err != nil {
		return nil, err
	}
	dv, err := reqField(a, "definition")
	if err != nil {
		return nil, err
	}
	if err := expectObject(dv, "ComputedFieldDefinition"); err != nil {
		return nil, err
	}
	if _, err := reqName(dv, "function"); err != nil {
		return nil, err
	}
	cf.Definition = dv.json()
	if cf.Comment, err = optStr(a, "comment"); err != nil {
		return nil, err
	}
	src, e, err := o.computedFieldTable(a, "AddComputedField")
	if err != nil {
		return nil, err
	}
	if o.hasField(src, e, cf.Name) {
		return nil, Errorf(CodeAlreadyExists, "$.args.name", "column/relationship %s of table %s already exists",
			dquote(cf.Name), dquote(tableText(e.Table)))
	}
	raw, err := marshal(cf)
	if err != nil {
		return nil, err
	}
	e.ComputedFields = append(e.ComputedFields, raw)
	o.touch(src, "computed_field", objectName("computed_field", cf.Name, e.Table, src))
	return success(), nil
}

func opDropComputedField(o *opCtx, a *value) (json.RawMessage, error) {
	src, e, err := o.computedFieldTable(a, "DropComputedField")
	if err != nil {
		return nil, err
	}
	name, err := reqStr(a, "name")
	if err != nil {
		return nil, err
	}
	cascade, err := optBool(a, "cascade")
	if err != nil {
		return nil, err
	}
	i := rawNamed(e.ComputedFields, name)
	if i < 0 {
		return nil, o.notComputedField(src, e, name)
	}
	s := o.md.source(src)
	deps := o.fieldDependents(s, e.Table, name, false)
	for _, p := range permissions(s) {
		if p.entry.Table != e.Table || p.typ != "select" {
			continue
		}
		if perm := p.root.get("permission"); perm != nil && perm.get("computed_fields") != nil {
			names, _ := strList(perm.get("computed_fields"))
			for _, n := range names {
				if n == name {
					deps.add(permDependent(p))
				}
			}
		}
	}
	if len(deps) > 0 && !cascade {
		return nil, dependencyError(deps.names(src))
	}
	o.purge(s, deps)
	e.ComputedFields = append(e.ComputedFields[:i], e.ComputedFields[i+1:]...)
	if len(e.ComputedFields) == 0 {
		e.ComputedFields = nil
	}
	o.touch(src, "", "")
	return success(), nil
}

// notComputedField is Hasura's error for a computed field that is missing
// or is another kind of field.
func (o *opCtx) notComputedField(src string, e *TableEntry, name string) error {
	other := ""
	switch {
	case o.isColumn(src, e, name):
		other = "column"
	case rawNamed(e.RemoteRelationships, name) >= 0:
		other = "remote relationship"
	default:
		if _, i := findRel(e, name); i >= 0 {
			other = "relationship"
		}
	}
	if other != "" {
		return Errorf(CodeUnexpectedPayload, "$.args.name", "expecting a computed field; but, %s is a %s", dquote(name), other)
	}
	return Errorf(CodeNotExists, "$.args.name", "computed field %s does not exist", dquote(name))
}
