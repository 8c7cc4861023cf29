package metadata

import (
	"encoding/json"
	"errors"
	"strings"
	"testing"
)

func TestActionsSDL(t *testing.T) {
	cases := []struct {
		name, actions, types, want string
	}{
		{"nothing", ``, ``, ""},
		{"null and empty", `null`, `{"enums":[],"input_objects":[],"objects":[],"scalars":[]}`, ""},
		{
			name:    "query without arguments",
			actions: `[{"name":"me","definition":{"handler":"h","output_type":"User!","type":"query"}}]`,
			want:    "type Query {\n  me: User!\n}\n\n",
		},
		{
			name: "mutation with arguments, descriptions and a canonical type",
			actions: `[{"name":"login","definition":{"handler":"h","output_type":" [ Token ! ] ","type":"mutation","kind":"synchronous",
				"arguments":[{"name":"user","type":"String!","description":"Login name"},{"name":"password","type":"String!","description":null}]}}]`,
			want: "type Mutation {\n  login(\n    \"\"\" Login name \"\"\" user: String!\n    password: String!\n  ): [Token!]\n}\n\n",
		},
		{
			name:    "no type is a mutation",
			actions: `[{"name":"a","definition":{"handler":"h","output_type":"Int","arguments":[]}}]`,
			want:    "type Mutation {\n  a: Int\n}\n\n",
		},
		{
			name: "types in the CLI's order",
			types: `{"scalars":[{"name":"uuid","description":"An id"}],"objects":[{"name":"O","fields":[{"name":"f","type":"[uuid]!","arguments":[{"name":"x","type":"Int"}]}],
				"relationships":[{"name":"r"}]}],"input_objects":[{"name":"I","description":"In","fields":[{"name":"a","type":"E","description":"An a"}]}],
				"enums":[{"name":"E","values":[{"value":"ONE","description":"First"},{"value":"TWO","is_deprecated":true}]}]}`,
			want: "enum E {\n  \"\"\" First \"\"\" ONE\n  TWO\n}\n\n" +
				"\"\"\" In \"\"\" input I {\n  \"\"\" An a \"\"\" a: E\n}\n\n" +
				"type O {\n  f(\n    x: Int\n  ): [uuid]!\n}\n\n" +
				"\"\"\" An id \"\"\" scalar uuid\n\n",
		},
		{
			name:  "descriptions the block form would change",
			types: `{"scalars":[{"name":"A","description":"two\nlines"},{"name":"B","description":" padded "},{"name":"C","description":"has \"\"\" inside"},{"name":"D","description":""},{"name":"E","description":"back\\slash \"q\""}]}`,
			want: "\"two\\nlines\" scalar A\n\n\" padded \" scalar B\n\n\"has \\\"\\\"\\\" inside\" scalar C\n\n\"\" scalar D\n\n" +
				"\"\"\" back\\slash \"q\" \"\"\" scalar E\n\n",
		},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			got, err := ActionsSDL(json.RawMessage(c.actions), json.RawMessage(c.types))
			if err != nil {
				t.Fatal(err)
			}
			wantEqual(t, "sdl", got, c.want)
		})
	}
}

