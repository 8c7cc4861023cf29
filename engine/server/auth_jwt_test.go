package server_test

import (
	"crypto"
	"crypto/ecdsa"
	"crypto/ed25519"
	"crypto/elliptic"
	"crypto/rand"
	"crypto/rsa"
	"crypto/x509"
	"encoding/base64"
	"encoding/json"
	"encoding/pem"
	"math/big"
	"net/http"
	"net/http/httptest"
	"strings"
	"sync/atomic"
	"testing"
	"time"

	"github.com/golang-jwt/jwt/v5"

	"github.com/trellis-gql/trellis/engine/auth"
)

// The tests below run the auth example: a tracked function, whoami, whose
// rows carry the session JSON the engine passed to SQL, which shows the
// role and variables authentication produced. Permissions are not enforced
// yet, so only admin sees whoami; any other role gets an empty query_root,
// and the error below shows that its request reached the engine.

const (
	authSecret = "s3cret"
	hsKey      = "a-shared-secret-of-at-least-32-bytes!"
	whoami     = `{"query":"{ whoami { session } }"}`
	// notAdmin is what a non-admin role gets for whoami today.
	notAdmin = `{"errors":[{"extensions":{"path":"$.selectionSet.whoami","code":"validation-failed"},"message":"field 'whoami' not found in type: 'query_root'"}]}`
)

// authTestServer serves the auth example with cfg (admin secret authSecret).
func authTestServer(t *testing.T, cfg auth.Config) *testServer {
	t.Helper()
	return newTestServer(t, serverOptions{
		adminSecret: authSecret,
		auth:        cfg,
		extraSQL:    []string{"testdata/auth/session.sql"},
		metadataDir: "testdata/auth/metadata",
		metadataAPI: true,
	})
}

// sessionIs is the answer of whoami for a session JSON.
func sessionIs(session string) string {
	return `{"data":{"whoami":[{"session":` + session + `}]}}`
}

// authError is Hasura's GraphQL error for an authentication failure.
func authError(code, msg string) string {
	return `{"errors":[{"extensions":{"path":"$","code":"` + code + `"},"message":"` + msg + `"}]}`
}

// mint signs claims with key; kid, when set, goes in the header.
func mint(t *testing.T, method jwt.SigningMethod, key any, claims jwt.MapClaims, kid string) string {
	t.Helper()
	tok := jwt.NewWithClaims(method, claims)
	if kid != "" {
		tok.Header["kid"] = kid
	}
	s, err := tok.SignedString(key)
	if err != nil {
		t.Fatal(err)
	}
	return s
}

// claims are a token's claims with Hasura claims under the default
// namespace and an exp an hour away.
func claims(hasura map[string]any) jwt.MapClaims {
	return jwt.MapClaims{"sub": "1", "exp": time.Now().Add(time.Hour).Unix(), "https://hasura.io/jwt/claims": hasura}
}

func roles(def string, allowed ...string) map[string]any {
	return map[string]any{"x-hasura-default-role": def, "x-hasura-allowed-roles": allowed}
}

func with(m map[string]any, k string, v any) map[string]any {
	m[k] = v
	return m
}

func bearer(token string) map[string]string {
	return map[string]string{"Authorization": "Bearer " + token}
}

// authCase is one request and the exact answer expected.
type authCase struct {
	name    string
	headers map[string]string
	want    string
}

func runAuthCases(t *testing.T, s *testServer, cases []authCase) {
	t.Helper()
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			status, body := s.post(t, whoami, c.headers)
			if status != http.StatusOK {
				t.Errorf("status = %d", status)
			}
			if got := compact(t, body); got != c.want {
				t.Errorf("got  %s\nwant %s", got, c.want)
			}
		})
	}
}

func pemPublic(t *testing.T, pub crypto.PublicKey) string {
	t.Helper()
	der, err := x509.MarshalPKIXPublicKey(pub)
	if err != nil {
		t.Fatal(err)
	}
	return string(pem.EncodeToMemory(&pem.Block{Type: "PUBLIC KEY", Bytes: der}))
}

// secretJSON encodes a HASURA_GRAPHQL_JWT_SECRET value.
func secretJSON(t *testing.T, v map[string]any) string {
	t.Helper()
	b, err := json.Marshal(v)
	if err != nil {
		t.Fatal(err)
	}
	return string(b)
}

