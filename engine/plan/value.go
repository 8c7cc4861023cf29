package plan

import (
	"bytes"
	"encoding/json"
	"fmt"
	"io"

	"github.com/graphql-go/graphql/language/ast"

	"github.com/trellis-gql/trellis/engine/gqlerr"
)

// Input values, once variables are substituted, are one of:
//
//	nil        null
//	bool       true, false
//	string     a string
//	number     a number, as written
//	enumValue  an enum literal
//	[]any      a list
//	*object    an object, keys in the order written
type (
	number    string
	enumValue string
	object    struct {
		keys []string
		vals []any
		// vars names, for a key whose value was written as a variable in
		// the query, that variable (see source).
		vars map[string]string
		// varItems marks, for a key whose value was written as a list in
		// the query, the items written as variables (see written).
		varItems map[string]map[int]bool
		// decoded is set on an object that comes from a variable's JSON
		// value: nothing in it was written in the query.
		decoded bool
	}
)

// Variables are a request's variable values, decoded keeping key order.
type Variables map[string]any

// DecodeVariables decodes the "variables" member of a request. Empty input
// and JSON null give no variables.
func DecodeVariables(raw []byte) (Variables, error) {
	raw = bytes.TrimSpace(raw)
	if len(raw) == 0 || string(raw) == "null" {
		return Variables{}, nil
	}
	dec := json.NewDecoder(bytes.NewReader(raw))
	dec.UseNumber()
	v, err := decodeJSON(dec)
	if err != nil {
		return nil, err
	}
	obj, ok := v.(*object)
	if !ok {
		return nil, fmt.Errorf("variables must be an object")
	}
	vars := make(Variables, len(obj.keys))
	for i, k := range obj.keys {
		vars[k] = obj.vals[i]
	}
	return vars, nil
}

func decodeJSON(dec *json.Decoder) (any, error) {
	tok, err := dec.Token()
	if err != nil {
		if err == io.EOF {
			return nil, io.ErrUnexpectedEOF
		}
		return nil, err
	}
	switch t := tok.(type) {
	case json.Delim:
		switch t {
		case '{':
			obj := &object{decoded: true}
			for dec.More() {
				kt, err := dec.Token()
				if err != nil {
					return nil, err
				}
				k, _ := kt.(string)
				v, err := decodeJSON(dec)
				if err != nil {
					return nil, err
				}
				obj.set(k, v)
			}
			_, err := dec.Token() // '}'
			return obj, err
		case '[':
			list := []any{}
			for dec.More() {
				v, err := decodeJSON(dec)
				if err != nil {
					return nil, err
				}
				list = append(list, v)
			}
			_, err := dec.Token() // ']'
			return list, err
		}
	case json.Number:
		return number(t), nil
	case string, bool, nil:
		return t, nil
	}
	return nil, fmt.Errorf("unexpected JSON token %v", tok)
}

// set adds or replaces a key, keeping the first position of a repeated key.
func (o *object) set(k string, v any) {
	for i, have := range o.keys {
		if have == k {
			o.vals[i] = v
			return
		}
	}
	o.keys = append(o.keys, k)
	o.vals = append(o.vals, v)
}

// setSource records that key's value is variable name's.
func (o *object) setSource(key, name string) {
	if o.vars == nil {
		o.vars = map[string]string{}
	}
	o.vars[key] = name
}

// source returns the variable key's value was written as, or "".
func (o *object) source(key string) string { return o.vars[key] }

// setItemSource records that item i of key's list was written as a variable.
func (o *object) setItemSource(key string, i int) {
	if o.varItems == nil {
		o.varItems = map[string]map[int]bool{}
	}
	if o.varItems[key] == nil {
		o.varItems[key] = map[int]bool{}
	}
	o.varItems[key][i] = true
}

// written reports whether key's value (item < 0), or item i of it when it
// is a list, was written in the query rather than given by a variable.
// Hasura's parsers tell the two apart: a string is an enum value only when
// it comes from a variable's JSON.
func (o *object) written(key string, item int) bool {
	if o.decoded || o.vars[key] != "" {
		return false
	}
	return item < 0 || !o.varItems[key][item]
}

// get returns the value of a key and whether it is present.
func (o *object) get(k string) (any, bool) {
	for i, have := range o.keys {
		if have == k {
			return o.vals[i], true
		}
	}
	return nil, false
}

// NullLiteral is how a null written in a query reaches the planner: the
// parser knows no null literal, so the text is rewritten to this enum
// literal first (see gql.Parse).
const NullLiteral = "__null"

// valueOf turns an AST value into an input value, substituting variables.
func (p *planner) valueOf(v ast.Value, path gqlerr.Path) (any, error) {
	switch v := v.(type) {
	case *ast.Variable:
		name := v.Name.Value
		if _, declared := p.varDefs[name]; !declared {
			return nil, path.Errorf(gqlerr.ValidationFailed, "unbound variable %q", name)
		}
		p.uses[name]++
		val, ok := p.vars[name]
		if !ok {
			return nil, nil
		}
		return val, nil
	case *ast.IntValue:
		return number(v.Value), nil
	case *ast.FloatValue:
		return number(v.Value), nil
	case *ast.StringValue:
		return v.Value, nil
	case *ast.BooleanValue:
		return v.Value, nil
	case *ast.EnumValue:
		if v.Value == NullLiteral {
			return nil, nil
		}
		return enumValue(v.Value), nil
	case *ast.ListValue:
		list := make([]any, 0, len(v.Values))
		for i, item := range v.Values {
			iv, err := p.valueOf(item, path.Index(i))
			if err != nil {
				return nil, err
			}
			list = append(list, iv)
		}
		return list, nil
	case *ast.ObjectValue:
		obj := &object{}
		for _, f := range v.Fields {
			fv, err := p.valueOf(f.Value, path.Key(f.Name.Value))
			if err != nil {
				return nil, err
			}
			if _, dup := obj.get(f.Name.Value); dup {
				return nil, path.Errorf(gqlerr.ValidationFailed, "the following fields are specified more than once: %s", f.Name.Value)
			}
			obj.set(f.Name.Value, fv)
			if name := variableName(f.Value); name != "" {
				obj.setSource(f.Name.Value, name)
			}
			if list, ok := f.Value.(*ast.ListValue); ok {
				for i, item := range list.Values {
					if variableName(item) != "" {
						obj.setItemSource(f.Name.Value, i)
					}
				}
			}
		}
		return obj, nil
	case nil:
		return nil, nil
	}
	if v.GetKind() == "NullValue" {
		return nil, nil
	}
	return nil, path.Errorf(gqlerr.ValidationFailed, "unsupported value")
}

// describe names the kind of a value the way Hasura's messages do.
func describe(v any) string {
	switch v := v.(type) {
	case nil:
		return "null"
	case bool:
		return "a boolean"
	case string:
		return "a string"
	case number:
		if isIntegerText(string(v)) {
			return "an integer"
		}
		return "a float"
	case enumValue:
		return "an enum value"
	case []any:
		return "a list"
	case *object:
		return "an object"
	}
	return "a value"
}

func typeMismatch(path gqlerr.Path, typeName, expected string, got any) error {
	return path.Errorf(gqlerr.ValidationFailed, "expected %s for type '%s', but found %s", expected, typeName, describe(got))
}
