package metadata

import (
	"bytes"
	"strings"

	"gopkg.in/yaml.v3"
)

// YAML nodes for the files of a metadata directory: value trees become
// yaml.Node trees in their key order, and are encoded with the Hasura
// CLI's settings (yaml.v3, two-space indentation).

// nameFirst writes, name first, the {schema, name} objects of a table or
// function entry that ExportJSON writes schema first: the entry's table
// or function and its relationships' tables. Hasura exports them name
// first, so the files look like the Hasura CLI's; ExportJSON normalizes
// these positions, so their order carries nothing.
func nameFirst(entry *yaml.Node) {
	swapSchemaName(yamlGet(entry, "table"))
	swapSchemaName(yamlGet(entry, "function"))
	for _, k := range []string{"object_relationships", "array_relationships"} {
		rels := yamlGet(entry, k)
		if rels == nil || rels.Kind != yaml.SequenceNode {
			continue
		}
		for _, rel := range rels.Content {
			using := yamlGet(rel, "using")
			swapSchemaName(yamlGet(yamlGet(using, "foreign_key_constraint_on"), "table"))
			swapSchemaName(yamlGet(yamlGet(using, "manual_configuration"), "remote_table"))
		}
	}
}

// swapSchemaName turns the mapping {schema, name} into {name, schema}.
func swapSchemaName(n *yaml.Node) {
	if n == nil || n.Kind != yaml.MappingNode || len(n.Content) != 4 || n.Content[0].Value != "schema" || n.Content[2].Value != "name" {
		return
	}
	c := n.Content
	c[0], c[1], c[2], c[3] = c[2], c[3], c[0], c[1]
}

// yamlGet is the value of key in the mapping n, nil when absent.
func yamlGet(n *yaml.Node, key string) *yaml.Node {
	if n == nil || n.Kind != yaml.MappingNode {
		return nil
	}
	for i := 0; i+1 < len(n.Content); i += 2 {
		if n.Content[i].Value == key {
			return n.Content[i+1]
		}
	}
	return nil
}

// includeNode is an !include line in the quoted form the Hasura CLI writes.
func includeNode(target string) *yaml.Node {
	return &yaml.Node{Kind: yaml.ScalarNode, Tag: "!!str", Style: yaml.DoubleQuotedStyle, Value: includePrefix + " " + target}
}

// yamlMapping builds a mapping of the key and node pairs kv.
func yamlMapping(kv ...any) *yaml.Node {
	n := &yaml.Node{Kind: yaml.MappingNode}
	for i := 0; i+1 < len(kv); i += 2 {
		addPair(n, kv[i].(string), kv[i+1].(*yaml.Node))
	}
	return n
}

// addPair appends key: v to the mapping n.
func addPair(n *yaml.Node, key string, v *yaml.Node) {
	n.Content = append(n.Content, yamlString(key), v)
}

// yamlOf converts a value tree into YAML nodes, keeping the order of keys.
func yamlOf(v *value) *yaml.Node {
	switch v.kind {
	case kindBool:
		return &yaml.Node{Kind: yaml.ScalarNode, Tag: "!!bool", Value: v.text}
	case kindNumber:
		tag := "!!int"
		if strings.ContainsAny(v.text, ".eE") {
			tag = "!!float"
		}
		return &yaml.Node{Kind: yaml.ScalarNode, Tag: tag, Value: v.text}
	case kindString:
		return yamlString(v.text)
	case kindList:
		n := &yaml.Node{Kind: yaml.SequenceNode}
		for _, it := range v.list {
			n.Content = append(n.Content, yamlOf(it))
		}
		return n
	case kindObject:
		n := &yaml.Node{Kind: yaml.MappingNode}
		for _, f := range v.fields {
			addPair(n, f.key, yamlOf(f.val))
		}
		return n
	}
	return &yaml.Node{Kind: yaml.ScalarNode, Tag: "!!null", Value: "null"}
}

// yamlString is a string scalar, in the style yaml.v3 picks (plain where
// possible) unless that style would not read back as s, in which case it
// is double-quoted (escapes make that form exact).
func yamlString(s string) *yaml.Node {
	n := &yaml.Node{Kind: yaml.ScalarNode, Tag: "!!str", Value: s}
	if s == "<<" { // yaml.v3 writes it plain, and reads it back as a merge key
		n.Style = yaml.DoubleQuotedStyle
		return n
	}
	if plainASCII(s) {
		return n
	}
	if b, err := yaml.Marshal(n); err == nil {
		var back string
		if yaml.Unmarshal(b, &back) == nil && back == s {
			return n
		}
	}
	n.Style = yaml.DoubleQuotedStyle
	return n
}

// plainASCII reports whether s is printable ASCII without leading or
// trailing spaces, which every yaml.v3 style keeps as it is.
func plainASCII(s string) bool {
	if strings.TrimSpace(s) != s {
		return false
	}
	for i := 0; i < len(s); i++ {
		if s[i] < 0x20 || s[i] >= 0x7f {
			return false
		}
	}
	return true
}

// encodeYAML writes n as a YAML document with two-space indentation.
func encodeYAML(n *yaml.Node) ([]byte, error) {
	var b bytes.Buffer
	enc := yaml.NewEncoder(&b)
	enc.SetIndent(2)
	if err := enc.Encode(n); err != nil {
		return nil, err
	}
	if err := enc.Close(); err != nil {
		return nil, err
	}
	return b.Bytes(), nil
}
