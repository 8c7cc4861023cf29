package auth

import (
	"context"
	"encoding/base64"
	"encoding/json"
	"errors"
	"fmt"
	"math"
	"net/http"
	"strings"
	"time"

	"github.com/golang-jwt/jwt/v5"

	"github.com/trellis-gql/trellis/engine/gqlerr"
)

// candidate is a token found where a configuration expects one.
type candidate struct {
	v     *jwtVerifier
	token string
}

// authenticateJWT is Hasura's JWT mode. Each configuration looks for a
// token at its location; a configuration with an issuer only takes tokens
// of that issuer (read before verifying, to choose). No token: the
// unauthorized role, if any. One: verify it. Several: an error.
func (a *Authenticator) authenticateJWT(ctx context.Context, h http.Header, vars map[string]string) (Session, error) {
	var matches []candidate
	mismatched := false
	for _, v := range a.jwts {
		token, found, err := v.location.find(h)
		if err != nil {
			return Session{}, err
		}
		if !found {
			continue
		}
		if iss, ok := unverifiedIssuer(token); v.issuer != "" && ok && iss != v.issuer {
			mismatched = true
			continue
		}
		matches = append(matches, candidate{v, token})
	}
	switch {
	case len(matches) > 1:
		return Session{}, newError(http.StatusBadRequest, gqlerr.InvalidHeaders, "Could not verify JWT: Multiple JWTs found")
	case len(matches) == 1:
		return matches[0].v.authenticate(ctx, matches[0].token, h)
	case mismatched:
		return Session{}, invalidJWT("JWTNotInIssuer")
	case a.unauthRole != "":
		return withRole(a.unauthRole, vars), nil
	}
	return Session{}, newError(http.StatusBadRequest, gqlerr.InvalidHeaders, "Missing 'Authorization' or 'Cookie' header in JWT authentication mode")
}

// find returns the token at this location. An Authorization header that
// is not "Bearer <token>" is an error.
func (l tokenLocation) find(h http.Header) (string, bool, error) {
	switch l.kind {
	case "Cookie":
		for _, line := range h.Values("Cookie") {
			cookies, err := http.ParseCookie(line)
			if err != nil {
				continue
			}
			for _, c := range cookies {
				if c.Name == l.name {
					return c.Value, true, nil
				}
			}
		}
		return "", false, nil
	case "CustomHeader":
		v := h.Get(l.name)
		return v, v != "", nil
	}
	v, ok := h["Authorization"]
	if !ok || len(v) == 0 {
		return "", false, nil
	}
	parts := strings.Fields(v[0])
	if len(parts) != 2 || parts[0] != "Bearer" {
		return "", false, newError(http.StatusBadRequest, gqlerr.InvalidHeaders, "Malformed Authorization header")
	}
	return parts[1], true, nil
}

// unverifiedIssuer reads a token's iss without verifying anything; it only
// chooses among configurations.
func unverifiedIssuer(token string) (string, bool) {
	parts := strings.Split(token, ".")
	if len(parts) != 3 {
		return "", false
	}
	payload, err := base64.RawURLEncoding.DecodeString(parts[1])
	if err != nil {
		return "", false
	}
	var c struct {
		Iss *string `json:"iss"`
	}
	if json.Unmarshal(payload, &c) != nil || c.Iss == nil {
		return "", false
	}
	return *c.Iss, true
}

// authenticate verifies a token and makes its session.
func (v *jwtVerifier) authenticate(ctx context.Context, token string, h http.Header) (Session, error) {
	claims, err := v.verify(ctx, token)
	if err != nil {
		return Session{}, err
	}
	expiry, err := v.checkTimes(claims)
	if err != nil {
		return Session{}, err
	}
	if err := v.checkIssuerAudience(claims); err != nil {
		return Session{}, err
	}
	hasura, cerr := v.claims.hasuraClaims(claims)
	if cerr != nil {
		return Session{}, cerr
	}
	sess, serr := sessionFromClaims(hasura, h)
	if serr != nil {
		return Session{}, serr
	}
	sess.Expiry = expiry
	return sess, nil
}