func TestMergeActionsSDL(t *testing.T) {
	cases := []struct {
		name                   string
		sdl, actions, types    string
		wantActions, wantTypes string
	}{
		{
			name: "a mutation and a query",
			sdl: `type Mutation {
  login(
    """ Login name """ user: String!
    password: String!
  ): Token
}

extend type Query {
  "Who am I" me: User!
}
`,
			actions: `[{"name":"me","definition":{"kind":"","handler":"h2"}},
				{"name":"login","definition":{"kind":"asynchronous","handler":"h1","forward_client_headers":true,"timeout":5,"extra":1},"permissions":[{"role":"user"}],"comment":"c"}]`,
			wantActions: `[{"name":"login","definition":{"handler":"h1","output_type":"Token","forward_client_headers":true,` +
				`"arguments":[{"name":"user","type":"String!","description":"Login name"},{"name":"password","type":"String!"}],` +
				`"type":"mutation","kind":"asynchronous","timeout":5,"extra":1},"comment":"c","permissions":[{"role":"user"}]},` +
				`{"name":"me","definition":{"handler":"h2","output_type":"User!","type":"query"},"comment":"Who am I"}]`,
		},
		{
			name:        "a mutation without kind is synchronous",
			sdl:         "type Mutation { ping: Boolean }",
			actions:     `[{"name":"ping","definition":{"handler":"h"}}]`,
			wantActions: `[{"name":"ping","definition":{"handler":"h","output_type":"Boolean","type":"mutation","kind":"synchronous"}}]`,
		},
		{
			name: "custom types",
			sdl: `""" A role """ enum Role { """ Admin """ admin guest @deprecated user }
"An input" input In { """ a """ a: [Role!]! b: Int }
type Out { x(
  """ only """ p: String
): String! """ y """ y: Int }
type Bare { z: Int }
""" sdl text """ scalar Json
`,
			types: `{"objects":[{"name":"Out","description":"from yaml","relationships":[{"name":"r","type":"object"}]}],
				"enums":[{"name":"Role","values":[{"description":null,"is_deprecated":true,"value":"user"}]}],"input_objects":[],"scalars":[]}`,
			wantTypes: `{"input_objects":[{"name":"In","fields":[{"name":"a","type":"[Role!]!","description":"a"},{"name":"b","type":"Int"}],"description":"An input"}],` +
				`"objects":[{"name":"Out","fields":[{"name":"x","type":"String!","arguments":[{"name":"p","type":"String","description":"only"}]},{"name":"y","type":"Int","description":"y"}],` +
				`"description":"from yaml","relationships":[{"name":"r","type":"object"}]},{"name":"Bare","fields":[{"name":"z","type":"Int"}]}],` +
				`"scalars":[{"name":"Json","description":"sdl text"}],` +
				`"enums":[{"name":"Role","values":[{"description":"Admin","value":"admin"},{"is_deprecated":true,"value":"guest"},{"is_deprecated":true,"value":"user"}],"description":"A role"}]}`,
		},
		{
			name:        "complete entries without SDL are kept",
			actions:     `[{"name":"a","definition":{"handler":"h","output_type":"Int","type":"query"}}]`,
			types:       `{"scalars":[{"name":"S"}],"enums":[{"name":"E","values":[{"value":"X"}]}]}`,
			wantActions: `[{"name":"a","definition":{"handler":"h","output_type":"Int","type":"query"}}]`,
			wantTypes:   `{"scalars":[{"name":"S"}],"enums":[{"name":"E","values":[{"value":"X"}]}]}`,
		},
		{
			name:  "empty directory",
			types: `{"enums":[],"input_objects":[],"objects":[],"scalars":[]}`,
		},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			md := &Metadata{ActionsGraphQL: c.sdl, Actions: raw(c.actions), CustomTypes: raw(c.types)}
			if err := MergeActionsSDL(md); err != nil {
				t.Fatal(err)
			}
			wantEqual(t, "actions", string(md.Actions), compactOrEmpty(t, c.wantActions))
			wantEqual(t, "custom_types", string(md.CustomTypes), compactOrEmpty(t, c.wantTypes))
			// A second merge changes nothing.
			before := string(md.Actions) + string(md.CustomTypes)
			if err := MergeActionsSDL(md); err != nil {
				t.Fatal(err)
			}
			wantEqual(t, "after a second merge", string(md.Actions)+string(md.CustomTypes), before)
		})
	}
}

func raw(s string) json.RawMessage {
	if s == "" {
		return nil
	}
	return json.RawMessage(s)
}

func compactOrEmpty(t *testing.T, s string) string {
	if s == "" {
		return ""
	}
	return compactJSON(t, s)
}

