package metadata

import (
	"encoding/json"
	"testing"

	"github.com/trellis-gql/trellis/engine/catalog"
)

func TestTrackedFunctionDDL(t *testing.T) {
	md := &Metadata{}
	doc := `{"version":3,"sources":[{"name":"default","kind":"postgres","tables":[],"functions":[` +
		`{"function":{"schema":"public","name":"search"}},{"function":{"schema":"app","name":"find"}},{"function":{"schema":"public","name":"gone"}}]}]}`
	if err := json.Unmarshal([]byte(doc), md); err != nil {
		t.Fatal(err)
	}
	fn := func(schema, name string, oid uint32, vol byte) *catalog.Function {
		return &catalog.Function{Name: qn(schema, name), OID: oid, Volatility: vol}
	}
	cat := func(fns ...*catalog.Function) *catalog.Catalog {
		c := &catalog.Catalog{Functions: map[catalog.QualifiedName][]*catalog.Function{}}
		for _, f := range fns {
			c.Functions[f.Name] = append(c.Functions[f.Name], f)
		}
		return c
	}
	before := cat(fn("public", "search", 1, 's'), fn("app", "find", 2, 'i'))
	cases := []struct {
		name                 string
		after                *catalog.Catalog
		overloaded, volatile string
	}{
		{name: "unchanged", after: before},
		{name: "overloads, listed sorted",
			after:      cat(fn("public", "search", 1, 's'), fn("public", "search", 3, 's'), fn("app", "find", 2, 'i'), fn("app", "find", 4, 'i')),
			overloaded: "the following tracked function(s) cannot be overloaded: app.find, search"},
		{name: "an untracked overload", after: cat(fn("public", "search", 1, 's'), fn("app", "find", 2, 'i'), fn("public", "other", 5, 'v'), fn("public", "other", 6, 'v'))},
		{name: "made volatile",
			after:    cat(fn("public", "search", 1, 'v'), fn("app", "find", 2, 'i')),
			volatile: `type of function "search" is altered to "VOLATILE" which is not supported now`},
		{name: "renamed and made volatile",
			after:    cat(fn("public", "search", 1, 's'), fn("app", "found", 2, 'v')),
			volatile: `type of function "app.find" is altered to "VOLATILE" which is not supported now`},
		{name: "dropped and created volatile under the same name", after: cat(fn("public", "search", 7, 'v'), fn("app", "find", 2, 'i'))},
		{name: "made stable", after: cat(fn("public", "search", 1, 'i'), fn("app", "find", 2, 's'))},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			for _, check := range []struct {
				err  *APIError
				want string
			}{{OverloadedFunctions(md, before, c.after), c.overloaded}, {VolatileFunctions(md, before, c.after), c.volatile}} {
				switch {
				case check.want == "" && check.err != nil:
					t.Errorf("unexpected error %+v", *check.err)
				case check.want != "" && (check.err == nil || *check.err != APIError{Status: 400, Code: CodeNotSupported, Path: "$", Message: check.want}):
					t.Errorf("got %+v, want %q", check.err, check.want)
				}
			}
		})
	}
}
