package dataapi

import (
	"bytes"
	"encoding/json"
	"fmt"
	"github.com/trellis-gql/trellis/engine/gqlerr"
	"strconv"
	"strings"

	"github.com/trellis-gql/trellis/engine/catalog"
	"github.com/trellis-gql/trellis/metadata"
)

// Hasura's codes that metadata does not name.
const (
	codeUnexpectedPayload = "unexpected-payload"
	codePermissionDenied  = "permission-denied"
	codeNotFound          = "not-found"
)

// argsPath is the path of a request's arguments; semantic errors are
// reported under it.
const argsPath = "$.args"

// member is one key of a JSON object, in the order written.
type member struct {
	key string
	val json.RawMessage
}

// object is a decoded JSON object whose values are still raw.
type object []member

// get returns the value of key and whether it is present (JSON null counts
// as absent, as for Hasura's optional keys).
func (o object) get(key string) (json.RawMessage, bool) {
	for _, m := range o {
		if m.key == key {
			return m.val, gqlerr.JSONKind(m.val) != "Null"
		}
	}
	return nil, false
}

// parseErr is a parse-failed error. Hasura decodes a request's arguments
// before checking them, so these paths are relative to the arguments: the
// "$.args" prefix of path is dropped.
func parseErr(path, format string, args ...any) error {
	if rest, ok := strings.CutPrefix(path, argsPath); ok {
		path = "$" + rest
	}
	return metadata.Errorf(metadata.CodeParseFailed, path, format, args...)
}

// expected is aeson's type mismatch message.
func expected(path, what, want string, raw json.RawMessage) error {
	return parseErr(path, "parsing %s failed, expected %s, but encountered %s", what, want, gqlerr.JSONKind(raw))
}

// decodeObject decodes a JSON object keeping its key order; a repeated key
// keeps its first position and its last value.
func decodeObject(raw json.RawMessage, path, what string) (object, error) {
	if gqlerr.JSONKind(raw) != "Object" {
		return nil, expected(path, what, "Object", raw)
	}
	dec := json.NewDecoder(bytes.NewReader(raw))
	if _, err := dec.Token(); err != nil {
		return nil, parseErr(path, "%v", err)
	}
	var obj object
	for dec.More() {
		tok, err := dec.Token()
		if err != nil {
			return nil, parseErr(path, "%v", err)
		}
		key, _ := tok.(string)
		var val json.RawMessage
		if err := dec.Decode(&val); err != nil {
			return nil, parseErr(path, "%v", err)
		}
		obj = obj.set(key, val)
	}
	return obj, nil
}

func (o object) set(key string, val json.RawMessage) object {
	for i := range o {
		if o[i].key == key {
			o[i].val = val
			return o
		}
	}
	return append(o, member{key, val})
}

// decodeArray decodes a JSON array into its raw elements.
func decodeArray(raw json.RawMessage, path, what string) ([]json.RawMessage, error) {
	if gqlerr.JSONKind(raw) != "Array" {
		return nil, expected(path, what, "Array", raw)
	}
	var out []json.RawMessage
	if err := json.Unmarshal(raw, &out); err != nil {
		return nil, parseErr(path, "%v", err)
	}
	return out, nil
}

// decodeString decodes a JSON string.
func decodeString(raw json.RawMessage, path, what string) (string, error) {
	var s string
	if gqlerr.JSONKind(raw) != "String" || json.Unmarshal(raw, &s) != nil {
		return "", expected(path, what, "String", raw)
	}
	return s, nil
}

// decodeStrings decodes an array of strings (column names).
func decodeStrings(raw json.RawMessage, path string) ([]string, error) {
	items, err := decodeArray(raw, path, "[]")
	if err != nil {
		return nil, err
	}
	out := make([]string, len(items))
	for i, item := range items {
		if out[i], err = decodeString(item, indexPath(path, i), "Text"); err != nil {
			return nil, err
		}
	}
	return out, nil
}

