package metadata

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"os"
	"path"
	"path/filepath"
	"sort"
	"strings"

	"gopkg.in/yaml.v3"
)

// Writing a metadata directory: the export_metadata document laid out as
// the Hasura CLI's `metadata export` lays it out, in a stable format (YAML
// with two-space indentation, keys in the document's order), so that
// exporting twice gives identical files and a file written by hand in the
// same format survives apply and export unchanged.

// dirFiles are the top-level files written even when empty, with the
// document key each holds and its empty form.
var dirFiles = []struct{ file, key, empty string }{
	{"allow_list.yaml", "allowlist", "[]"},
	{"api_limits.yaml", "api_limits", "{}"},
	{"backend_configs.yaml", "backend_configs", "{}"},
	{"cron_triggers.yaml", "cron_triggers", "[]"},
	{"graphql_schema_introspection.yaml", "graphql_schema_introspection", "{}"},
	{"inherited_roles.yaml", "inherited_roles", "[]"},
	{"metrics_config.yaml", "metrics_config", "{}"},
	{"network.yaml", "network", "{}"},
	{"opentelemetry.yaml", "opentelemetry", "{}"},
	{"query_collections.yaml", "query_collections", "[]"},
	{"remote_schemas.yaml", "remote_schemas", "[]"},
	{"rest_endpoints.yaml", "rest_endpoints", "[]"},
}

// RenderDir returns the files of the metadata directory holding doc (an
// export_metadata document, version 3), keyed by slash-separated paths.
func RenderDir(doc json.RawMessage) (map[string][]byte, error) {
	root, err := orderedJSON(doc)
	if err != nil {
		return nil, fmt.Errorf("the metadata document: %w", err)
	}
	if root.Kind != yaml.MappingNode {
		return nil, fmt.Errorf("the metadata document is not an object")
	}
	files := map[string][]byte{}
	put := func(name string, n *yaml.Node) error {
		b, err := encodeYAML(n)
		files[name] = b
		return err
	}
	if err := put("version.yaml", yamlMapping("version", yamlScalar("3"))); err != nil {
		return nil, err
	}
	for _, f := range dirFiles {
		n := yamlField(root, f.key)
		if n == nil {
			n, _ = orderedJSON(json.RawMessage(f.empty))
		}
		if err := put(f.file, n); err != nil {
			return nil, err
		}
	}
	actions := yamlMapping()
	for _, k := range []string{"actions", "custom_types"} {
		n := yamlField(root, k)
		if n == nil && k == "actions" {
			n, _ = orderedJSON(json.RawMessage("[]"))
		}
		if n == nil {
			n, _ = orderedJSON(json.RawMessage(`{"enums":[],"input_objects":[],"objects":[],"scalars":[]}`))
		}
		actions.Content = append(actions.Content, yamlScalar(k), n)
	}
	if err := put("actions.yaml", actions); err != nil {
		return nil, err
	}
	files["actions.graphql"] = []byte{}
	sources := yamlField(root, "sources")
	if sources == nil {
		sources = &yaml.Node{Kind: yaml.SequenceNode}
	}
	for _, src := range sources.Content {
		if err := renderSource(src, put); err != nil {
			return nil, err
		}
	}
	return files, put("databases/databases.yaml", sources)
}

