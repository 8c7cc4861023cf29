package auth

import (
	"bytes"
	"encoding/json"
	"fmt"
	"net/http"
	"sort"
	"strings"

	"github.com/trellis-gql/trellis/engine/gqlerr"
)

// The claims that carry a token's roles.
const (
	allowedRolesClaim = "x-hasura-allowed-roles"
	defaultRoleClaim  = "x-hasura-default-role"
)

// registeredClaims are the JWT claims of RFC 7519, which a claims
// namespace never names (Hasura looks among the others).
var registeredClaims = map[string]bool{"iss": true, "sub": true, "aud": true, "exp": true, "nbf": true, "iat": true, "jti": true}

// claimsMap is a parsed claims_map: for each session variable, a JSON
// path into the token (with an optional default) or a fixed value.
type claimsMap struct {
	allowedRoles claimSource
	defaultRole  claimSource
	others       map[string]claimSource // by lower-cased variable name
}

// claimSource is one claims_map entry.
type claimSource struct {
	path jsonPath // nil for a fixed value
	// value is the fixed value, or the default when path finds nothing
	// (nil: no default).
	value any
}

func parseClaimsMap(raw json.RawMessage) (*claimsMap, error) {
	var entries map[string]json.RawMessage
	if err := json.Unmarshal(raw, &entries); err != nil {
		return nil, fmt.Errorf("claims_map must be an object: %w", err)
	}
	m := &claimsMap{others: map[string]claimSource{}}
	for name, v := range entries {
		src, err := parseClaimSource(v)
		if err != nil {
			return nil, fmt.Errorf("claims_map.%s: %w", name, err)
		}
		switch lname := strings.ToLower(name); lname {
		case allowedRolesClaim:
			m.allowedRoles = src
		case defaultRoleClaim:
			m.defaultRole = src
		default:
			m.others[lname] = src
		}
	}
	for _, required := range []string{allowedRolesClaim, defaultRoleClaim} {
		if _, ok := lowerKeys(entries)[required]; !ok {
			return nil, fmt.Errorf("%s is expected but not found", required)
		}
	}
	return m, nil
}

func lowerKeys(m map[string]json.RawMessage) map[string]bool {
	out := make(map[string]bool, len(m))
	for k := range m {
		out[strings.ToLower(k)] = true
	}
	return out
}

// parseClaimSource reads {"path": "$.x", "default": …} or a fixed value.
func parseClaimSource(raw json.RawMessage) (claimSource, error) {
	var obj struct {
		Path    *string `json:"path"`
		Default any     `json:"default"`
	}
	if bytes.HasPrefix(bytes.TrimSpace(raw), []byte("{")) {
		if err := json.Unmarshal(raw, &obj); err != nil {
			return claimSource{}, err
		}
		if obj.Path == nil {
			return claimSource{}, fmt.Errorf(`key "path" not found`)
		}
		p, err := parseJSONPath(*obj.Path)
		if err != nil {
			return claimSource{}, err
		}
		return claimSource{path: p, value: obj.Default}, nil
	}
	var fixed any
	if err := json.Unmarshal(raw, &fixed); err != nil {
		return claimSource{}, err
	}
	return claimSource{value: fixed}, nil
}

// hasuraClaims finds the token's Hasura claims: the x-hasura-* entries of
// the claims namespace (lower-cased), or what claims_map builds.
func (c claimsSpec) hasuraClaims(token map[string]any) (map[string]any, *Error) {
	if c.mapping != nil {
		return c.mapping.build(token)
	}
	unregistered := make(map[string]any, len(token))
	for k, v := range token {
		if !registeredClaims[k] {
			unregistered[k] = v
		}
	}
	var found any
	var ok bool
	if c.nsPath != nil {
		found, ok = c.nsPath.lookup(unregistered)
		if !ok {
			return nil, claimsError("claims not found at claims_namespace_path: '%s'", c.nsPath)
		}
	} else if found, ok = unregistered[c.namespace]; !ok {
		return nil, claimsError("claims key: '%s' not found", c.namespace)
	}
	obj, err := c.decodeNamespace(found)
	if err != nil {
		return nil, err
	}
	out := map[string]any{}
	for k, v := range obj {
		if lk := strings.ToLower(k); strings.HasPrefix(lk, varPrefix) {
			out[lk] = v
		}
	}
	return out, nil
}

// decodeNamespace returns the namespace's object, decoding it from a
// string when claims_format is stringified_json.
func (c claimsSpec) decodeNamespace(v any) (map[string]any, *Error) {
	if !c.stringified {
		obj, ok := v.(map[string]any)
		if !ok {
			return nil, claimsError("expecting a json object when claims_format is json")
		}
		return obj, nil
	}
	s, ok := v.(string)
	if !ok {
		return nil, claimsError("expecting a string when claims_format is stringified_json")
	}
	var obj map[string]any
	dec := json.NewDecoder(strings.NewReader(s))
	dec.UseNumber()
	if err := dec.Decode(&obj); err != nil || obj == nil {
		where := "claims_namespace " + c.namespace
		if c.nsPath != nil {
			where = "claims_namespace_path " + c.nsPath.String()
		}
		return nil, claimsError("expecting stringified json at: '%s', but found: %s", where, s)
	}
	return obj, nil
}

