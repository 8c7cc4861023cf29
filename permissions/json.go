package permissions

import (
	"bytes"
	"encoding/json"
	"fmt"
)

// node is a JSON value that keeps the order of object keys, which decides
// the order of the terms of a compiled boolean expression.
type node struct {
	keys []string
	vals []*node // object members, in order
	list []*node // array items
	raw  json.RawMessage
	kind byte // 'o' object, 'a' array, 's' string, 'n' number, 'b' boolean, 'z' null
	str  string
}

func parseNode(raw []byte) (*node, error) {
	dec := json.NewDecoder(bytes.NewReader(raw))
	dec.UseNumber()
	return decodeNode(dec)
}

func decodeNode(dec *json.Decoder) (*node, error) {
	tok, err := dec.Token()
	if err != nil {
		return nil, err
	}
	switch t := tok.(type) {
	case json.Delim:
		n := &node{kind: 'a'}
		if t == '{' {
			n.kind = 'o'
		}
		for dec.More() {
			if n.kind == 'o' {
				k, err := dec.Token()
				if err != nil {
					return nil, err
				}
				n.keys = append(n.keys, k.(string))
			}
			v, err := decodeNode(dec)
			if err != nil {
				return nil, err
			}
			if n.kind == 'o' {
				n.vals = append(n.vals, v)
			} else {
				n.list = append(n.list, v)
			}
		}
		if _, err := dec.Token(); err != nil {
			return nil, err
		}
		n.raw, err = n.encode()
		return n, err
	case string:
		raw, err := json.Marshal(t)
		return &node{kind: 's', str: t, raw: raw}, err
	case json.Number:
		return &node{kind: 'n', str: t.String(), raw: json.RawMessage(t.String())}, nil
	case bool:
		return &node{kind: 'b', str: fmt.Sprint(t), raw: json.RawMessage(fmt.Sprint(t))}, nil
	}
	return &node{kind: 'z', raw: json.RawMessage("null")}, nil
}

// encode writes an object or array back as compact JSON, keys in order.
func (n *node) encode() (json.RawMessage, error) {
	var b bytes.Buffer
	open, close := byte('['), byte(']')
	if n.kind == 'o' {
		open, close = '{', '}'
	}
	b.WriteByte(open)
	items := n.list
	if n.kind == 'o' {
		items = n.vals
	}
	for i, v := range items {
		if i > 0 {
			b.WriteByte(',')
		}
		if n.kind == 'o' {
			k, err := json.Marshal(n.keys[i])
			if err != nil {
				return nil, err
			}
			b.Write(k)
			b.WriteByte(':')
		}
		b.Write(v.raw)
	}
	b.WriteByte(close)
	return b.Bytes(), nil
}

// get returns the member k of an object, nil when absent.
func (n *node) get(k string) *node {
	if n == nil || n.kind != 'o' {
		return nil
	}
	for i, key := range n.keys {
		if key == k {
			return n.vals[i]
		}
	}
	return nil
}

// strings reads an array of strings.
func (n *node) strings() ([]string, error) {
	if n.kind != 'a' {
		return nil, fmt.Errorf("expected an array of strings")
	}
	out := make([]string, 0, len(n.list))
	for _, it := range n.list {
		if it.kind != 's' {
			return nil, fmt.Errorf("expected an array of strings")
		}
		out = append(out, it.str)
	}
	return out, nil
}
