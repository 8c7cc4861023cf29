package metadata

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path"
	"path/filepath"
	"sort"
	"strings"
	"unicode"
	"unicode/utf8"

	"gopkg.in/yaml.v3"
)

// Writing a metadata directory: RenderDir lays an export_metadata
// document out as the Hasura CLI's `metadata export` does, WriteDir puts
// the files on disk, and DirDocument reads a directory back into the
// document replace_metadata takes. The YAML is stable: two-space
// indentation, keys in the document's order, strings quoted only where
// YAML needs it, so the same document always gives the same bytes.

// dirEmptyForms are the top-level files of metadataRawFields and what the
// Hasura CLI writes in each when the document lacks its key.
var dirEmptyForms = map[string]string{
	"allow_list.yaml":                   "[]\n",
	"api_limits.yaml":                   "{}\n",
	"backend_configs.yaml":              "{}\n",
	"cron_triggers.yaml":                "[]\n",
	"graphql_schema_introspection.yaml": "disabled_for_roles: []\n",
	"inherited_roles.yaml":              "[]\n",
	"metrics_config.yaml":               "{}\n",
	"network.yaml":                      "{}\n",
	"opentelemetry.yaml":                "{}\n",
	"query_collections.yaml":            "[]\n",
	"remote_schemas.yaml":               "[]\n",
	"rest_endpoints.yaml":               "[]\n",
}

// sourceKeyOrder is the order of a source's keys in databases.yaml (the
// Hasura CLI's); tables and functions follow, then any other key.
var sourceKeyOrder = []string{"name", "kind", "configuration", "query_tags", "customization",
	"health_check", "logical_models", "native_queries", "stored_procedures"}

// RenderDir returns the files of the Hasura CLI (version 3) metadata
// directory that holds doc, an export_metadata document, keyed by
// slash-separated paths relative to the directory: version.yaml,
// databases/databases.yaml with one folder per source (tables/tables.yaml
// and a file per table, functions likewise), actions.graphql and
// actions.yaml (see ActionsSDL), and the other top-level files, written in
// their empty form when the document lacks them. A table's file is
// <schema>_<name>.yaml; when two would share a name (ignoring case, for
// case-insensitive file systems), the later one gets a _2, _3, … suffix.
// A source's folder is its name, with the characters a folder name
// cannot hold escaped (%2F for /) and made unique in the same way. A key
// the directory has no place for is an error, not dropped.
func RenderDir(doc json.RawMessage) (map[string][]byte, error) {
	root, err := parseJSON(doc)
	if err != nil {
		return nil, fmt.Errorf("metadata document: %w", err)
	}
	if err := checkRenderable(root); err != nil {
		return nil, err
	}
	r := &dirRenderer{files: map[string][]byte{}}
	r.put("version.yaml", yamlMapping("version", &yaml.Node{Kind: yaml.ScalarNode, Tag: "!!int", Value: "3"}))
	if err := r.sources(root.get("sources")); err != nil {
		return nil, err
	}
	for _, rf := range metadataRawFields {
		if rf.file == "" {
			continue
		}
		if v := root.get(rf.key); v != nil {
			r.put(rf.file, yamlOf(v))
		} else {
			r.files[rf.file] = []byte(dirEmptyForms[rf.file])
		}
	}
	yml, sdl, err := renderActions(root.get("actions"), root.get("custom_types"))
	if err != nil {
		return nil, err
	}
	r.put("actions.yaml", yml)
	r.files["actions.graphql"] = []byte(sdl)
	if r.err != nil {
		return nil, r.err
	}
	return r.files, nil
}

// checkRenderable checks that root is a version 3 document whose keys all
// have a place in the directory, and without strings LoadDir would read
// as includes.
func checkRenderable(root *value) error {
	if err := root.expectObject("metadata"); err != nil {
		return err
	}
	v := root.get("version")
	if v == nil {
		return root.errorf("missing field %q", "version")
	}
	if n, err := v.integer(); err != nil || n != MetadataVersion {
		return v.errorf("only version %d documents can be written as a metadata directory", MetadataVersion)
	}
	known := map[string]bool{"version": true, "sources": true}
	for _, rf := range metadataRawFields {
		known[rf.key] = true
	}
	for _, f := range root.fields {
		if !known[f.key] && f.val.kind != kindNull {
			return root.fieldErrorf(f, "%q has no place in a metadata directory", f.key)
		}
	}
	return checkNoInclude(root)
}