// renderSource moves a source's tables and functions into files of their
// own, replacing them in src with !include strings.
func renderSource(src *yaml.Node, put func(string, *yaml.Node) error) error {
	nameNode := yamlField(src, "name")
	if nameNode == nil || nameNode.Value == "" || strings.ContainsAny(nameNode.Value, `/\`) || nameNode.Value == ".." {
		return fmt.Errorf("a source without a usable name")
	}
	name := nameNode.Value
	for _, part := range []struct{ key, folder string }{{"tables", "tables"}, {"functions", "functions"}} {
		list := yamlField(src, part.key)
		if list == nil {
			continue
		}
		dir := path.Join("databases", name, part.folder)
		includes := &yaml.Node{Kind: yaml.SequenceNode}
		used := map[string]bool{}
		for _, item := range list.Content {
			nameFirst(yamlField(item, "table"))
			nameFirst(yamlField(item, "function"))
			file := objectFileName(item, part.key, used)
			if err := put(path.Join(dir, file), item); err != nil {
				return err
			}
			includes.Content = append(includes.Content, yamlQuoted("!include "+file))
		}
		if err := put(path.Join(dir, part.folder+".yaml"), includes); err != nil {
			return err
		}
		setYAMLField(src, part.key, yamlQuoted("!include "+path.Join(name, part.folder, part.folder+".yaml")))
	}
	return nil
}

// objectFileName is <schema>_<name>.yaml of a table or function entry,
// made unique among used.
func objectFileName(item *yaml.Node, key string, used map[string]bool) string {
	obj := yamlField(item, "table")
	if key == "functions" {
		obj = yamlField(item, "function")
	}
	schema, name := "public", "object"
	switch {
	case obj != nil && obj.Kind == yaml.ScalarNode:
		name = obj.Value
	case obj != nil:
		if s := yamlField(obj, "schema"); s != nil {
			schema = s.Value
		}
		if n := yamlField(obj, "name"); n != nil {
			name = n.Value
		}
	}
	base := safeFileName(schema + "_" + name)
	file := base + ".yaml"
	for i := 2; used[file]; i++ {
		file = fmt.Sprintf("%s_%d.yaml", base, i)
	}
	used[file] = true
	return file
}

func safeFileName(s string) string {
	return strings.Map(func(r rune) rune {
		if r == '/' || r == '\\' || r == 0 {
			return '_'
		}
		return r
	}, s)
}

// DirDocument reads a metadata directory into the document that
// replace_metadata takes. Action signatures in actions.graphql are not
// read yet: a directory whose actions.graphql holds definitions is
// refused rather than applied without them.
func DirDocument(dir string) (json.RawMessage, error) {
	md, err := LoadDir(dir)
	if err != nil {
		return nil, err
	}
	if strings.TrimSpace(md.ActionsGraphQL) != "" {
		return nil, &DecodeError{File: "actions.graphql", Line: 1, Msg: "action definitions in actions.graphql are not supported yet: keep the actions' full definitions in actions.yaml"}
	}
	return ExportJSON(md), nil
}

// WriteDir makes dir hold files: it writes those whose content differs
// and removes the .yaml and .graphql files not in files (and folders left
// empty); other files stay. It returns the paths written or removed.
func WriteDir(dir string, files map[string][]byte) ([]string, error) {
	var changed []string
	for rel, body := range files {
		p := filepath.Join(dir, filepath.FromSlash(rel))
		if old, err := os.ReadFile(p); err == nil && bytes.Equal(old, body) {
			continue
		}
		if err := os.MkdirAll(filepath.Dir(p), 0o755); err != nil {
			return nil, err
		}
		if err := os.WriteFile(p, body, 0o644); err != nil {
			return nil, err
		}
		changed = append(changed, rel)
	}
	var dirs []string
	err := filepath.WalkDir(dir, func(p string, d fs.DirEntry, err error) error {
		if err != nil {
			return err
		}
		rel, _ := filepath.Rel(dir, p)
		rel = filepath.ToSlash(rel)
		if d.IsDir() {
			if rel != "." {
				dirs = append(dirs, p)
			}
			return nil
		}
		if _, keep := files[rel]; keep || (!strings.HasSuffix(rel, ".yaml") && !strings.HasSuffix(rel, ".graphql")) {
			return nil
		}
		changed = append(changed, rel)
		return os.Remove(p)
	})
	if err != nil {
		return nil, err
	}
	for i := len(dirs) - 1; i >= 0; i-- {
		if entries, err := os.ReadDir(dirs[i]); err == nil && len(entries) == 0 {
			if err := os.Remove(dirs[i]); err != nil {
				return nil, err
			}
		}
	}
	sort.Strings(changed)
	return changed, nil
}

// orderedJSON converts JSON text into a YAML node tree, keeping the order
// of object keys.
func orderedJSON(data json.RawMessage) (*yaml.Node, error) {
	dec := json.NewDecoder(bytes.NewReader(data))
	dec.UseNumber()
	n, err := decodeNode(dec)
	if err != nil {
		return nil, err
	}
	if _, err := dec.Token(); !errors.Is(err, io.EOF) {
		return nil, fmt.Errorf("text after the JSON value")
	}
	return n, nil
}

func decodeNode(dec *json.Decoder) (*yaml.Node, error) {
	tok, err := dec.Token()
	if err != nil {
		return nil, err
	}
	switch t := tok.(type) {
	case json.Delim:
		kind, end := yaml.SequenceNode, json.Delim(']')
		if t == '{' {
			kind, end = yaml.MappingNode, '}'
		}
		n := &yaml.Node{Kind: kind}
		for dec.More() {
			if kind == yaml.MappingNode {
				key, err := dec.Token()
				if err != nil {
					return nil, err
				}
				n.Content = append(n.Content, &yaml.Node{Kind: yaml.ScalarNode, Tag: "!!str", Value: key.(string)})
			}
			child, err := decodeNode(dec)
			if err != nil {
				return nil, err
			}
			n.Content = append(n.Content, child)
		}
		if tok, err := dec.Token(); err != nil || tok != end {
			return nil, fmt.Errorf("unterminated JSON value")
		}
		if len(n.Content) == 0 {
			n.Style = yaml.FlowStyle
		}
		return n, nil
	case string:
		return &yaml.Node{Kind: yaml.ScalarNode, Tag: "!!str", Value: t}, nil
	case json.Number:
		tag := "!!int"
		if strings.ContainsAny(t.String(), ".eE") {
			tag = "!!float"
		}
		return &yaml.Node{Kind: yaml.ScalarNode, Tag: tag, Value: t.String()}, nil
	case bool:
		return &yaml.Node{Kind: yaml.ScalarNode, Tag: "!!bool", Value: fmt.Sprint(t)}, nil
	case nil:
		return &yaml.Node{Kind: yaml.ScalarNode, Tag: "!!null", Value: "null"}, nil
	}
	return nil, fmt.Errorf("unexpected JSON token %v", tok)
}

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

func yamlScalar(v string) *yaml.Node { return &yaml.Node{Kind: yaml.ScalarNode, Value: v} }

func yamlQuoted(v string) *yaml.Node {
	return &yaml.Node{Kind: yaml.ScalarNode, Tag: "!!str", Value: v, Style: yaml.DoubleQuotedStyle}
}

func yamlMapping(kv ...any) *yaml.Node {
	n := &yaml.Node{Kind: yaml.MappingNode}
	for i := 0; i+1 < len(kv); i += 2 {
		n.Content = append(n.Content, yamlScalar(kv[i].(string)), kv[i+1].(*yaml.Node))
	}
	return n
}

// yamlField is the value of key in mapping n, nil when absent.
func yamlField(n *yaml.Node, key string) *yaml.Node {
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

func setYAMLField(n *yaml.Node, key string, v *yaml.Node) {
	for i := 0; i+1 < len(n.Content); i += 2 {
		if n.Content[i].Value == key {
			n.Content[i+1] = v
			return
		}
	}
	n.Content = append(n.Content, yamlScalar(key), v)
}

// nameFirst writes a {schema, name} object as the Hasura CLI's files do:
// name, then schema.
func nameFirst(n *yaml.Node) {
	if n == nil || n.Kind != yaml.MappingNode || len(n.Content) != 4 || n.Content[0].Value != "schema" || n.Content[2].Value != "name" {
		return
	}
	n.Content[0], n.Content[1], n.Content[2], n.Content[3] = n.Content[2], n.Content[3], n.Content[0], n.Content[1]
}
