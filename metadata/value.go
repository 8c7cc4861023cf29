package metadata

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"regexp"
	"sort"
	"strconv"
	"strings"
	"unicode/utf8"

	"gopkg.in/yaml.v3"
)

// DecodeError is a metadata document that could not be read: bad syntax, a
// value of the wrong shape, an unknown field, a broken !include.
type DecodeError struct {
	// File is the document's path relative to the metadata directory, with
	// forward slashes; "" when a single document was decoded.
	File string
	// Line is 1-based; 0 when unknown.
	Line int
	// Path is the JSON path of the offending value ("$.sources[0].tables[2]").
	Path string
	Msg  string
}

func (e *DecodeError) Error() string {
	switch {
	case e.File != "" && e.Line > 0:
		return fmt.Sprintf("%s:%d: %s", e.File, e.Line, e.Msg)
	case e.File != "":
		return e.File + ": " + e.Msg
	case e.Path != "":
		return e.Path + ": " + e.Msg
	case e.Line > 0:
		return fmt.Sprintf("line %d: %s", e.Line, e.Msg)
	}
	return e.Msg
}

// kind is the JSON kind of a value.
type kind uint8

const (
	kindNull kind = iota
	kindBool
	kindNumber
	kindString
	kindList
	kindObject
)

func (k kind) String() string {
	return [...]string{"null", "a boolean", "a number", "a string", "a list", "an object"}[k]
}

// value is a JSON-shaped document tree that remembers where each value was
// written. YAML nodes and JSON text both become values, so that one set of
// decoders serves both and keeps the key order of objects.
type value struct {
	kind kind
	// text is a string's content, or the JSON literal of a bool or number.
	text   string
	list   []*value
	fields []field

	file string
	line int
	// parent, key and index locate the value for its JSON path.
	parent *value
	key    string
	index  int
}

// field is one key of an object.
type field struct {
	key  string
	line int
	val  *value
}

// attach makes child the index-th item or the key field of v.
func (v *value) attach(child *value, key string, index int) {
	child.parent, child.key, child.index = v, key, index
}

var identRE = regexp.MustCompile(`^[A-Za-z_][A-Za-z0-9_]*$`)

func (v *value) path() string {
	if v == nil || v.parent == nil {
		return "$"
	}
	p := v.parent.path()
	if v.parent.kind == kindList {
		return p + "[" + strconv.Itoa(v.index) + "]"
	}
	return p + keyPath(v.key)
}

func keyPath(k string) string {
	if identRE.MatchString(k) {
		return "." + k
	}
	return "[" + strconv.Quote(k) + "]"
}

// errorf returns a DecodeError located at v.
func (v *value) errorf(format string, args ...any) *DecodeError {
	return &DecodeError{File: v.file, Line: v.line, Path: v.path(), Msg: fmt.Sprintf(format, args...)}
}

// fieldErrorf returns a DecodeError located at the key of field f of v.
func (v *value) fieldErrorf(f field, format string, args ...any) *DecodeError {
	return &DecodeError{File: v.file, Line: f.line, Path: v.path() + keyPath(f.key), Msg: fmt.Sprintf(format, args...)}
}

// json renders v as JSON text, objects in their written order.
func (v *value) json() json.RawMessage {
	var b bytes.Buffer
	v.writeJSON(&b)
	return b.Bytes()
}

func (v *value) writeJSON(b *bytes.Buffer) {
	switch v.kind {
	case kindNull:
		b.WriteString("null")
	case kindBool, kindNumber:
		b.WriteString(v.text)
	case kindString:
		writeJSONString(b, v.text)
	case kindList:
		b.WriteByte('[')
		for i, it := range v.list {
			if i > 0 {
				b.WriteByte(',')
			}
			it.writeJSON(b)
		}
		b.WriteByte(']')
	case kindObject:
		b.WriteByte('{')
		for i, f := range v.fields {
			if i > 0 {
				b.WriteByte(',')
			}
			writeJSONString(b, f.key)
			b.WriteByte(':')
			f.val.writeJSON(b)
		}
		b.WriteByte('}')
	}
}

// writeJSONString writes s as a JSON string without HTML escaping.
func writeJSONString(b *bytes.Buffer, s string) {
	enc := json.NewEncoder(b)
	enc.SetEscapeHTML(false)
	if err := enc.Encode(s); err != nil {
		// Unreachable: a Go string always encodes.
		b.WriteString(strconv.Quote(s))
		return
	}
	b.Truncate(b.Len() - 1) // Encode appends a newline
}

// ---- from JSON ----

// parseJSON reads one JSON document into a value tree. Lines are counted
// from the start of data.
func parseJSON(data []byte) (*value, error) {
	p := &jsonParser{dec: json.NewDecoder(bytes.NewReader(data)), data: data}
	p.dec.UseNumber()
	v, err := p.value(0)
	if err != nil {
		return nil, err
	}
	if _, err := p.dec.Token(); err != io.EOF {
		return nil, &DecodeError{Line: p.line(), Msg: "invalid JSON: unexpected data after the document"}
	}
	return v, nil
}