// checkNoInclude refuses a string that LoadDir would take for an
// !include.
func checkNoInclude(v *value) error {
	switch v.kind {
	case kindString:
		if strings.HasPrefix(v.text, includePrefix+" ") {
			return v.errorf("%q cannot be written in a metadata directory: it would be read as an include", v.text)
		}
	case kindList:
		for _, it := range v.list {
			if err := checkNoInclude(it); err != nil {
				return err
			}
		}
	case kindObject:
		for _, f := range v.fields {
			if err := checkNoInclude(f.val); err != nil {
				return err
			}
		}
	}
	return nil
}

// dirRenderer collects the files of a directory.
type dirRenderer struct {
	files map[string][]byte
	err   error
}

// put encodes n as the file name; the first failure is kept in r.err.
func (r *dirRenderer) put(name string, n *yaml.Node) {
	b, err := encodeYAML(n)
	if err != nil && r.err == nil {
		r.err = fmt.Errorf("%s: %w", name, err)
	}
	r.files[name] = b
}

// sources writes databases.yaml and each source's folder.
func (r *dirRenderer) sources(v *value) error {
	list := &yaml.Node{Kind: yaml.SequenceNode}
	var items []*value
	if v != nil {
		var err error
		if items, err = v.items(); err != nil {
			return err
		}
	}
	names := make([]string, len(items))
	for i, s := range items {
		if err := s.expectObject("source"); err != nil {
			return err
		}
		nv := s.get("name")
		if nv == nil || nv.kind != kindString || nv.text == "" {
			return s.errorf("a source needs a name (a string)")
		}
		names[i] = safeFolderName(nv.text)
	}
	for i, folder := range uniqueNames(names, "", "") {
		n, err := r.source(items[i], folder)
		if err != nil {
			return err
		}
		list.Content = append(list.Content, n)
	}
	r.put("databases/databases.yaml", list)
	return nil
}

// source renders the databases.yaml entry of s and writes its tables and
// functions under databases/<folder>.
func (r *dirRenderer) source(s *value, folder string) (*yaml.Node, error) {
	out := &yaml.Node{Kind: yaml.MappingNode}
	for _, k := range sourceKeyOrder {
		if f := s.get(k); f != nil {
			addPair(out, k, yamlOf(f))
		}
	}
	if err := r.entryFiles(s.get("tables"), folder, "tables", "table"); err != nil {
		return nil, err
	}
	addPair(out, "tables", includeNode(path.Join(folder, "tables", "tables.yaml")))
	if fns := s.get("functions"); fns != nil {
		if items, err := fns.items(); err != nil {
			return nil, err
		} else if len(items) > 0 {
			if err := r.entryFiles(fns, folder, "functions", "function"); err != nil {
				return nil, err
			}
			addPair(out, "functions", includeNode(path.Join(folder, "functions", "functions.yaml")))
		}
	}
	known := map[string]bool{"tables": true, "functions": true}
	for _, k := range sourceKeyOrder {
		known[k] = true
	}
	for _, f := range s.fields {
		if !known[f.key] && f.val.kind != kindNull {
			addPair(out, f.key, yamlOf(f.val))
		}
	}
	return out, nil
}

// entryFiles writes one file per table (or function) of a source under
// databases/<source>/<folder>/, and the <folder>.yaml that includes them.
func (r *dirRenderer) entryFiles(v *value, source, folder, key string) error {
	var items []*value
	if v != nil {
		var err error
		if items, err = v.items(); err != nil {
			return err
		}
	}
	index := folder + ".yaml"
	names, err := entryFileNames(items, key, index)
	if err != nil {
		return err
	}
	dir := path.Join("databases", source, folder)
	includes := &yaml.Node{Kind: yaml.SequenceNode}
	for i, it := range items {
		n := yamlOf(it)
		nameFirst(n)
		r.put(path.Join(dir, names[i]), n)
		includes.Content = append(includes.Content, includeNode(names[i]))
	}
	r.put(path.Join(dir, index), includes)
	return nil
}

// entryFileNames names the files of items: <schema>_<name>.yaml, made
// unique against each other and against reserved (see uniqueNames).
func entryFileNames(items []*value, key, reserved string) ([]string, error) {
	bases := make([]string, len(items))
	for i, it := range items {
		b, err := entryBaseName(it, key)
		if err != nil {
			return nil, err
		}
		bases[i] = b
	}
	return uniqueNames(bases, ".yaml", reserved), nil
}