func TestJWTHS256(t *testing.T) {
	s := authTestServer(t, auth.Config{JWTSecrets: []string{`{"type":"HS256","key":"` + hsKey + `"}`}})
	key := []byte(hsKey)
	sign := func(c jwt.MapClaims) map[string]string { return bearer(mint(t, jwt.SigningMethodHS256, key, c, "")) }
	expired := claims(roles("admin", "admin"))
	expired["exp"] = time.Now().Add(-time.Minute).Unix()
	withHeader := func(h map[string]string, k, v string) map[string]string { h[k] = v; return h }
	runAuthCases(t, s, []authCase{
		{"the token's variables, names lower-cased; headers are not variables",
			withHeader(sign(claims(with(roles("admin", "admin", "user"), "X-Hasura-User-Id", "42"))), "X-Hasura-User-Id", "999"),
			sessionIs(`{"x-hasura-role":"admin","x-hasura-user-id":"42"}`)},
		{"the default role", sign(claims(roles("user", "admin", "user"))), notAdmin},
		{"x-hasura-role picks an allowed role",
			withHeader(sign(claims(roles("user", "admin", "user"))), "X-Hasura-Role", "admin"),
			sessionIs(`{"x-hasura-role":"admin"}`)},
		{"x-hasura-role outside the allowed roles",
			withHeader(sign(claims(roles("user", "user"))), "X-Hasura-Role", "admin"),
			authError("access-denied", "Your requested role is not in allowed roles")},
		{"a default role outside the allowed roles", sign(claims(roles("admin", "user"))),
			authError("access-denied", "Your requested role is not in allowed roles")},
		{"expired", sign(expired), authError("invalid-jwt", "Could not verify JWT: JWTExpired")},
		{"signed with another key", bearer(mint(t, jwt.SigningMethodHS256, []byte(hsKey+"x"), claims(roles("admin", "admin")), "")),
			authError("invalid-jwt", "Could not verify JWT: JWSError JWSInvalidSignature")},
		{"another algorithm family", bearer(mint(t, jwt.SigningMethodNone, jwt.UnsafeAllowNoneSignatureType, claims(roles("admin", "admin")), "")),
			authError("invalid-jwt", "Could not verify JWT: JWSError JWSNoSignatures")},
		{"not a JWT", bearer("abc"),
			authError("invalid-jwt", "Could not verify JWT: JWSError (CompactDecodeError Invalid number of parts: Expected 3 parts; got 1)")},
		{"not a bearer token", map[string]string{"Authorization": "Basic YWxhZGRpbjpvcGVuc2VzYW1l"},
			authError("invalid-headers", "Malformed Authorization header")},
		{"no token", nil, authError("invalid-headers", "Missing 'Authorization' or 'Cookie' header in JWT authentication mode")},
		{"no default role", sign(claims(map[string]any{"x-hasura-allowed-roles": []string{"user"}})),
			authError("jwt-missing-role-claims", "JWT claim does not contain x-hasura-default-role")},
		{"no allowed roles", sign(claims(map[string]any{"x-hasura-default-role": "user"})),
			authError("jwt-missing-role-claims", "JWT claim does not contain x-hasura-allowed-roles")},
		{"allowed roles not a list", sign(claims(map[string]any{"x-hasura-default-role": "user", "x-hasura-allowed-roles": "user"})),
			authError("jwt-invalid-claims", "invalid x-hasura-allowed-roles; should be a list of roles: parsing [] failed, expected Array, but encountered String")},
		{"a variable that is not a string", sign(claims(with(roles("admin", "admin"), "x-hasura-user-id", 42))),
			authError("jwt-invalid-claims", "x-hasura-* claims: parsing Text failed, expected String, but encountered Number")},
		{"no claims namespace", sign(jwt.MapClaims{"sub": "1"}),
			authError("jwt-invalid-claims", "claims key: 'https://hasura.io/jwt/claims' not found")},
		{"the admin secret wins over a bad token", withHeader(bearer("abc"), "X-Hasura-Admin-Secret", authSecret),
			sessionIs(`{"x-hasura-role":"admin"}`)},
		{"a wrong admin secret", map[string]string{"X-Hasura-Admin-Secret": "nope"},
			authError("access-denied", "invalid x-hasura-admin-secret/x-hasura-access-key")},
	})

	t.Run("metadata APIs: a JWT with role admin is admin, others are refused", func(t *testing.T) {
		const body = `{"type":"run_sql","args":{"sql":"SELECT 1 AS one"}}`
		for _, c := range []struct {
			name    string
			headers map[string]string
			status  int
			want    string
		}{
			{"admin", sign(claims(roles("admin", "admin"))), 200, `{"result_type":"TuplesOk","result":[["one"],["1"]]}`},
			{"user", sign(claims(roles("user", "user"))), 400, `{"code":"access-denied","error":"restricted access : admin only","path":"$.args"}`},
			{"expired", sign(expired), 400, `{"code":"invalid-jwt","error":"Could not verify JWT: JWTExpired","path":"$"}`},
			{"no credentials", nil, 400, `{"code":"invalid-headers","error":"Missing 'Authorization' or 'Cookie' header in JWT authentication mode","path":"$"}`},
			{"wrong admin secret", map[string]string{"X-Hasura-Admin-Secret": "nope"}, 401, `{"code":"access-denied","error":"invalid x-hasura-admin-secret/x-hasura-access-key","path":"$"}`},
		} {
			status, got := s.send(t, http.MethodPost, "/v2/query", body, c.headers)
			if status != c.status || compact(t, got) != c.want {
				t.Errorf("%s: %d %s\nwant %d %s", c.name, status, got, c.status, c.want)
			}
		}
	})

	t.Run("config reports JWT mode", func(t *testing.T) {
		_, got := s.send(t, http.MethodGet, "/v1alpha1/config", "", nil)
		var cfg map[string]json.RawMessage
		if err := json.Unmarshal([]byte(got), &cfg); err != nil {
			t.Fatal(err)
		}
		for k, want := range map[string]string{
			"is_admin_secret_set": "true", "is_jwt_set": "true", "is_auth_hook_set": "false",
			"jwt": `[{"claims_format":"json","claims_namespace":"https://hasura.io/jwt/claims"}]`,
		} {
			if string(cfg[k]) != want {
				t.Errorf("%s = %s, want %s", k, cfg[k], want)
			}
		}
	})
}

