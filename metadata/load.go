package metadata

import (
	"bytes"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"os"
	"path"
	"path/filepath"
	"strings"

	"gopkg.in/yaml.v3"
)

// MetadataVersion is the metadata format LoadDir reads.
const MetadataVersion = 3

// LoadDir reads a Hasura metadata directory in the CLI's version 3 layout:
// version.yaml, databases/databases.yaml (which !includes each database's
// tables.yaml, which !includes one file per table) and the optional
// top-level files (actions.yaml, remote_schemas.yaml, …).
//
// !include works in tag form (tables: !include t.yaml) and in the quoted
// form the CLI writes ("!include t.yaml"), at any depth, relative to the
// including file's folder and never outside dir. Missing optional files
// are fine. Any error is a *DecodeError naming the file and line: a syntax
// error, an unknown field, a value of the wrong shape, a missing or
// cyclic include.
func LoadDir(dir string) (*Metadata, error) {
	if fi, err := os.Stat(dir); err != nil {
		return nil, fmt.Errorf("metadata directory: %w", err)
	} else if !fi.IsDir() {
		return nil, fmt.Errorf("metadata directory: %s is not a directory", dir)
	}
	l := &loader{root: dir, budget: maxAliasValues}
	md := &Metadata{}
	v, err := l.load("version.yaml", false)
	if err != nil {
		return nil, err
	}
	if md.Version, err = decodeVersion(v); err != nil {
		return nil, err
	}
	if v, err = l.load("databases/databases.yaml", true); err != nil {
		return nil, err
	}
	if v != nil && v.kind != kindNull {
		if md.Sources, err = decodeSources(v); err != nil {
			return nil, err
		}
	}
	for _, rf := range metadataRawFields {
		if rf.file == "" {
			continue
		}
		if v, err = l.load(rf.file, true); err != nil {
			return nil, err
		}
		*rf.get(md) = emptyRaw(v)
	}
	if err := l.loadActions(md); err != nil {
		return nil, err
	}
	return md, nil
}

func decodeVersion(v *value) (int, error) {
	var version int
	err := v.object("version.yaml", handlers{
		"version": func(v *value) (err error) { version, err = v.integer(); return err },
	})
	if err != nil {
		return 0, err
	}
	if err := v.require("version"); err != nil {
		return 0, err
	}
	if version != MetadataVersion {
		return 0, v.get("version").errorf("unsupported metadata version %d: only version %d directories can be read", version, MetadataVersion)
	}
	return version, nil
}

// loadActions reads actions.yaml and actions.graphql.
func (l *loader) loadActions(md *Metadata) error {
	v, err := l.load("actions.yaml", true)
	if err != nil {
		return err
	}
	if v != nil && v.kind != kindNull {
		err := v.object("actions.yaml", handlers{
			"actions":      func(v *value) error { md.Actions = emptyRaw(v); return nil },
			"custom_types": func(v *value) error { md.CustomTypes = emptyRaw(v); return nil },
		})
		if err != nil {
			return err
		}
	}
	sdl, err := os.ReadFile(filepath.Join(l.root, "actions.graphql"))
	switch {
	case errors.Is(err, fs.ErrNotExist):
		return nil
	case err != nil:
		return &DecodeError{File: "actions.graphql", Msg: err.Error()}
	}
	md.ActionsGraphQL = string(sdl)
	return nil
}

// loader reads the YAML files of one metadata directory.
type loader struct {
	root string
	// stack holds the files being read, outermost first, against cycles.
	stack []string
	// budget bounds the values made by expanding aliases.
	budget int
}

// load reads the file rel (slash-separated, relative to the root). A
// missing optional file gives nil.
func (l *loader) load(rel string, optional bool) (*value, error) {
	data, err := os.ReadFile(filepath.Join(l.root, filepath.FromSlash(rel)))
	switch {
	case errors.Is(err, fs.ErrNotExist) && optional:
		return nil, nil
	case errors.Is(err, fs.ErrNotExist):
		return nil, &DecodeError{File: rel, Msg: "file not found (is " + l.root + " a Hasura metadata directory?)"}
	case err != nil:
		return nil, &DecodeError{File: rel, Msg: err.Error()}
	}
	return l.parse(rel, data)
}

// parse converts the YAML text of file rel, resolving its includes.
func (l *loader) parse(rel string, data []byte) (*value, error) {
	var doc yaml.Node
	if err := yaml.NewDecoder(bytes.NewReader(data)).Decode(&doc); err != nil {
		if errors.Is(err, io.EOF) { // empty file
			return &value{kind: kindNull, file: rel, line: 1}, nil
		}
		return nil, yamlSyntaxError(rel, err)
	}
	l.stack = append(l.stack, rel)
	defer func() { l.stack = l.stack[:len(l.stack)-1] }()
	c := &yamlConverter{file: rel, include: l.include, budget: &l.budget}
	return c.convert(&doc, 0)
}

// include reads the target of an !include written at node n of file.
func (l *loader) include(file string, n *yaml.Node, target string) (*value, error) {
	at := func(format string, args ...any) error {
		return &DecodeError{File: file, Line: n.Line, Msg: fmt.Sprintf(format, args...)}
	}
	slashed := filepath.ToSlash(target)
	if target == "" {
		return nil, at("!include without a file name")
	}
	if path.IsAbs(slashed) || filepath.IsAbs(target) {
		return nil, at("!include %s: the path must be relative to the including file", target)
	}
	rel := path.Join(path.Dir(file), slashed)
	if !filepath.IsLocal(filepath.FromSlash(rel)) {
		return nil, at("!include %s: the path leaves the metadata directory", target)
	}
	for i, f := range l.stack {
		if f == rel {
			cycle := append(append([]string(nil), l.stack[i:]...), rel)
			return nil, at("!include cycle: %s", strings.Join(cycle, " -> "))
		}
	}
	data, err := os.ReadFile(filepath.Join(l.root, filepath.FromSlash(rel)))
	switch {
	case errors.Is(err, fs.ErrNotExist):
		return nil, at("!include %s: file %s not found", target, rel)
	case err != nil:
		return nil, at("!include %s: %v", target, err)
	}
	return l.parse(rel, data)
}
