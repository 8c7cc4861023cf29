package metadata

import (
	"encoding/json"
	"net/http"
	"sort"
	"strings"

	"github.com/trellis-gql/trellis/engine/catalog"
)

// This file holds the entry point of the metadata operations: ApplyOp looks
// the operation up, runs it on a copy of the document and then checks, as
// Hasura does after rebuilding its schema cache, that the change made no
// object inconsistent. The operations themselves live in ops_*.go.

// Codes of the metadata API that only the operations use.
const (
	CodeAlreadyUntracked  = "already-untracked"
	CodeUnexpectedPayload = "unexpected-payload"
)

// success returns the response of most operations.
func success() json.RawMessage { return json.RawMessage(`{"message":"success"}`) }

// opFunc runs one operation on o.md (already a copy) with its arguments.
type opFunc func(o *opCtx, args *value) (json.RawMessage, error)

// lookupOp returns the operation named opType, or nil. Operations on a
// source's objects have a /v1/metadata name (pg_*) and a legacy /v1/query
// name without the prefix; both take the same arguments.
func lookupOp(opType string) opFunc {
	if name, ok := strings.CutPrefix(opType, "pg_"); ok {
		return sourceOp(name)
	}
	if fn := sourceOp(opType); fn != nil {
		return fn
	}
	return otherOp(opType)
}

// sourceOp returns the operation on a source's objects named name (without
// its pg_ prefix), or nil.
func sourceOp(name string) opFunc {
	switch name {
	case "track_table":
		return opTrackTable
	case "untrack_table":
		return opUntrackTable
	case "set_table_customization":
		return opSetTableCustomization
	case "set_table_is_enum":
		return opSetTableIsEnum
	case "create_object_relationship":
		return func(o *opCtx, a *value) (json.RawMessage, error) { return opCreateRelationship(o, a, ObjectRel) }
	case "create_array_relationship":
		return func(o *opCtx, a *value) (json.RawMessage, error) { return opCreateRelationship(o, a, ArrayRel) }
	case "drop_relationship":
		return opDropRelationship
	case "rename_relationship":
		return opRenameRelationship
	case "set_relationship_comment":
		return opSetRelationshipComment
	case "set_permission_comment":
		return opSetPermissionComment
	case "add_computed_field":
		return opAddComputedField
	case "drop_computed_field":
		return opDropComputedField
	case "track_function":
		return opTrackFunction
	case "untrack_function":
		return opUntrackFunction
	}
	for _, pt := range permTypes() {
		switch name {
		case "create_" + pt + "_permission":
			return createPermOp(pt)
		case "drop_" + pt + "_permission":
			return dropPermOp(pt)
		}
	}
	return nil
}

// otherOp returns an operation that has a single name, or nil.
func otherOp(name string) opFunc {
	switch name {
	case "add_existing_table_or_view":
		return opTrackTable
	case "set_table_custom_fields":
		return opSetTableCustomFields
	case "add_inherited_role":
		return opAddInheritedRole
	case "drop_inherited_role":
		return opDropInheritedRole
	case "create_action":
		return opCreateAction
	case "update_action":
		return opUpdateAction
	case "drop_action":
		return opDropAction
	case "create_action_permission":
		return opCreateActionPermission
	case "drop_action_permission":
		return opDropActionPermission
	case "set_custom_types":
		return opSetCustomTypes
	case "clear_metadata":
		return opClearMetadata
	}
	return nil
}

// Handles reports whether ApplyOp knows opType.
func Handles(opType string) bool { return lookupOp(opType) != nil }

// ApplyOp applies one metadata operation to a copy of md and returns the
// new document and the operation's JSON response ({"message":"success"} for
// most). md is never modified. cat is the database as it is now, used to
// validate what the operation adds to the primary source (the one Resolve
// checks); with a nil cat nothing is checked against the database.
//
// Like Hasura, an operation fails when it makes an object of the primary
// source inconsistent: with invalid-configuration and the object's reasons
// when it is the object the operation creates or changes, else with
// unexpected "cannot continue due to new inconsistent metadata". The
// objects are in the error's Internal. Errors are *APIError with Hasura's
// status, code, path and message.
func ApplyOp(md *Metadata, cat *catalog.Catalog, opType string, args json.RawMessage) (*Metadata, json.RawMessage, error) {
	out, _, resp, err := ApplyOpOn(md, nil, cat, opType, args)
	return out, resp, err
}

// ApplyOpOn is ApplyOp for a caller that has prev, md resolved against
// cat (nil when it has not): md is not resolved again. It also returns the
// new document resolved against cat when it had to resolve it (nil
// otherwise), so that the caller need not either.
func ApplyOpOn(md *Metadata, prev *Model, cat *catalog.Catalog, opType string, args json.RawMessage) (*Metadata, *Model, json.RawMessage, error) {
	op := lookupOp(opType)
	if op == nil {
		return nil, nil, nil, Errorf(CodeNotSupported, "$.type", "unknown metadata operation %q", opType)
	}
	v, err := parseArgs(args)
	if err != nil {
		return nil, nil, nil, err
	}
	if md == nil {
		md = &Metadata{Version: MetadataVersion}
	}
	if prev != nil && prev.Catalog != cat {
		prev = nil
	}
	o := &opCtx{md: Clone(md), cat: cat}
	resp, err := op(o, v)
	if err != nil {
		return nil, nil, nil, err
	}
	model, err := o.checkNewInconsistencies(md, prev)
	if err != nil {
		return nil, nil, nil, err
	}
	return o.md, model, resp, nil
}