type jsonParser struct {
	dec  *json.Decoder
	data []byte
}

// maxDepth bounds the nesting of documents.
const maxDepth = 10000

// line is the line of the end of the last token read.
func (p *jsonParser) line() int {
	off := int(p.dec.InputOffset())
	if off > len(p.data) {
		off = len(p.data)
	}
	return 1 + bytes.Count(p.data[:off], []byte{'\n'})
}

func (p *jsonParser) syntaxError(err error) error {
	var se *json.SyntaxError
	line := p.line()
	if errors.As(err, &se) && int(se.Offset) <= len(p.data) {
		line = 1 + bytes.Count(p.data[:se.Offset], []byte{'\n'})
	}
	if err == io.EOF {
		err = io.ErrUnexpectedEOF
	}
	return &DecodeError{Line: line, Msg: "invalid JSON: " + err.Error()}
}

func (p *jsonParser) value(depth int) (*value, error) {
	if depth > maxDepth {
		return nil, &DecodeError{Line: p.line(), Msg: "document nested too deeply"}
	}
	tok, err := p.dec.Token()
	if err != nil {
		return nil, p.syntaxError(err)
	}
	v := &value{line: p.line()}
	switch t := tok.(type) {
	case nil:
		v.kind = kindNull
	case bool:
		v.kind, v.text = kindBool, strconv.FormatBool(t)
	case json.Number:
		v.kind, v.text = kindNumber, t.String()
	case string:
		v.kind, v.text = kindString, t
	case json.Delim:
		if t == '[' {
			return v, p.list(v, depth)
		}
		return v, p.object(v, depth)
	}
	return v, nil
}

func (p *jsonParser) list(v *value, depth int) error {
	v.kind = kindList
	for p.dec.More() {
		it, err := p.value(depth + 1)
		if err != nil {
			return err
		}
		v.attach(it, "", len(v.list))
		v.list = append(v.list, it)
	}
	_, err := p.dec.Token() // ']'
	if err != nil {
		return p.syntaxError(err)
	}
	return nil
}

func (p *jsonParser) object(v *value, depth int) error {
	v.kind = kindObject
	for p.dec.More() {
		tok, err := p.dec.Token()
		if err != nil {
			return p.syntaxError(err)
		}
		key, _ := tok.(string) // the decoder only returns string keys
		f := field{key: key, line: p.line()}
		if f.val, err = p.value(depth + 1); err != nil {
			return err
		}
		if err := v.addField(f); err != nil {
			return err
		}
	}
	_, err := p.dec.Token() // '}'
	if err != nil {
		return p.syntaxError(err)
	}
	return nil
}

// addField appends f to the object v, rejecting a repeated key.
func (v *value) addField(f field) error {
	for _, g := range v.fields {
		if g.key == f.key {
			return v.fieldErrorf(f, "duplicate key %q (first at line %d)", f.key, g.line)
		}
	}
	v.attach(f.val, f.key, 0)
	v.fields = append(v.fields, f)
	return nil
}

// ---- from YAML ----

// includeFunc resolves an !include of target written at node n of file.
type includeFunc func(file string, n *yaml.Node, target string) (*value, error)

// yamlConverter turns yaml.Nodes into values. include is nil outside a
// metadata directory, where !include is an error.
type yamlConverter struct {
	file    string
	include includeFunc
	// budget bounds the values made by expanding aliases, against alias
	// bombs; it is shared by the files of a directory.
	budget *int
	// inAlias is the depth of alias expansion.
	inAlias int
}

// maxAliasValues bounds the values made by expanding YAML aliases.
const maxAliasValues = 1_000_000

const includePrefix = "!include"

// includeTarget reports whether n is an !include, in tag or string form,
// and of which path.
func includeTarget(n *yaml.Node) (string, bool) {
	if n.Kind != yaml.ScalarNode {
		return "", false
	}
	if n.Tag == includePrefix {
		return strings.TrimSpace(n.Value), true
	}
	if n.ShortTag() == "!!str" && strings.HasPrefix(n.Value, includePrefix+" ") {
		return strings.TrimSpace(n.Value[len(includePrefix):]), true
	}
	return "", false
}

func (c *yamlConverter) errorf(n *yaml.Node, format string, args ...any) *DecodeError {
	return &DecodeError{File: c.file, Line: n.Line, Msg: fmt.Sprintf(format, args...)}
}

