package auth

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"strings"
	"time"
)

// defaultClaimsNamespace is where Hasura looks for its claims by default.
const defaultClaimsNamespace = "https://hasura.io/jwt/claims"

// jwtSecret is the JSON of HASURA_GRAPHQL_JWT_SECRET.
type jwtSecret struct {
	Type                string          `json:"type"`
	Key                 *string         `json:"key"`
	JWKURL              *string         `json:"jwk_url"`
	ClaimsNamespace     *string         `json:"claims_namespace"`
	ClaimsNamespacePath *string         `json:"claims_namespace_path"`
	ClaimsFormat        *string         `json:"claims_format"`
	ClaimsMap           json.RawMessage `json:"claims_map"`
	Audience            json.RawMessage `json:"audience"`
	Issuer              *string         `json:"issuer"`
	AllowedSkew         *float64        `json:"allowed_skew"`
	Header              *struct {
		Type string `json:"type"`
		Name string `json:"name"`
	} `json:"header"`
}

// tokenLocation is where a request carries its JWT.
type tokenLocation struct {
	kind string // "Authorization", "Cookie" or "CustomHeader"
	name string // the cookie's or header's name
}

// jwtVerifier is one parsed JWT configuration.
type jwtVerifier struct {
	static   []verifyKey // from "key"
	remote   *jwks       // from "jwk_url"
	audience []string
	issuer   string // "" when not checked
	skew     time.Duration
	location tokenLocation
	claims   claimsSpec
	now      func() time.Time
}

// claimsSpec says where the Hasura claims are in a token.
type claimsSpec struct {
	// namespace is a top-level claim name; nsPath, when set, a JSON path
	// into the claims instead.
	namespace string
	nsPath    jsonPath
	// stringified: the claims are a JSON object encoded as a string.
	stringified bool
	// mapping, when set, replaces namespace: each session variable comes
	// from its own place in the token (claims_map).
	mapping *claimsMap
	// rawMapping is claims_map as configured, for /v1alpha1/config.
	rawMapping json.RawMessage
}

// newJWTVerifier parses a HASURA_GRAPHQL_JWT_SECRET value. Messages follow
// Hasura's where it has one.
func newJWTVerifier(ctx context.Context, raw string, deps jwksDeps) (*jwtVerifier, error) {
	var s jwtSecret
	dec := json.NewDecoder(strings.NewReader(raw))
	if err := dec.Decode(&s); err != nil {
		return nil, fmt.Errorf("the JWT secret is not a valid JSON object: %w", err)
	}
	v := &jwtVerifier{now: deps.now, location: tokenLocation{kind: "Authorization"}}
	if err := v.setKey(ctx, s, deps); err != nil {
		return nil, err
	}
	if err := v.setClaims(s); err != nil {
		return nil, err
	}
	if len(s.Audience) > 0 && string(s.Audience) != "null" {
		aud, ok := stringOrList(s.Audience)
		if !ok {
			return nil, errors.New("audience must be a string or a list of strings")
		}
		v.audience = aud
	}
	if s.Issuer != nil {
		v.issuer = *s.Issuer
	}
	if s.AllowedSkew != nil {
		v.skew = time.Duration(*s.AllowedSkew * float64(time.Second))
	}
	if s.Header != nil {
		switch strings.ToLower(s.Header.Type) {
		case "authorization":
		case "cookie", "customheader":
			if s.Header.Name == "" {
				return nil, fmt.Errorf("header: key \"name\" not found")
			}
			kind := map[string]string{"cookie": "Cookie", "customheader": "CustomHeader"}[strings.ToLower(s.Header.Type)]
			v.location = tokenLocation{kind: kind, name: s.Header.Name}
		default:
			return nil, errors.New("expected 'type' is 'Authorization' or 'Cookie' or 'CustomHeader'")
		}
	}
	return v, nil
}

func (v *jwtVerifier) setKey(ctx context.Context, s jwtSecret, deps jwksDeps) error {
	switch {
	case s.Key == nil && s.JWKURL == nil:
		return errors.New("key and jwk_url both cannot be empty")
	case s.Key != nil && s.JWKURL != nil:
		return errors.New("key, jwk_url both cannot be present")
	case s.Key != nil:
		k, err := parseStaticKey(s.Type, *s.Key)
		if err != nil {
			return err
		}
		v.static = []verifyKey{k}
		return nil
	}
	remote, err := newJWKS(ctx, *s.JWKURL, deps)
	if err != nil {
		return err
	}
	v.remote = remote
	return nil
}

func (v *jwtVerifier) setClaims(s jwtSecret) error {
	c := claimsSpec{namespace: defaultClaimsNamespace}
	switch {
	case s.ClaimsNamespace != nil && s.ClaimsNamespacePath != nil:
		return errors.New("claims_namespace and claims_namespace_path both cannot be set")
	case s.ClaimsNamespace != nil:
		c.namespace = *s.ClaimsNamespace
	case s.ClaimsNamespacePath != nil:
		p, err := parseJSONPath(*s.ClaimsNamespacePath)
		if err != nil {
			return fmt.Errorf("invalid JSON path claims_namespace_path error: %w", err)
		}
		c.nsPath = p
	}
	if s.ClaimsFormat != nil {
		switch *s.ClaimsFormat {
		case "json":
		case "stringified_json":
			c.stringified = true
		default:
			return fmt.Errorf("claims_format must be json or stringified_json, not %q", *s.ClaimsFormat)
		}
	}
	if len(s.ClaimsMap) > 0 && string(s.ClaimsMap) != "null" {
		m, err := parseClaimsMap(s.ClaimsMap)
		if err != nil {
			return err
		}
		c.mapping, c.rawMapping = m, s.ClaimsMap
	}
	v.claims = c
	return nil
}

// info is the configuration as /v1alpha1/config reports it: where the
// claims are, never the key.
func (v *jwtVerifier) info() map[string]any {
	c := v.claims
	format := "json"
	if c.stringified {
		format = "stringified_json"
	}
	out := map[string]any{"claims_format": format}
	switch {
	case c.mapping != nil:
		out["claims_map"] = c.rawMapping
	case c.nsPath != nil:
		out["claims_namespace_path"] = c.nsPath.String()
	default:
		out["claims_namespace"] = c.namespace
	}
	return out
}

// keys returns the keys tokens may be signed with now.
func (v *jwtVerifier) keys(ctx context.Context) []verifyKey {
	if v.remote != nil {
		return v.remote.keys(ctx)
	}
	return v.static
}

// stringOrList reads "a" or ["a","b"].
func stringOrList(raw json.RawMessage) ([]string, bool) {
	raw = bytes.TrimSpace(raw)
	var one string
	if json.Unmarshal(raw, &one) == nil {
		return []string{one}, true
	}
	var many []string
	if json.Unmarshal(raw, &many) == nil {
		return many, true
	}
	return nil, false
}