// parseArgs reads an operation's arguments; absent arguments are null.
func parseArgs(args json.RawMessage) (*value, error) {
	if len(strings.TrimSpace(string(args))) == 0 {
		return &value{kind: kindNull}, nil
	}
	v, err := parseJSON(args)
	if err != nil {
		return nil, Errorf(CodeParseFailed, "$.args", "%s", decodeMessage(err))
	}
	return v, nil
}

// opCtx is one running operation.
type opCtx struct {
	md  *Metadata // the working copy
	cat *catalog.Catalog
	// source is the source the operation changed ("" when it changed
	// none): it is the one checked for new inconsistencies.
	source string
	// objType and objName name the object the operation creates or
	// changes, as Resolve reports it; "" when it has none.
	objType, objName string
}

// touch records that the operation changed source src, and the object it
// is about (objType may be "").
func (o *opCtx) touch(src, objType, objName string) {
	o.source, o.objType, o.objName = src, objType, objName
}

// primary reports whether source src is the one cat describes and Resolve
// checks.
func (o *opCtx) primary(src string) bool {
	p := pickSource(o.md)
	return p != nil && p.Name == src
}

// catFor returns the catalog for source src, or nil when src is not the
// primary source (its database is not introspected).
func (o *opCtx) catFor(src string) *catalog.Catalog {
	if o.primary(src) {
		return o.cat
	}
	return nil
}

// source returns the source named name, or nil.
func (md *Metadata) source(name string) *Source {
	for i := range md.Sources {
		if md.Sources[i].Name == name {
			return &md.Sources[i]
		}
	}
	return nil
}

// entry returns the index of the table entry of n in s, or -1.
func (s *Source) entry(n TableName) int {
	for i := range s.Tables {
		if s.Tables[i].Table == n {
			return i
		}
	}
	return -1
}

// trackedTable returns the source and entry of a tracked table, or
// Hasura's not-exists error.
func (o *opCtx) trackedTable(src string, n TableName) (*Source, *TableEntry, error) {
	if s := o.md.source(src); s != nil {
		if i := s.entry(n); i >= 0 {
			return s, &s.Tables[i], nil
		}
	}
	return nil, nil, Errorf(CodeNotExists, "$.args", "table %s does not exist in source: %s", dquote(tableText(n)), src)
}

// checkNewInconsistencies compares the touched source before (old) and
// after the operation, the way Hasura's buildSchemaCacheFor does.
func (o *opCtx) checkNewInconsistencies(old *Metadata, prev *Model) (*Model, error) {
	if o.source == "" || o.cat == nil || !o.primary(o.source) {
		return nil, nil
	}
	seen := make(map[string]bool)
	if p := pickSource(old); p != nil && p.Name == o.source {
		if prev == nil {
			prev = Resolve(old, o.cat)
		}
		for _, inc := range prev.Inconsistencies {
			seen[inc.Type+"\x00"+inc.Name] = true
		}
	}
	var fresh, mine []Inconsistency
	model := Resolve(o.md, o.cat)
	for _, inc := range model.Inconsistencies {
		if seen[inc.Type+"\x00"+inc.Name] {
			continue
		}
		fresh = append(fresh, inc)
		if o.objType != "" && inc.Type == o.objType && inc.Name == o.objName {
			mine = append(mine, inc)
		}
	}
	if len(mine) > 0 {
		return nil, inconsistentError(mine)
	}
	if len(fresh) > 0 {
		return nil, &APIError{Status: http.StatusBadRequest, Code: CodeUnexpected, Path: "$.args",
			Message: "cannot continue due to new inconsistent metadata", Internal: fresh}
	}
	return model, nil
}

// inconsistentError is Hasura's error for an object the operation made
// inconsistent: its reasons, with the objects as internal.
func inconsistentError(incs []Inconsistency) *APIError {
	reasons := make([]string, len(incs))
	for i, inc := range incs {
		reasons[i] = inc.Reason
	}
	return &APIError{Status: http.StatusBadRequest, Code: CodeInvalidConfiguration, Path: "$.args",
		Message: strings.Join(reasons, ", "), Internal: incs}
}

// dependencyError is Hasura's error for objects that depend on the one an
// operation drops without cascade.
func dependencyError(deps []string) *APIError {
	sort.Strings(deps)
	return Errorf(CodeDependencyError, "$.args", "cannot drop due to the following dependent objects: %s", strings.Join(deps, ", "))
}

// inSource is how Hasura names an object of a source in messages.
func inSource(obj, src string) string { return obj + " in source " + dquote(src) }

// objectName is how Resolve names an object of a table: "<kind> <name> in
// table <table> in source <source>".
func objectName(kind, name string, table TableName, src string) string {
	return kind + " " + name + " in table " + tableText(table) + " in source " + src
}

// tableObjectName is Resolve's name of a table.
func tableObjectName(table TableName, src string) string {
	return "table " + tableText(table) + " in source " + src
}