func TestJWTAllowedSkewAudienceIssuer(t *testing.T) {
	s := authTestServer(t, auth.Config{JWTSecrets: []string{
		`{"type":"HS512","key":"` + strings.Repeat(hsKey, 2) + `","allowed_skew":60,"audience":["app","api"],"issuer":"https://issuer.example"}`,
	}})
	key := []byte(strings.Repeat(hsKey, 2))
	sign := func(edit func(jwt.MapClaims)) map[string]string {
		c := claims(roles("admin", "admin"))
		c["aud"], c["iss"] = "api", "https://issuer.example"
		edit(c)
		return bearer(mint(t, jwt.SigningMethodHS512, key, c, ""))
	}
	admin := sessionIs(`{"x-hasura-role":"admin"}`)
	runAuthCases(t, s, []authCase{
		{"expired within the skew", sign(func(c jwt.MapClaims) { c["exp"] = time.Now().Add(-30 * time.Second).Unix() }), admin},
		{"expired beyond the skew", sign(func(c jwt.MapClaims) { c["exp"] = time.Now().Add(-90 * time.Second).Unix() }),
			authError("invalid-jwt", "Could not verify JWT: JWTExpired")},
		{"not yet valid beyond the skew", sign(func(c jwt.MapClaims) { c["nbf"] = time.Now().Add(5 * time.Minute).Unix() }),
			authError("invalid-jwt", "Could not verify JWT: JWTNotYetValid")},
		{"one of its audiences is configured", sign(func(c jwt.MapClaims) { c["aud"] = []string{"other", "app"} }), admin},
		{"another audience", sign(func(c jwt.MapClaims) { c["aud"] = "other" }),
			authError("invalid-jwt", "Could not verify JWT: JWTNotInAudience")},
		{"another issuer", sign(func(c jwt.MapClaims) { c["iss"] = "https://evil.example" }),
			authError("invalid-jwt", "Could not verify JWT: JWTNotInIssuer")},
	})
}

func TestJWTClaimsNamespacePathStringified(t *testing.T) {
	s := authTestServer(t, auth.Config{JWTSecrets: []string{
		`{"type":"HS256","key":"` + hsKey + `","claims_namespace_path":"$.app.hasura","claims_format":"stringified_json"}`,
	}})
	sign := func(hasura any) map[string]string {
		c := jwt.MapClaims{"exp": time.Now().Add(time.Hour).Unix(), "app": map[string]any{"hasura": hasura}}
		return bearer(mint(t, jwt.SigningMethodHS256, []byte(hsKey), c, ""))
	}
	runAuthCases(t, s, []authCase{
		{"claims as a JSON string at the path",
			sign(`{"x-hasura-default-role":"admin","x-hasura-allowed-roles":["admin"],"x-hasura-org-id":"7","other":"dropped"}`),
			sessionIs(`{"x-hasura-org-id":"7","x-hasura-role":"admin"}`)},
		{"claims as an object", sign(roles("admin", "admin")),
			authError("jwt-invalid-claims", "expecting a string when claims_format is stringified_json")},
		{"a string that is not JSON", sign("nope"),
			authError("jwt-invalid-claims", "expecting stringified json at: 'claims_namespace_path $.app.hasura', but found: nope")},
		{"nothing at the path", bearer(mint(t, jwt.SigningMethodHS256, []byte(hsKey), jwt.MapClaims{"app": 1}, "")),
			authError("jwt-invalid-claims", "claims not found at claims_namespace_path: '$.app.hasura'")},
	})
}

