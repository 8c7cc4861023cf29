package plan

import (
	"strconv"
	"strings"
	"unicode"
	"unicode/utf8"

	"github.com/trellis-gql/trellis/engine/gqlerr"
)

// columnJSONPath reads the path argument of a json/jsonb column field
// (Hasura's "JSON select path"): nil when absent, null or "$".
func (p *planner) columnJSONPath(s *selected) ([]string, error) {
	for _, a := range s.field.Arguments {
		if a.Name.Value != "path" {
			continue
		}
		path := s.path.Key("args").Key("path")
		v, err := p.valueOf(a.Value, path)
		if err != nil || v == nil {
			return nil, err
		}
		text, ok := v.(string)
		if !ok {
			return nil, typeMismatch(path, "String", "a string", v)
		}
		elems, ok := parseJSONPath(text)
		if !ok {
			return nil, path.Errorf(gqlerr.ValidationFailed, "parse json path error: %s. Accept letters, digits, underscore (_) or hyphen (-) only. Use quotes enclosed in bracket ([\"...\"]) if there is any special character", text)
		}
		return elems, nil
	}
	return nil, nil
}

// parseJSONPath reads Hasura's JSON path syntax: "$" alone, or an optional
// "$" then one or more elements, each a key (name or .name, where a name
// is a letter or _ then letters, digits, _ and -) or a bracketed index or
// quoted key ([0], ["key"], ['key'], optionally after a dot). Keys and
// indexes come back as the text elements of a Postgres #> path.
func parseJSONPath(s string) ([]string, bool) {
	if s == "$" {
		return []string{}, true
	}
	s = strings.TrimPrefix(s, "$")
	var out []string
	for s != "" {
		elem, rest, ok := jsonPathElement(s)
		if !ok {
			return nil, false
		}
		out = append(out, elem)
		s = rest
	}
	return out, len(out) > 0
}

// jsonPathElement reads one element at the start of s.
func jsonPathElement(s string) (elem, rest string, ok bool) {
	body := strings.TrimPrefix(s, ".")
	if name, rest, ok := jsonPathName(body); ok {
		return name, rest, true
	}
	if !strings.HasPrefix(body, "[") {
		return "", "", false
	}
	body = body[1:]
	if n := leadingDigits(body); n > 0 {
		if !strings.HasPrefix(body[n:], "]") {
			return "", "", false
		}
		i, err := strconv.Atoi(body[:n])
		if err != nil {
			return "", "", false
		}
		return strconv.Itoa(i), body[n+1:], true
	}
	key, rest, ok := jsonPathQuoted(body)
	if !ok || !strings.HasPrefix(rest, "]") {
		return "", "", false
	}
	return key, rest[1:], true
}

// jsonPathName reads a bare property name.
func jsonPathName(s string) (name, rest string, ok bool) {
	end := 0
	for end < len(s) {
		r, size := utf8.DecodeRuneInString(s[end:])
		first := end == 0
		if !(unicode.IsLetter(r) || r == '_' || !first && (r >= '0' && r <= '9' || r == '-')) {
			break
		}
		end += size
	}
	return s[:end], s[end:], end > 0
}

// jsonPathQuoted reads a key in double or single quotes; a backslash takes
// the next character as it is.
func jsonPathQuoted(s string) (key, rest string, ok bool) {
	if s == "" || s[0] != '"' && s[0] != '\'' {
		return "", "", false
	}
	delim := s[0]
	var b strings.Builder
	for i := 1; i < len(s); i++ {
		switch s[i] {
		case '\\':
			if i+1 >= len(s) {
				return "", "", false
			}
			_, size := utf8.DecodeRuneInString(s[i+1:])
			b.WriteString(s[i+1 : i+1+size])
			i += size
		case delim:
			return b.String(), s[i+1:], true
		default:
			b.WriteByte(s[i])
		}
	}
	return "", "", false
}

func leadingDigits(s string) int {
	n := 0
	for n < len(s) && s[n] >= '0' && s[n] <= '9' {
		n++
	}
	return n
}