// uniqueNames returns base+ext for each of bases, unique ignoring case
// (for case-insensitive file systems) and never reserved: the first of
// equal names keeps it, later ones get _2, _3, … suffixes that no other
// base takes.
func uniqueNames(bases []string, ext, reserved string) []string {
	own := map[string]bool{strings.ToLower(reserved): true}
	for _, b := range bases {
		own[strings.ToLower(b+ext)] = true
	}
	used := map[string]bool{strings.ToLower(reserved): true}
	names := make([]string, len(bases))
	for i, b := range bases {
		for n := 1; names[i] == ""; n++ {
			name := b + ext
			if n > 1 {
				name = fmt.Sprintf("%s_%d%s", b, n, ext)
			}
			l := strings.ToLower(name)
			if used[l] || (n > 1 && own[l]) {
				continue
			}
			used[l] = true
			names[i] = name
		}
	}
	return names
}

// entryBaseName is <schema>_<name> of a table or function entry: its
// key ("table" or "function") is {schema, name} ({dataset, name} for
// BigQuery), a bare name (schema public) or a list of name parts (data
// connectors), joined with "_" as the Hasura CLI does.
func entryBaseName(it *value, key string) (string, error) {
	if err := it.expectObject(key); err != nil {
		return "", err
	}
	n := it.get(key)
	if n == nil {
		return "", it.errorf("missing field %q", key)
	}
	var parts []string
	switch n.kind {
	case kindString:
		parts = []string{"public", n.text}
	case kindList:
		var err error
		if parts, err = n.strList(); err != nil {
			return "", err
		}
	case kindObject:
		name, err := optStrField(n, "name")
		if err != nil || name == "" {
			return "", n.errorf("the %s needs a name (a string)", key)
		}
		schema := "public"
		for _, k := range []string{"dataset", "schema"} {
			if s, err := optStrField(n, k); err != nil {
				return "", err
			} else if s != "" {
				schema = s
			}
		}
		parts = []string{schema, name}
	default:
		return "", n.errorf("expected a %s name, got %s", key, n.kind)
	}
	if len(parts) == 0 {
		return "", n.errorf("a %s name must not be empty", key)
	}
	return safeFileName(strings.Join(parts, "_")), nil
}

// optStrField is the string field key of the object v, "" when absent.
func optStrField(v *value, key string) (string, error) {
	f := v.get(key)
	if f == nil {
		return "", nil
	}
	return f.str()
}

// safeFileName escapes, as %XX, what cannot be in a file name or would
// be lost in an !include line: path separators, control characters and
// leading white space.
func safeFileName(s string) string {
	var b strings.Builder
	leading := true
	for _, r := range s {
		leading = leading && unicode.IsSpace(r)
		if r == '/' || r == '\\' || r < 0x20 || r == 0x7f || leading {
			var buf [utf8.UTFMax]byte
			for _, c := range buf[:utf8.EncodeRune(buf[:], r)] {
				fmt.Fprintf(&b, "%%%02X", c)
			}
			continue
		}
		b.WriteRune(r)
	}
	return b.String()
}

// safeFolderName is a source's folder: its name as safeFileName makes it,
// with the dots of "." and ".." escaped.
func safeFolderName(s string) string {
	if s == "." || s == ".." {
		return strings.ReplaceAll(s, ".", "%2E")
	}
	return safeFileName(s)
}

// DirDocument reads the metadata directory dir into the document the
// Hasura CLI sends with replace_metadata: LoadDir, then MergeActionsSDL,
// then ExportJSON. The empty graphql_schema_introspection form the CLI
// writes ({disabled_for_roles: []}) counts as absent, as it does in
// Hasura's export.
func DirDocument(dir string) (json.RawMessage, error) {
	md, err := LoadDir(dir)
	if err != nil {
		return nil, err
	}
	if err := MergeActionsSDL(md); err != nil {
		return nil, err
	}
	if emptyIntrospection(md.GraphQLSchemaIntrospection) {
		md.GraphQLSchemaIntrospection = nil
	}
	return ExportJSON(md), nil
}