func TestJWTClaimsMap(t *testing.T) {
	s := authTestServer(t, auth.Config{JWTSecrets: []string{secretJSON(t, map[string]any{
		"type": "HS256", "key": hsKey,
		"claims_map": map[string]any{
			"x-hasura-allowed-roles": map[string]any{"path": "$['https://myapp.com/claims'].roles"},
			"x-hasura-default-role":  map[string]any{"path": "$['https://myapp.com/claims'].role", "default": "admin"},
			"x-hasura-user-id":       map[string]any{"path": "$.sub"},
			"x-hasura-org-id":        map[string]any{"path": "$['https://myapp.com/claims'].orgs[0]", "default": "none"},
			"x-hasura-tier":          "gold",
		},
	})}})
	sign := func(sub any, app map[string]any) map[string]string {
		c := jwt.MapClaims{"exp": time.Now().Add(time.Hour).Unix(), "https://myapp.com/claims": app}
		if sub != nil {
			c["sub"] = sub
		}
		return bearer(mint(t, jwt.SigningMethodHS256, []byte(hsKey), c, ""))
	}
	runAuthCases(t, s, []authCase{
		{"paths, an index, a default and a fixed value",
			sign("u1", map[string]any{"roles": []string{"admin", "user"}, "orgs": []string{"o1", "o2"}}),
			sessionIs(`{"x-hasura-org-id":"o1","x-hasura-role":"admin","x-hasura-tier":"gold","x-hasura-user-id":"u1"}`)},
		{"defaults when paths find nothing",
			sign("u1", map[string]any{"roles": []string{"admin"}}),
			sessionIs(`{"x-hasura-org-id":"none","x-hasura-role":"admin","x-hasura-tier":"gold","x-hasura-user-id":"u1"}`)},
		{"a claim without a default is missing", sign(nil, map[string]any{"roles": []string{"admin"}}),
			authError("jwt-invalid-claims", "JWT claim from claims_map, x-hasura-user-id not found")},
		{"allowed roles are missing", sign("u1", map[string]any{}),
			authError("jwt-missing-role-claims", "JWT claim does not contain x-hasura-allowed-roles")},
	})
}

func TestJWTCookie(t *testing.T) {
	s := authTestServer(t, auth.Config{JWTSecrets: []string{`{"type":"HS256","key":"` + hsKey + `","header":{"type":"Cookie","name":"token"}}`}})
	token := mint(t, jwt.SigningMethodHS256, []byte(hsKey), claims(roles("admin", "admin")), "")
	runAuthCases(t, s, []authCase{
		{"the token in its cookie", map[string]string{"Cookie": "theme=dark; token=" + token},
			sessionIs(`{"x-hasura-role":"admin"}`)},
		{"an Authorization header is not looked at", bearer(token),
			authError("invalid-headers", "Missing 'Authorization' or 'Cookie' header in JWT authentication mode")},
	})
}

