package metadata

import (
	"encoding/json"
	"errors"
)

// This file reads the arguments of metadata operations. Like Hasura's
// parsers, they ignore keys they do not know and report a missing or
// mistyped key with parse-failed, Aeson's wording and the key's path under
// "$.args".

// argPath is the request path of an argument value.
func argPath(v *value) string { return "$.args" + v.path()[1:] }

// aesonKind names a JSON kind the way Aeson's messages do.
func aesonKind(k kind) string {
	return [...]string{"Null", "Boolean", "Number", "String", "Array", "Object"}[k]
}

// parseFailed is a parse-failed error at v.
func parseFailed(v *value, format string, args ...any) *APIError {
	return Errorf(CodeParseFailed, argPath(v), format, args...)
}

// expectObject checks that v is an object; what names the expected
// structure ("TrackTable").
func expectObject(v *value, what string) error {
	if v.kind != kindObject {
		return parseFailed(v, "parsing %s failed, expected Object, but encountered %s", what, aesonKind(v.kind))
	}
	return nil
}

// reqField returns the non-null field key of the object v.
func reqField(v *value, key string) (*value, error) {
	if f := v.get(key); f != nil {
		return f, nil
	}
	return nil, parseFailed(v, "key %q not found", key)
}

// str reads a string value.
func str(v *value) (string, error) {
	if v.kind != kindString {
		return "", parseFailed(v, "parsing Text failed, expected String, but encountered %s", aesonKind(v.kind))
	}
	return v.text, nil
}

// reqStr reads the required string field key of v.
func reqStr(v *value, key string) (string, error) {
	f, err := reqField(v, key)
	if err != nil {
		return "", err
	}
	return str(f)
}

// optStr reads the optional string field key of v; nil when absent or null.
func optStr(v *value, key string) (*string, error) {
	f := v.get(key)
	if f == nil {
		return nil, nil
	}
	s, err := str(f)
	return &s, err
}

// optBool reads the optional boolean field key of v; false when absent.
func optBool(v *value, key string) (bool, error) {
	f := v.get(key)
	if f == nil {
		return false, nil
	}
	if f.kind != kindBool {
		return false, parseFailed(f, "parsing Bool failed, expected Boolean, but encountered %s", aesonKind(f.kind))
	}
	return f.text == "true", nil
}

// reqBool reads the required boolean field key of v.
func reqBool(v *value, key string) (bool, error) {
	if _, err := reqField(v, key); err != nil {
		return false, err
	}
	return optBool(v, key)
}

// qualifiedName reads a table or function name: a bare name (schema
// "public") or {schema, name}.
func qualifiedName(v *value) (TableName, error) {
	n := TableName{Schema: "public"}
	switch v.kind {
	case kindString:
		n.Name = v.text
	case kindObject:
		name, err := reqStr(v, "name")
		if err != nil {
			return n, err
		}
		n.Name = name
		if s, err := optStr(v, "schema"); err != nil {
			return n, err
		} else if s != nil {
			n.Schema = *s
		}
	default:
		return n, parseFailed(v, "expecting a string/object for QualifiedObject")
	}
	return n, nil
}

// reqName reads the required table or function name field key of v.
func reqName(v *value, key string) (TableName, error) {
	f, err := reqField(v, key)
	if err != nil {
		return TableName{}, err
	}
	return qualifiedName(f)
}

// sourceArg reads the optional "source" argument.
func sourceArg(v *value) (string, error) {
	s, err := optStr(v, "source")
	if err != nil || s == nil {
		return DefaultSource, err
	}
	return *s, nil
}

// tableArgs reads the arguments most table operations share: the object
// itself, its source and its table.
func tableArgs(v *value, what string) (src string, table TableName, err error) {
	if err = expectObject(v, what); err != nil {
		return "", table, err
	}
	if src, err = sourceArg(v); err != nil {
		return "", table, err
	}
	table, err = reqName(v, "table")
	return src, table, err
}

// decodeErr turns an error of the metadata decoders, run on part of the
// arguments, into a parse-failed APIError located in the request.
func decodeErr(err error) error {
	var de *DecodeError
	if errors.As(err, &de) {
		path := "$.args"
		if len(de.Path) > 1 {
			path += de.Path[1:]
		}
		return Errorf(CodeParseFailed, path, "%s", de.Msg)
	}
	return Errorf(CodeParseFailed, "$.args", "%s", err.Error())
}

// decodeMessage is the message of a decoding error, without its location.
func decodeMessage(err error) string {
	var de *DecodeError
	if errors.As(err, &de) {
		return de.Msg
	}
	return err.Error()
}

// rawOf renders v as JSON, nil for nil.
func rawOf(v *value) json.RawMessage {
	if v == nil {
		return nil
	}
	return v.json()
}

// marshal renders x, one of this package's types, as JSON; failing is a
// bug (an invalid raw value), reported as unexpected.
func marshal(x any) (json.RawMessage, error) {
	b, err := json.Marshal(x)
	if err != nil {
		return nil, &APIError{Status: 500, Code: CodeUnexpected, Path: "$.args", Message: "cannot encode metadata: " + err.Error()}
	}
	return b, nil
}
