package auth

import (
	"fmt"
	"strconv"
	"strings"
)

// jsonPath is a parsed JSON path as Hasura's claims_namespace_path and
// claims_map accept: "$.a.b", "$['https://x.io/claims'].roles", "$.a[0]".
type jsonPath []pathStep

type pathStep struct {
	key     string
	index   int
	isIndex bool
}

// parseJSONPath reads a path; the leading "$" is optional.
func parseJSONPath(s string) (jsonPath, error) {
	rest := strings.TrimPrefix(s, "$")
	var p jsonPath
	for rest != "" {
		switch rest[0] {
		case '.':
			rest = rest[1:]
			end := strings.IndexAny(rest, ".[")
			if end < 0 {
				end = len(rest)
			}
			if end == 0 {
				return nil, fmt.Errorf("invalid JSON path %q: empty key", s)
			}
			p = append(p, pathStep{key: rest[:end]})
			rest = rest[end:]
		case '[':
			step, n, err := parseBracket(rest)
			if err != nil {
				return nil, fmt.Errorf("invalid JSON path %q: %w", s, err)
			}
			p = append(p, step)
			rest = rest[n:]
		default:
			if len(p) > 0 || strings.HasPrefix(s, "$") {
				return nil, fmt.Errorf("invalid JSON path %q: unexpected %q", s, rest[0])
			}
			// A bare first key, as in "a.b".
			rest = "." + rest
		}
	}
	return p, nil
}

// parseBracket reads "['key']", `["key"]` or "[0]" at the start of s and
// returns the step and the number of bytes read.
func parseBracket(s string) (pathStep, int, error) {
	end := strings.IndexByte(s, ']')
	if len(s) > 1 && (s[1] == '\'' || s[1] == '"') {
		quote := s[1]
		close := strings.IndexByte(s[2:], quote)
		if close < 0 || len(s) < close+4 || s[close+3] != ']' {
			return pathStep{}, 0, fmt.Errorf("unterminated quoted key")
		}
		return pathStep{key: s[2 : close+2]}, close + 4, nil
	}
	if end < 0 {
		return pathStep{}, 0, fmt.Errorf("missing ]")
	}
	i, err := strconv.Atoi(s[1:end])
	if err != nil || i < 0 {
		return pathStep{}, 0, fmt.Errorf("invalid index %q", s[1:end])
	}
	return pathStep{index: i, isIndex: true}, end + 1, nil
}

// lookup follows the path through decoded JSON (maps and slices).
func (p jsonPath) lookup(v any) (any, bool) {
	for _, step := range p {
		switch node := v.(type) {
		case map[string]any:
			if step.isIndex {
				return nil, false
			}
			next, ok := node[step.key]
			if !ok {
				return nil, false
			}
			v = next
		case []any:
			if !step.isIndex || step.index >= len(node) {
				return nil, false
			}
			v = node[step.index]
		default:
			return nil, false
		}
	}
	return v, true
}

// String renders the path as Hasura's messages do: "$.a['b.c'][0]".
func (p jsonPath) String() string {
	var b strings.Builder
	b.WriteByte('$')
	for _, step := range p {
		switch {
		case step.isIndex:
			fmt.Fprintf(&b, "[%d]", step.index)
		case isIdentifier(step.key):
			b.WriteString("." + step.key)
		default:
			b.WriteString("['" + step.key + "']")
		}
	}
	return b.String()
}

func isIdentifier(s string) bool {
	for i, r := range s {
		letter := r == '_' || (r >= 'a' && r <= 'z') || (r >= 'A' && r <= 'Z')
		if !letter && (i == 0 || r < '0' || r > '9') {
			return false
		}
	}
	return s != ""
}
