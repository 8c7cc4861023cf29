package gql

import "testing"

func TestNullLiterals(t *testing.T) {
	for in, want := range map[string]string{
		`{ a(limit: null) { b } }`:                              `{ a(limit: __null) { b } }`,
		`{ a(where: {x: {_in: [1, null]}}) { null } }`:          `{ a(where: {x: {_in: [1, __null]}}) { null } }`,
		`query($v: Int = null) { a(s: "null", t: """null""") }`: `query($v: Int = __null) { a(s: "null", t: """null""") }`,
		"{ a(x: 1 # null\n y: nullable) { x: null } }":          "{ a(x: 1 # null\n y: nullable) { x: null } }",
		`{ a(s: "say \"null\"", n: null) }`:                     `{ a(s: "say \"null\"", n: __null) }`,
		`{ a @include(if: null) }`:                              `{ a @include(if: __null) }`,
	} {
		if got := nullLiterals(in); got != want {
			t.Errorf("nullLiterals(%q)\n got %q\nwant %q", in, got, want)
		}
	}
}