// TestJWTSecretsES256Ed25519 has two configurations (HASURA_GRAPHQL_JWT_SECRETS)
// told apart by issuer: ES256 and Ed25519 keys as PEM.
func TestJWTSecretsES256Ed25519(t *testing.T) {
	ecKey, err := ecdsa.GenerateKey(elliptic.P256(), rand.Reader)
	if err != nil {
		t.Fatal(err)
	}
	edPub, edKey, err := ed25519.GenerateKey(rand.Reader)
	if err != nil {
		t.Fatal(err)
	}
	s := authTestServer(t, auth.Config{JWTSecrets: []string{
		secretJSON(t, map[string]any{"type": "ES256", "key": pemPublic(t, &ecKey.PublicKey), "issuer": "es"}),
		secretJSON(t, map[string]any{"type": "Ed25519", "key": pemPublic(t, edPub), "issuer": "ed"}),
	}})
	sign := func(method jwt.SigningMethod, key any, iss string) map[string]string {
		c := claims(with(roles("admin", "admin"), "x-hasura-alg", method.Alg()))
		if iss != "" {
			c["iss"] = iss
		}
		return bearer(mint(t, method, key, c, ""))
	}
	_, otherEd, _ := ed25519.GenerateKey(rand.Reader)
	runAuthCases(t, s, []authCase{
		{"ES256", sign(jwt.SigningMethodES256, ecKey, "es"), sessionIs(`{"x-hasura-alg":"ES256","x-hasura-role":"admin"}`)},
		{"Ed25519", sign(jwt.SigningMethodEdDSA, edKey, "ed"), sessionIs(`{"x-hasura-alg":"EdDSA","x-hasura-role":"admin"}`)},
		{"Ed25519 with another key", sign(jwt.SigningMethodEdDSA, otherEd, "ed"),
			authError("invalid-jwt", "Could not verify JWT: JWSError JWSInvalidSignature")},
		{"the issuer picks the configuration", sign(jwt.SigningMethodEdDSA, edKey, "es"),
			authError("invalid-jwt", "Could not verify JWT: JWSError JWSInvalidSignature")},
		{"an unknown issuer", sign(jwt.SigningMethodEdDSA, edKey, "other"),
			authError("invalid-jwt", "Could not verify JWT: JWTNotInIssuer")},
		{"no issuer: both configurations match", sign(jwt.SigningMethodEdDSA, edKey, ""),
			authError("invalid-headers", "Could not verify JWT: Multiple JWTs found")},
	})
}

// jwksServer serves an RSA public key as a JWKS document with a max-age
// and counts the fetches.
type jwksServer struct {
	*httptest.Server
	fetches atomic.Int64
	doc     atomic.Pointer[string]
}

func newJWKSServer(t *testing.T) *jwksServer {
	j := &jwksServer{}
	j.Server = httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, _ *http.Request) {
		j.fetches.Add(1)
		w.Header().Set("Cache-Control", "public, max-age=60")
		w.Header().Set("Content-Type", "application/json")
		_, _ = w.Write([]byte(*j.doc.Load()))
	}))
	t.Cleanup(j.Close)
	return j
}

// serve makes the document hold pub under kid.
func (j *jwksServer) serve(kid string, pub *rsa.PublicKey) {
	b64 := base64.RawURLEncoding.EncodeToString
	doc := `{"keys":[{"kty":"RSA","use":"sig","alg":"RS256","kid":"` + kid + `","n":"` + b64(pub.N.Bytes()) +
		`","e":"` + b64(big.NewInt(int64(pub.E)).Bytes()) + `"}]}`
	j.doc.Store(&doc)
}

func TestJWTJWKSCachedAndRefreshed(t *testing.T) {
	key1, err := rsa.GenerateKey(rand.Reader, 2048)
	if err != nil {
		t.Fatal(err)
	}
	key2, err := rsa.GenerateKey(rand.Reader, 2048)
	if err != nil {
		t.Fatal(err)
	}
	jwks := newJWKSServer(t)
	jwks.serve("k1", &key1.PublicKey)
	var offset atomic.Int64 // how far the test has moved the clock
	now := func() time.Time { return time.Now().Add(time.Duration(offset.Load())) }
	s := authTestServer(t, auth.Config{Now: now, JWTSecrets: []string{`{"jwk_url":"` + jwks.URL + `"}`}})

	admin := sessionIs(`{"x-hasura-role":"admin"}`)
	token1 := bearer(mint(t, jwt.SigningMethodRS256, key1, claims(roles("admin", "admin")), "k1"))
	token2 := bearer(mint(t, jwt.SigningMethodRS256, key2, claims(roles("admin", "admin")), "k2"))
	check := func(name string, headers map[string]string, want string, fetches int64) {
		t.Helper()
		_, body := s.post(t, whoami, headers)
		if got := compact(t, body); got != want {
			t.Errorf("%s: got %s\nwant %s", name, got, want)
		}
		if n := jwks.fetches.Load(); n != fetches {
			t.Errorf("%s: %d fetches, want %d", name, n, fetches)
		}
	}
	check("fetched once at start", token1, admin, 1)
	check("not fetched per request", token1, admin, 1)
	jwks.serve("k2", &key2.PublicKey) // the provider rotates its key
	check("the new key is unknown until the document expires", token2,
		authError("invalid-jwt", "Could not verify JWT: JWSError JWSInvalidSignature"), 1)
	offset.Store(int64(61 * time.Second))
	check("refetched after max-age", token2, admin, 2)
	check("then cached again", token2, admin, 2)
	check("the old key is gone", token1, authError("invalid-jwt", "Could not verify JWT: JWSError JWSInvalidSignature"), 2)
}