// emptyIntrospection reports whether raw is graphql_schema_introspection
// with no role.
func emptyIntrospection(raw json.RawMessage) bool {
	if raw == nil {
		return false
	}
	var gi struct {
		DisabledForRoles []json.RawMessage `json:"disabled_for_roles"`
	}
	dec := json.NewDecoder(bytes.NewReader(raw))
	dec.DisallowUnknownFields()
	return dec.Decode(&gi) == nil && len(gi.DisabledForRoles) == 0
}

// WriteDir makes dir (created when missing) hold exactly files, keyed as
// RenderDir keys them: it writes the files whose content differs,
// creating folders, removes the .yaml and .graphql files under dir that
// are not in files (the file of a table no longer tracked), and the
// folders that this leaves empty. Other files, and folders whose name
// starts with a dot, are left alone. It returns the slash-separated paths
// written or removed, sorted: none when dir already held exactly files.
func WriteDir(dir string, files map[string][]byte) (changed []string, err error) {
	names := make([]string, 0, len(files))
	for rel := range files {
		if !fs.ValidPath(rel) || rel == "." {
			return nil, fmt.Errorf("metadata directory: %q is not a relative slash-separated path", rel)
		}
		names = append(names, rel)
	}
	sort.Strings(names)
	dir = filepath.Clean(dir)
	if err := os.MkdirAll(dir, 0o755); err != nil {
		return nil, fmt.Errorf("metadata directory: %w", err)
	}
	for _, rel := range names {
		p := filepath.Join(dir, filepath.FromSlash(rel))
		old, err := os.ReadFile(p)
		if err == nil && bytes.Equal(old, files[rel]) {
			continue
		}
		if err != nil && !errors.Is(err, fs.ErrNotExist) {
			return changed, fmt.Errorf("metadata directory: %w", err)
		}
		if err := os.MkdirAll(filepath.Dir(p), 0o755); err != nil {
			return changed, fmt.Errorf("metadata directory: %w", err)
		}
		if err := os.WriteFile(p, files[rel], 0o644); err != nil {
			return changed, fmt.Errorf("metadata directory: %w", err)
		}
		changed = append(changed, rel)
	}
	removed, err := removeStale(dir, files)
	changed = append(changed, removed...)
	sort.Strings(changed)
	return changed, err
}

// removeStale removes the .yaml and .graphql files under dir that are not
// in keep, then the folders left empty.
func removeStale(dir string, keep map[string][]byte) ([]string, error) {
	// WalkDir does not follow a root that is a symbolic link.
	dir, err := filepath.EvalSymlinks(dir)
	if err != nil {
		return nil, fmt.Errorf("metadata directory: %w", err)
	}
	var removed []string
	emptied := map[string]bool{}
	err = filepath.WalkDir(dir, func(p string, d fs.DirEntry, err error) error {
		if err != nil {
			return err
		}
		if d.IsDir() {
			if p != dir && strings.HasPrefix(d.Name(), ".") {
				return fs.SkipDir
			}
			return nil
		}
		rel, err := filepath.Rel(dir, p)
		if err != nil {
			return err
		}
		rel = filepath.ToSlash(rel)
		ext := path.Ext(rel)
		if _, ok := keep[rel]; ok || (ext != ".yaml" && ext != ".graphql") {
			return nil
		}
		if err := os.Remove(p); err != nil {
			return err
		}
		removed = append(removed, rel)
		emptied[filepath.Dir(p)] = true
		return nil
	})
	if err != nil {
		return removed, fmt.Errorf("metadata directory: %w", err)
	}
	return removed, removeEmptyDirs(dir, emptied)
}

// removeEmptyDirs removes each folder of dirs that is empty, and then its
// parents up to (not including) root while they are empty.
func removeEmptyDirs(root string, dirs map[string]bool) error {
	list := make([]string, 0, len(dirs))
	for d := range dirs {
		list = append(list, d)
	}
	// Deepest first, so that a parent is looked at after its children.
	sort.Slice(list, func(i, j int) bool { return len(list[i]) > len(list[j]) })
	for _, d := range list {
		for d != root && strings.HasPrefix(d, root) {
			entries, err := os.ReadDir(d)
			if err != nil || len(entries) > 0 {
				break
			}
			if err := os.Remove(d); err != nil {
				return fmt.Errorf("metadata directory: %w", err)
			}
			d = filepath.Dir(d)
		}
	}
	return nil
}