// verify checks the token's form and signature and returns its claims.
// Messages are those of Hasura's JOSE library.
func (v *jwtVerifier) verify(ctx context.Context, token string) (map[string]any, error) {
	parts := strings.Split(token, ".")
	if len(parts) != 3 {
		return nil, invalidJWT(fmt.Sprintf("JWSError (CompactDecodeError Invalid number of parts: Expected 3 parts; got %d)", len(parts)))
	}
	for _, p := range parts[:2] {
		if _, err := base64.RawURLEncoding.DecodeString(p); err != nil {
			return nil, invalidJWT(`JWSError (JSONDecodeError "Not valid base64url")`)
		}
	}
	keys := v.keys(ctx)
	claims := jwt.MapClaims{}
	parser := jwt.NewParser(jwt.WithoutClaimsValidation(), jwt.WithJSONNumber())
	_, err := parser.ParseWithClaims(token, claims, func(t *jwt.Token) (any, error) {
		alg := t.Method.Alg()
		kid, _ := t.Header["kid"].(string)
		var set jwt.VerificationKeySet
		for _, k := range keys {
			if k.accepts(alg) && (kid == "" || k.kid == "" || k.kid == kid) {
				set.Keys = append(set.Keys, k.key)
			}
		}
		if len(set.Keys) == 0 {
			return nil, errNoKey
		}
		return set, nil
	})
	switch {
	case err == nil:
		return claims, nil
	case errors.Is(err, jwt.ErrTokenMalformed):
		return nil, invalidJWT(`JWSError (JSONDecodeError "` + jsonErrorText(err) + `")`)
	case strings.EqualFold(headerAlg(parts[0]), "none"):
		return nil, invalidJWT("JWSError JWSNoSignatures")
	}
	return nil, invalidJWT("JWSError JWSInvalidSignature")
}

// errNoKey: no configured key can verify the token's algorithm.
var errNoKey = errors.New("no key for the token's algorithm")

func headerAlg(seg string) string {
	raw, _ := base64.RawURLEncoding.DecodeString(seg)
	var h struct {
		Alg string `json:"alg"`
	}
	_ = json.Unmarshal(raw, &h) // a header that does not decode has no alg
	return h.Alg
}

// jsonErrorText is the innermost message of a malformed-token error.
func jsonErrorText(err error) string {
	for {
		next := errors.Unwrap(err)
		if next == nil {
			return strings.ReplaceAll(err.Error(), `"`, `'`)
		}
		err = next
	}
}

// checkTimes applies exp, iat and nbf with the allowed skew, in the order
// Hasura's JOSE library does, and returns the expiry (zero without exp).
func (v *jwtVerifier) checkTimes(claims map[string]any) (time.Time, error) {
	now := v.now()
	exp, hasExp, err := numericDate(claims, "exp")
	if err != nil {
		return time.Time{}, err
	}
	if hasExp && !now.Before(exp.Add(v.skew)) {
		return time.Time{}, invalidJWT("JWTExpired")
	}
	iat, hasIat, err := numericDate(claims, "iat")
	if err != nil {
		return time.Time{}, err
	}
	if hasIat && iat.After(now.Add(v.skew)) {
		return time.Time{}, invalidJWT("JWTIssuedAtFuture")
	}
	nbf, hasNbf, err := numericDate(claims, "nbf")
	if err != nil {
		return time.Time{}, err
	}
	if hasNbf && nbf.After(now.Add(v.skew)) {
		return time.Time{}, invalidJWT("JWTNotYetValid")
	}
	return exp, nil
}

// checkIssuerAudience applies the configured issuer and audience. As in
// Hasura, a token without iss or aud is not refused for it.
func (v *jwtVerifier) checkIssuerAudience(claims map[string]any) error {
	if iss, ok := claims["iss"].(string); ok && v.issuer != "" && iss != v.issuer {
		return invalidJWT("JWTNotInIssuer")
	}
	raw, ok := claims["aud"]
	if !ok || len(v.audience) == 0 {
		return nil
	}
	var auds []any
	switch a := raw.(type) {
	case string:
		auds = []any{a}
	case []any:
		auds = a
	}
	for _, a := range auds {
		for _, want := range v.audience {
			if a == want {
				return nil
			}
		}
	}
	return invalidJWT("JWTNotInAudience")
}

// numericDate reads a NumericDate claim (seconds since the epoch).
func numericDate(claims map[string]any, name string) (time.Time, bool, error) {
	raw, ok := claims[name]
	if !ok || raw == nil {
		return time.Time{}, false, nil
	}
	n, isNum := raw.(json.Number)
	f, err := n.Float64()
	if !isNum || err != nil || math.IsInf(f, 0) || math.IsNaN(f) {
		return time.Time{}, false, invalidJWT(fmt.Sprintf(`JWTClaimsSetDecodeError "%s: expected a NumericDate"`, name))
	}
	sec, frac := math.Modf(f)
	return time.Unix(int64(sec), int64(frac*1e9)), true, nil
}

// invalidJWT is Hasura's "Could not verify JWT: …" error.
func invalidJWT(detail string) *Error {
	return newError(http.StatusBadRequest, gqlerr.InvalidJWT, "Could not verify JWT: "+detail)
}
