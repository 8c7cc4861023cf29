package server_test

import (
	"crypto/rand"
	"crypto/rsa"
	"strconv"
	"testing"

	"github.com/golang-jwt/jwt/v5"

	"github.com/trellis-gql/trellis/engine/auth"
)

// The leak matrix (issue 6, "nothing leaks") runs the tutoring example's
// roles through /v1/graphql with real credentials: JWTs signed with HS256
// (issuer "hs") and with RS256 keys served as a JWKS (issuer "rs"), the
// admin secret, and no credentials at all for the unauthorized role.

// identity is someone the matrix sends requests as. userID is a users.id
// (X-Hasura-User-Id); studentID and tutorID are their students.id or
// tutors.id.
type identity struct {
	name      string
	role      string
	userID    int
	studentID int
	tutorID   int
}

// The identities, chosen from the seed: student 1 (user 1) has matches 1
// and 1101 with verified tutors 1 and 21 and is enrolled in courses 69 and
// 116; student 53 (user 69) has matches 69 and 1169, the first with the
// unverified tutor 45, and is enrolled in courses 37 and 84. Tutor 1 (user
// 12, verified) has six matches (students 1, 21, 41, 61, 81, 101) and
// teaches course 1; tutor 18 (user 89, unverified) has five matches
// (students 602 … 682) and teaches course 2.
var (
	studentA  = identity{name: "student A", role: "student", userID: 1, studentID: 1}
	studentB  = identity{name: "student B", role: "student", userID: 69, studentID: 53}
	tutorA    = identity{name: "tutor A", role: "tutor", userID: 12, tutorID: 1}
	tutorB    = identity{name: "tutor B", role: "tutor", userID: 89, tutorID: 18}
	anonymous = identity{name: "anonymous", role: "anonymous"}
	admin     = identity{name: "admin", role: "admin"}

	everyone = []identity{studentA, studentB, tutorA, tutorB, anonymous, admin}
)

// credential is how a request proves who it is.
type credential string

const (
	viaHS256       credential = "HS256"
	viaJWKS        credential = "RS256 (JWKS)"
	viaAdminSecret credential = "admin secret"
	viaNothing     credential = "no credentials"
)

// leakServer is the example served with the auth configuration of the
// matrix, and the keys to mint its tokens.
type leakServer struct {
	*testServer
	rsKey *rsa.PrivateKey
}

func newLeakServer(t *testing.T) *leakServer {
	t.Helper()
	rsKey, err := rsa.GenerateKey(rand.Reader, 2048)
	if err != nil {
		t.Fatal(err)
	}
	jwks := newJWKSServer(t)
	jwks.serve("rs-1", &rsKey.PublicKey)
	s := newTestServer(t, serverOptions{
		adminSecret: authSecret,
		auth: auth.Config{
			UnauthorizedRole: "anonymous",
			JWTSecrets: []string{
				`{"type":"HS256","key":"` + hsKey + `","issuer":"hs"}`,
				`{"jwk_url":"` + jwks.URL + `","issuer":"rs"}`,
			},
		},
	})
	return &leakServer{testServer: s, rsKey: rsKey}
}

// credentials are the ways id can authenticate: a role with a JWT (both
// kinds), admin with the admin secret or an admin JWT, anonymous with
// nothing.
func credentials(id identity) []credential {
	switch id.role {
	case "anonymous":
		return []credential{viaNothing}
	case "admin":
		return []credential{viaAdminSecret, viaHS256, viaJWKS}
	}
	return []credential{viaHS256, viaJWKS}
}

// hasuraClaims are id's Hasura claims: its role as the only allowed one,
// and its ids as session variables.
func hasuraClaims(id identity) map[string]any {
	c := roles(id.role, id.role)
	if id.userID != 0 {
		c["x-hasura-user-id"] = strconv.Itoa(id.userID)
	}
	if id.tutorID != 0 {
		c["x-hasura-tutor-id"] = strconv.Itoa(id.tutorID)
	}
	return c
}

// headers authenticates id by cred.
func (s *leakServer) headers(t *testing.T, id identity, cred credential) map[string]string {
	t.Helper()
	c := claims(hasuraClaims(id))
	switch cred {
	case viaHS256:
		c["iss"] = "hs"
		return bearer(mint(t, jwt.SigningMethodHS256, []byte(hsKey), c, ""))
	case viaJWKS:
		c["iss"] = "rs"
		return bearer(mint(t, jwt.SigningMethodRS256, s.rsKey, c, "rs-1"))
	case viaAdminSecret:
		return map[string]string{"X-Hasura-Admin-Secret": authSecret}
	}
	return map[string]string{}
}

// as posts query (and variables) as id authenticated by cred and returns
// the compacted response.
func (s *leakServer) as(t *testing.T, id identity, cred credential, query string, vars map[string]any) string {
	t.Helper()
	status, got := s.post(t, queryBody(t, query, vars), s.headers(t, id, cred))
	if status != 200 {
		t.Fatalf("%s via %s: status %d: %s", id.name, cred, status, got)
	}
	return compact(t, got)
}

// admin answers query as admin (admin secret).
func (s *leakServer) admin(t *testing.T, query string) string {
	t.Helper()
	return s.as(t, admin, viaAdminSecret, query, nil)
}