// decodeInt decodes a JSON integer (limit, offset).
func decodeInt(raw json.RawMessage, path string) (int64, error) {
	if gqlerr.JSONKind(raw) != "Number" {
		return 0, expected(path, "Int", "Number", raw)
	}
	n, err := strconv.ParseInt(string(bytes.TrimSpace(raw)), 10, 64)
	if err != nil {
		return 0, parseErr(path, "parsing Int failed, unexpected floating number %s", bytes.TrimSpace(raw))
	}
	return n, nil
}

// required returns the value of a key that must be present.
func required(o object, key, path string) (json.RawMessage, error) {
	v, ok := o.get(key)
	if !ok {
		return nil, parseErr(path, "key %q not found", key)
	}
	return v, nil
}

// decodeTable reads a table name: "name" (schema public) or
// {"schema", "name"}.
func decodeTable(raw json.RawMessage, path string) (catalog.QualifiedName, error) {
	if gqlerr.JSONKind(raw) == "String" {
		name, err := decodeString(raw, path, "QualifiedTable")
		return catalog.QualifiedName{Schema: "public", Name: name}, err
	}
	obj, err := decodeObject(raw, path, "QualifiedTable")
	if err != nil {
		return catalog.QualifiedName{}, err
	}
	n := catalog.QualifiedName{Schema: "public"}
	nameRaw, err := required(obj, "name", path)
	if err != nil {
		return n, err
	}
	if n.Name, err = decodeString(nameRaw, path+".name", "Text"); err != nil {
		return n, err
	}
	if s, ok := obj.get("schema"); ok {
		if n.Schema, err = decodeString(s, path+".schema", "Text"); err != nil {
			return n, err
		}
	}
	return n, nil
}

// tableText renders a table name as Hasura's messages do: bare in schema
// public, schema.name elsewhere.
func tableText(n catalog.QualifiedName) string {
	if n.Schema == "public" {
		return n.Name
	}
	return n.Schema + "." + n.Name
}

// lookupTable finds a tracked table; errPath is where Hasura reports a
// missing one.
func lookupTable(m *metadata.Model, n catalog.QualifiedName, errPath string) (*metadata.Table, error) {
	if t := m.Table(n); t != nil {
		return t, nil
	}
	return nil, metadata.Errorf(metadata.CodeNotExists, errPath, "table %q does not exist", tableText(n))
}

// checkMutable refuses to write through a view Postgres cannot write to.
func checkMutable(t *metadata.Table, ok bool, what string) error {
	if ok || t.Info.Kind == catalog.KindTable || t.Info.Kind == catalog.KindPartitionedTable {
		return nil
	}
	return metadata.Errorf(metadata.CodeNotSupported, argsPath, "view %q is not %s", tableText(t.Info.Name), what)
}

// column returns the column of t with the given name, or nil.
func column(t *metadata.Table, name string) *catalog.Column {
	for _, c := range t.Columns {
		if c.Name == name {
			return c
		}
	}
	return nil
}

// relationship returns the relationship of t with the given name, or nil.
func relationship(t *metadata.Table, name string) *metadata.Relationship {
	for _, rels := range [][]*metadata.Relationship{t.ObjectRelationships, t.ArrayRelationships} {
		for _, r := range rels {
			if r.Name == name {
				return r
			}
		}
	}
	return nil
}

// noSuchColumn is Hasura's answer, for the admin role, to a column that is
// not among the table's columns where a permission check comes first.
func noSuchColumn(path, name string) error {
	return metadata.Errorf(codePermissionDenied, path, "no such column exists: %q", name)
}

// dbColumn looks up a column the way Hasura's askColInfo does: a missing
// name is not-exists, a relationship is the wrong kind of field.
func dbColumn(t *metadata.Table, name, path, relMsg string) (*catalog.Column, error) {
	if c := column(t, name); c != nil {
		return c, nil
	}
	if relationship(t, name) != nil {
		return nil, metadata.Errorf(codeUnexpectedPayload, path, "expecting a database column; but, %q is a relationship; %s", name, relMsg)
	}
	return nil, metadata.Errorf(metadata.CodeNotExists, path, "column %q does not exist", name)
}

func indexPath(path string, i int) string { return fmt.Sprintf("%s[%d]", path, i) }
