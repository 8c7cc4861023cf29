package gql

import (
	"strings"

	"github.com/trellis-gql/trellis/engine/plan"
)

// The GraphQL parser Trellis uses (graphql-go v0.8) does not know the null
// literal: `limit: null` or `_eq: null` would fail to parse. Before parsing,
// nullLiterals rewrites each null written as a value into the enum literal
// plan.NullLiteral, which no schema defines (names starting with "__" are
// reserved) and which the planner reads as null.

// nullLiterals returns query with the null values replaced. A value is
// recognised by where it stands: inside parentheses (arguments, directive
// arguments, variable defaults) after a colon or an equals sign, or inside
// a list there; strings, block strings and comments are left alone.
func nullLiterals(query string) string {
	if !strings.Contains(query, "null") {
		return query
	}
	var b strings.Builder
	parens, brackets := 0, 0
	var prev byte // the last punctuator or name character seen
	for i := 0; i < len(query); {
		c := query[i]
		switch {
		case c == '#':
			j := strings.IndexAny(query[i:], "\n\r")
			if j < 0 {
				j = len(query) - i
			}
			b.WriteString(query[i : i+j])
			i += j
			continue
		case c == '"':
			j := stringEnd(query, i)
			b.WriteString(query[i:j])
			i, prev = j, '"'
			continue
		case isNameStart(c):
			j := i + 1
			for j < len(query) && isNameChar(query[j]) {
				j++
			}
			name := query[i:j]
			if name == "null" && parens > 0 && (prev == ':' || prev == '=' || brackets > 0) {
				name = plan.NullLiteral
			}
			b.WriteString(name)
			i, prev = j, 'a'
			continue
		case c == '(':
			parens++
		case c == ')':
			parens--
		case c == '[' && parens > 0:
			brackets++
		case c == ']' && parens > 0:
			brackets--
		}
		if c != ' ' && c != '\t' && c != '\n' && c != '\r' && c != ',' {
			prev = c
		}
		b.WriteByte(c)
		i++
	}
	return b.String()
}

// stringEnd returns the index just past the string or block string that
// starts at i.
func stringEnd(s string, i int) int {
	if strings.HasPrefix(s[i:], `"""`) {
		j := i + 3
		for j < len(s) {
			if s[j] == '\\' && strings.HasPrefix(s[j:], `\"""`) {
				j += 4
				continue
			}
			if strings.HasPrefix(s[j:], `"""`) {
				return j + 3
			}
			j++
		}
		return len(s)
	}
	j := i + 1
	for j < len(s) {
		switch s[j] {
		case '\\':
			j += 2
			continue
		case '"', '\n', '\r':
			return j + 1
		}
		j++
	}
	return len(s)
}

func isNameStart(c byte) bool { return c == '_' || c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z' }
func isNameChar(c byte) bool  { return isNameStart(c) || c >= '0' && c <= '9' }