// build applies a claims_map to a token's claims.
func (m *claimsMap) build(token map[string]any) (map[string]any, *Error) {
	out := map[string]any{}
	for _, role := range []struct {
		name string
		src  claimSource
		hint string
	}{
		{allowedRolesClaim, m.allowedRoles, "should be a list of roles"},
		{defaultRoleClaim, m.defaultRole, "should be a role"},
	} {
		v, ok := role.src.resolve(token)
		if !ok {
			return nil, missingRoleClaim(role.name)
		}
		if err := checkRoleClaim(role.name, v, role.hint); err != nil {
			return nil, err
		}
		out[role.name] = v
	}
	names := make([]string, 0, len(m.others))
	for name := range m.others {
		names = append(names, name)
	}
	sort.Strings(names) // the first error reported does not depend on map order
	for _, name := range names {
		v, ok := m.others[name].resolve(token)
		if !ok {
			return nil, claimsError("JWT claim from claims_map, %s not found", name)
		}
		out[name] = v
	}
	return out, nil
}

// resolve finds an entry's value: at its path, else its default, else
// its fixed value.
func (s claimSource) resolve(token map[string]any) (any, bool) {
	if s.path != nil {
		if v, ok := s.path.lookup(token); ok {
			return v, true
		}
	}
	return s.value, s.value != nil
}

// sessionFromClaims checks the roles of a token's Hasura claims, picks the
// role (x-hasura-role when the claims allow it, else the default role) and
// turns the other claims into session variables, which must be strings.
func sessionFromClaims(claims map[string]any, h http.Header) (Session, *Error) {
	for _, role := range []struct{ name, hint string }{
		{allowedRolesClaim, "should be a list of roles"},
		{defaultRoleClaim, "should be a single role name"},
	} {
		v, ok := claims[role.name]
		if !ok {
			return Session{}, missingRoleClaim(role.name)
		}
		if err := checkRoleClaim(role.name, v, role.hint); err != nil {
			return Session{}, err
		}
	}
	role := h.Get("X-Hasura-Role")
	if role == "" {
		role = claims[defaultRoleClaim].(string) // checked above
	}
	allowed := false
	for _, r := range claims[allowedRolesClaim].([]any) { // checked above
		allowed = allowed || r == role
	}
	if !allowed {
		return Session{}, newError(http.StatusBadRequest, gqlerr.AccessDenied, "Your requested role is not in allowed roles")
	}
	names := make([]string, 0, len(claims))
	for name := range claims {
		names = append(names, name)
	}
	sort.Strings(names)
	vars := map[string]string{}
	for _, name := range names {
		if name == allowedRolesClaim || name == defaultRoleClaim {
			continue
		}
		s, ok := claims[name].(string)
		if !ok {
			return Session{}, claimsError("x-hasura-* claims: parsing Text failed, expected String, but encountered %s", jsonKind(claims[name]))
		}
		vars[name] = s
	}
	return withRole(role, vars), nil
}

// checkRoleClaim checks that allowed roles are a list of role names and
// the default role is one.
func checkRoleClaim(name string, v any, hint string) *Error {
	fail := func(detail string) *Error {
		return claimsError("invalid %s; %s: %s", name, hint, detail)
	}
	if name == defaultRoleClaim {
		return checkRoleName(v, fail)
	}
	list, ok := v.([]any)
	if !ok {
		return fail("parsing [] failed, expected Array, but encountered " + jsonKind(v))
	}
	for _, r := range list {
		if err := checkRoleName(r, fail); err != nil {
			return err
		}
	}
	return nil
}

func checkRoleName(v any, fail func(string) *Error) *Error {
	s, ok := v.(string)
	switch {
	case !ok:
		return fail("parsing Text failed, expected String, but encountered " + jsonKind(v))
	case s == "":
		return fail("empty string not allowed")
	}
	return nil
}

func claimsError(format string, args ...any) *Error {
	return newErrorf(http.StatusBadRequest, gqlerr.JWTInvalidClaims, format, args...)
}

func missingRoleClaim(name string) *Error {
	return newError(http.StatusBadRequest, gqlerr.JWTMissingRoleClaims, "JWT claim does not contain "+name)
}

// jsonKind names the JSON kind of a decoded value as Hasura's messages do.
func jsonKind(v any) string {
	switch v.(type) {
	case map[string]any:
		return "Object"
	case []any:
		return "Array"
	case string:
		return "String"
	case bool:
		return "Boolean"
	case nil:
		return "Null"
	}
	return "Number"
}