func (c *yamlConverter) convert(n *yaml.Node, depth int) (*value, error) {
	if depth > maxDepth {
		return nil, c.errorf(n, "document nested too deeply")
	}
	if c.inAlias > 0 {
		if *c.budget--; *c.budget < 0 {
			return nil, c.errorf(n, "aliases expand to more than %d values", maxAliasValues)
		}
	}
	if target, ok := includeTarget(n); ok {
		if c.include == nil {
			return nil, c.errorf(n, "!include is only supported when loading a metadata directory")
		}
		return c.include(c.file, n, target)
	}
	switch n.Kind {
	case yaml.DocumentNode:
		if len(n.Content) == 0 {
			return &value{kind: kindNull, file: c.file, line: n.Line}, nil
		}
		return c.convert(n.Content[0], depth+1)
	case yaml.AliasNode:
		c.inAlias++
		defer func() { c.inAlias-- }()
		return c.convert(n.Alias, depth+1)
	case yaml.ScalarNode:
		return c.scalar(n)
	case yaml.SequenceNode:
		v := &value{kind: kindList, file: c.file, line: n.Line}
		for _, item := range n.Content {
			it, err := c.convert(item, depth+1)
			if err != nil {
				return nil, err
			}
			v.attach(it, "", len(v.list))
			v.list = append(v.list, it)
		}
		return v, nil
	case yaml.MappingNode:
		return c.mapping(n, depth)
	}
	return nil, c.errorf(n, "unexpected YAML node")
}

func (c *yamlConverter) mapping(n *yaml.Node, depth int) (*value, error) {
	v := &value{kind: kindObject, file: c.file, line: n.Line}
	for i := 0; i+1 < len(n.Content); i += 2 {
		k, val := n.Content[i], n.Content[i+1]
		for k.Kind == yaml.AliasNode {
			k = k.Alias
		}
		if k.Kind != yaml.ScalarNode {
			return nil, c.errorf(k, "object keys must be strings")
		}
		if k.ShortTag() == "!!merge" {
			return nil, c.errorf(k, `merge keys ("<<") are not supported`)
		}
		f := field{key: k.Value, line: k.Line}
		var err error
		if f.val, err = c.convert(val, depth+1); err != nil {
			return nil, err
		}
		if err := v.addField(f); err != nil {
			return nil, err
		}
	}
	return v, nil
}

var jsonNumberRE = regexp.MustCompile(`^-?(0|[1-9][0-9]*)(\.[0-9]+)?([eE][+-]?[0-9]+)?$`)

func (c *yamlConverter) scalar(n *yaml.Node) (*value, error) {
	v := &value{file: c.file, line: n.Line}
	switch tag := n.ShortTag(); tag {
	case "!!null":
		v.kind = kindNull
	case "!!bool":
		var b bool
		if err := n.Decode(&b); err != nil {
			return nil, c.errorf(n, "invalid boolean %q", n.Value)
		}
		v.kind, v.text = kindBool, strconv.FormatBool(b)
	case "!!int", "!!float":
		text, err := yamlNumber(n)
		if err != nil {
			return nil, c.errorf(n, "%v", err)
		}
		v.kind, v.text = kindNumber, text
	case "!!str", "!!timestamp", "!!binary":
		if !utf8.ValidString(n.Value) {
			return nil, c.errorf(n, "string is not valid UTF-8")
		}
		v.kind, v.text = kindString, n.Value
	default:
		return nil, c.errorf(n, "unsupported YAML tag %q", n.Tag)
	}
	return v, nil
}

// yamlNumber renders a YAML number as JSON.
func yamlNumber(n *yaml.Node) (string, error) {
	if jsonNumberRE.MatchString(n.Value) {
		return n.Value, nil
	}
	var x any
	if err := n.Decode(&x); err != nil {
		return "", fmt.Errorf("invalid number %q", n.Value)
	}
	b, err := json.Marshal(x)
	if err != nil {
		return "", fmt.Errorf("number %q cannot be written in JSON", n.Value)
	}
	return string(b), nil
}

// fromYAMLNode converts a node outside a metadata directory.
func fromYAMLNode(n *yaml.Node) (*value, error) {
	budget := maxAliasValues
	c := &yamlConverter{budget: &budget}
	return c.convert(n, 0)
}

var yamlErrorRE = regexp.MustCompile(`^yaml: line (\d+): (.*)$`)

// yamlSyntaxError turns a yaml.v3 parse error into a DecodeError of file.
func yamlSyntaxError(file string, err error) *DecodeError {
	msg := err.Error()
	if m := yamlErrorRE.FindStringSubmatch(msg); m != nil {
		line, _ := strconv.Atoi(m[1])
		return &DecodeError{File: file, Line: line, Msg: "invalid YAML: " + m[2]}
	}
	return &DecodeError{File: file, Msg: "invalid YAML: " + strings.TrimPrefix(msg, "yaml: ")}
}

// closest returns the candidate nearest to s when it is a likely typo.
func closest(s string, candidates []string) string {
	best, bestD := "", 3
	sorted := append([]string(nil), candidates...)
	sort.Strings(sorted)
	for _, c := range sorted {
		if d := editDistance(s, c); d < bestD {
			best, bestD = c, d
		}
	}
	return best
}

func editDistance(a, b string) int {
	prev := make([]int, len(b)+1)
	cur := make([]int, len(b)+1)
	for j := range prev {
		prev[j] = j
	}
	for i := 1; i <= len(a); i++ {
		cur[0] = i
		for j := 1; j <= len(b); j++ {
			cost := 1
			if a[i-1] == b[j-1] {
				cost = 0
			}
			cur[j] = min(prev[j]+1, cur[j-1]+1, prev[j-1]+cost)
		}
		prev, cur = cur, prev
	}
	return prev[len(b)]
}