func TestMergeActionsSDLErrors(t *testing.T) {
	cases := []struct {
		name, sdl, actions, types string
		file                      string
		line                      int
		msg                       string
	}{
		{"syntax", "type Mutation {\n  a(: Int\n}\n", ``, ``, "actions.graphql", 2, "invalid GraphQL: Expected Name, found :"},
		{"unterminated", "type Query {\n  a: Int\n", ``, ``, "actions.graphql", 3, "invalid GraphQL"},
		{"interface", "type Query { a: Int }\n\ninterface I { a: Int }\n", `[{"name":"a","definition":{"handler":"h"}}]`, ``, "actions.graphql", 3, "InterfaceDefinition is not supported"},
		{"operation", "\n\nquery { a }\n", ``, ``, "actions.graphql", 3, "is not supported"},
		{"extend other", "extend type User { a: Int }", ``, ``, "actions.graphql", 1, "extend type is only supported"},
		{"default value", "input I {\n  a: Int = 1\n}", ``, ``, "actions.graphql", 2, "default values are not supported"},
		{"action twice", "type Query { a: Int }\ntype Mutation {\n  a: Int\n}", `[{"name":"a","definition":{"handler":"h"}}]`, ``, "actions.graphql", 3, `action "a" is defined twice (first at line 1)`},
		{"type twice", "scalar S\n\nenum S { A }", ``, ``, "actions.graphql", 3, `type "S" is defined twice`},
		{"no handler", "type Query {\n  x: Int\n}", ``, ``, "actions.graphql", 2, `action "x" has no entry in actions.yaml`},
		{"action not in SDL", "", `[{"name":"gone","definition":{"kind":"","handler":"h"}}]`, ``, "actions.yaml", 0, `action "gone" is not defined in actions.graphql`},
		{"type not in SDL", "", ``, `{"objects":[{"name":"Gone"}]}`, "actions.yaml", 0, `custom type "Gone" is not defined in actions.graphql`},
		{"duplicate yaml action", "", `[{"name":"a"},{"name":"a"}]`, ``, "actions.yaml", 0, `action "a" is listed twice`},
		{"bad custom types key", "", ``, `{"unions":[]}`, "actions.yaml", 0, `unknown field "unions"`},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			md := &Metadata{ActionsGraphQL: c.sdl, Actions: raw(c.actions), CustomTypes: raw(c.types)}
			err := MergeActionsSDL(md)
			var de *DecodeError
			if !errors.As(err, &de) {
				t.Fatalf("error %v, want a DecodeError", err)
			}
			if de.File != c.file || de.Line != c.line || !strings.Contains(de.Msg, c.msg) {
				t.Errorf("error %q (file %q, line %d), want %s:%d: …%s…", err, de.File, de.Line, c.file, c.line, c.msg)
			}
		})
	}
}

// TestDescriptionsRoundTrip: every description reads back as written.
func TestDescriptionsRoundTrip(t *testing.T) {
	for _, d := range []string{"plain", "two\nlines", "  padded ", `with """ quotes`, `ends with "`, `back\slash`, "tab\there",
		"", "ctl\u0001", "żółć 🌍", `\"""`, "line\r\nbreak", "\u2028"} {
		types, _ := json.Marshal(map[string]any{"scalars": []any{map[string]any{"name": "S", "description": d}}})
		sdl, err := ActionsSDL(nil, types)
		if err != nil {
			t.Fatal(err)
		}
		doc, err := parseActionsSDL(sdl)
		if err != nil {
			t.Fatalf("%q: %v in\n%s", d, err, sdl)
		}
		if got := doc.types[0].desc; got == nil || *got != d {
			t.Errorf("%q read back as %v from %s", d, got, sdl)
		}
	}
}

func TestParseGraphQLType(t *testing.T) {
	cases := []struct {
		in, want string
		ok       bool
	}{
		{"Int", "Int", true},
		{" [ Int ! ] ! ", "[Int!]!", true},
		{"[[a_1]!]", "[[a_1]!]", true},
		{"", "", false},
		{"1a", "", false},
		{"[Int", "", false},
		{"Int!!", "", false},
		{"Int Int", "", false},
	}
	for _, c := range cases {
		got, rest, ok := parseGraphQLType(c.in)
		ok = ok && strings.TrimSpace(rest) == ""
		if ok != c.ok || (ok && got != c.want) {
			t.Errorf("parseGraphQLType(%q) = %q, %v; want %q, %v", c.in, got, ok, c.want, c.ok)
		}
	}
}

// FuzzMergeActionsSDL: no actions.graphql makes MergeActionsSDL panic.
func FuzzMergeActionsSDL(f *testing.F) {
	f.Add("type Mutation { a(x: [Int!]!): O }\ntype O { f: Int }\n", `[{"name":"a","definition":{"handler":"h"}}]`)
	f.Add(`""" d """ enum E { A B @deprecated } "q" scalar S input I { a: E }`, ``)
	f.Add("extend type Query { q: Int }", `[{"name":"q"}]`)
	f.Fuzz(func(t *testing.T, sdl, actions string) {
		md := &Metadata{ActionsGraphQL: sdl, Actions: raw(actions)}
		_ = MergeActionsSDL(md) // only panics matter
	})
}
