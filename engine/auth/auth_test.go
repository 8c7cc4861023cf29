package auth

import (
	"context"
	"net/http"
	"testing"
	"time"

	"github.com/golang-jwt/jwt/v5"
)

const testKey = "a-shared-secret-of-at-least-32-bytes!"

func TestNewRefusesHasurasFatalCombinations(t *testing.T) {
	jwtSecret := `{"type":"HS256","key":"` + testKey + `"}`
	for _, c := range []struct {
		name string
		cfg  Config
		want string
	}{
		{"JWT without admin secret", Config{JWTSecrets: []string{jwtSecret}}, "--jwt-secret (HASURA_GRAPHQL_JWT_SECRET) requires --admin-secret (HASURA_GRAPHQL_ADMIN_SECRET) to be set"},
		{"webhook without admin secret", Config{AuthHook: "http://hook"}, "--auth-hook (HASURA_GRAPHQL_AUTH_HOOK) requires --admin-secret (HASURA_GRAPHQL_ADMIN_SECRET) to be set"},
		{"webhook and JWT", Config{AdminSecret: "s", AuthHook: "http://hook", JWTSecrets: []string{jwtSecret}}, "both webhook and JWT mode cannot be enabled at the same time"},
		{"unauthorized role with webhook", Config{AdminSecret: "s", AuthHook: "http://hook", UnauthorizedRole: "anon"},
			"--unauthorized-role (HASURA_GRAPHQL_UNAUTHORIZED_ROLE) requires --admin-secret (HASURA_GRAPHQL_ADMIN_SECRET) to be set and is not allowed when --auth-hook (HASURA_GRAPHQL_AUTH_HOOK) is set"},
		{"short HMAC key", Config{AdminSecret: "s", JWTSecrets: []string{`{"type":"HS256","key":"short"}`}}, "Invalid JWK: Key size too small; should be atleast 256 bits"},
		{"unknown key type", Config{AdminSecret: "s", JWTSecrets: []string{`{"type":"PS256","key":"k"}`}}, "Invalid JWK: Key type: PS256 is not supported"},
		{"no key", Config{AdminSecret: "s", JWTSecrets: []string{`{"type":"HS256"}`}}, "key and jwk_url both cannot be empty"},
		{"two namespaces", Config{AdminSecret: "s", JWTSecrets: []string{`{"type":"HS256","key":"` + testKey + `","claims_namespace":"a","claims_namespace_path":"$.b"}`}},
			"claims_namespace and claims_namespace_path both cannot be set"},
		{"claims_map without roles", Config{AdminSecret: "s", JWTSecrets: []string{`{"type":"HS256","key":"` + testKey + `","claims_map":{"x-hasura-default-role":"user"}}`}},
			"x-hasura-allowed-roles is expected but not found"},
		{"hook mode", Config{AdminSecret: "s", AuthHook: "http://hook", AuthHookMode: "PUT"}, `auth hook mode must be GET or POST, not "PUT"`},
	} {
		t.Run(c.name, func(t *testing.T) {
			_, err := New(context.Background(), c.cfg)
			if err == nil || err.Error() != c.want {
				t.Errorf("error = %v, want %s", err, c.want)
			}
		})
	}
}

// TestSessionExpiry: the session carries the token's exp, for WebSocket
// connections to end with their credentials.
func TestSessionExpiry(t *testing.T) {
	a, err := New(context.Background(), Config{AdminSecret: "s", JWTSecrets: []string{`{"type":"HS256","key":"` + testKey + `"}`}})
	if err != nil {
		t.Fatal(err)
	}
	exp := time.Now().Add(time.Hour).Truncate(time.Second)
	tok, err := jwt.NewWithClaims(jwt.SigningMethodHS256, jwt.MapClaims{"exp": exp.Unix(),
		"https://hasura.io/jwt/claims": map[string]any{"x-hasura-default-role": "user", "x-hasura-allowed-roles": []string{"user"}, "X-Hasura-Org": "3"}}).
		SignedString([]byte(testKey))
	if err != nil {
		t.Fatal(err)
	}
	s, err := a.Authenticate(context.Background(), Request{Header: http.Header{"Authorization": {"Bearer " + tok}}})
	if err != nil {
		t.Fatal(err)
	}
	if !s.Expiry.Equal(exp) || s.Role != "user" || len(s.Vars) != 2 || s.Vars["x-hasura-org"] != "3" || s.Vars["x-hasura-role"] != "user" {
		t.Errorf("session = %+v", s)
	}
}

func TestFreshUntil(t *testing.T) {
	now := time.Date(2024, 1, 1, 0, 0, 0, 0, time.UTC)
	for _, c := range []struct {
		cc, expires string
		want        time.Duration
		ok          bool
	}{
		{"public, max-age=60", "", time.Minute, true},
		{"s-maxage=30", "", 30 * time.Second, true},
		{"no-cache", "", 0, true},
		{"must-revalidate, max-age=5", "", 5 * time.Second, true},
		{"private", "Mon, 01 Jan 2024 00:02:00 GMT", 2 * time.Minute, true},
		{"", "", 0, false},
	} {
		got, ok := freshUntil(c.cc, c.expires, now)
		if ok != c.ok || (ok && got.Sub(now) != c.want) {
			t.Errorf("%q %q: %v %v", c.cc, c.expires, got, ok)
		}
	}
}

func TestJSONPath(t *testing.T) {
	doc := map[string]any{"a": map[string]any{"b.c": []any{"x", "y"}}}
	for _, c := range []struct{ path, str, want string }{
		{"$.a['b.c'][1]", "$.a['b.c'][1]", "y"},
		{`$["a"]["b.c"][0]`, "$.a['b.c'][0]", "x"},
		{"a['b.c'][0]", "$.a['b.c'][0]", "x"},
	} {
		p, err := parseJSONPath(c.path)
		if err != nil {
			t.Fatal(err)
		}
		got, ok := p.lookup(doc)
		if !ok || got != c.want || p.String() != c.str {
			t.Errorf("%s: %v %v %s", c.path, got, ok, p)
		}
	}
}
