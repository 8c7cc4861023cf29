package auth

import (
	"context"
	"crypto/subtle"
	"encoding/json"
	"errors"
	"fmt"
	"log/slog"
	"net/http"
	"strings"
	"time"

	"github.com/trellis-gql/trellis/engine/gqlerr"
)

// AdminRole is the role with access to everything.
const AdminRole = "admin"

// Header and session variable names Hasura gives a meaning to.
const (
	roleVar        = "x-hasura-role"
	adminSecretVar = "x-hasura-admin-secret"
	accessKeyVar   = "x-hasura-access-key" // the admin secret's older name
	varPrefix      = "x-hasura-"
)

// Session is who a request runs as.
type Session struct {
	Role string
	// Vars are the x-hasura-* session variables, names lower-cased, with
	// x-hasura-role set to Role (as Hasura's session always has it).
	Vars map[string]string
	// Expiry is when the credentials stop being valid: a JWT's exp, or the
	// Cache-Control/Expires an auth webhook answered with. It is zero when
	// they do not expire (admin secret, unauthorized role, a JWT without
	// exp). A WebSocket connection is closed at this time.
	Expiry time.Time
	// BackendOnly says that the request may use the role's backend_only
	// permissions (Hasura's backend scenario): it set
	// x-hasura-use-backend-only-permissions to true and carried the admin
	// secret, or no admin secret is configured.
	BackendOnly bool
}

// IsAdmin reports whether the session has the admin role.
func (s Session) IsAdmin() bool { return s.Role == AdminRole }

// LogValue redacts session variable values in logs.
func (s Session) LogValue() slog.Value {
	names := make([]string, 0, len(s.Vars))
	for k := range s.Vars {
		names = append(names, k)
	}
	return slog.GroupValue(slog.String("role", s.Role), slog.Any("vars", names))
}

// Config configures authentication, with Hasura's semantics: JWT, auth
// webhook and unauthorized role all need an admin secret, and an admin
// secret sent with a request always wins.
type Config struct {
	// AdminSecret, when set, must be sent as x-hasura-admin-secret (or the
	// older x-hasura-access-key) unless another mode authenticates the
	// request. When empty every request is admin, as in Hasura's
	// development mode.
	AdminSecret string
	// JWTSecrets are HASURA_GRAPHQL_JWT_SECRET configurations (JSON), one
	// per accepted issuer or token location.
	JWTSecrets []string
	// AuthHook is the URL of an authentication webhook
	// (HASURA_GRAPHQL_AUTH_HOOK); AuthHookMode is GET (the default) or POST.
	AuthHook     string
	AuthHookMode string
	// UnauthorizedRole is the role of requests without credentials
	// (HASURA_GRAPHQL_UNAUTHORIZED_ROLE).
	UnauthorizedRole string
	// HTTPClient fetches JWKS documents and calls the webhook; nil uses a
	// client with a 30 second timeout.
	HTTPClient *http.Client
	// Logger receives JWKS refresh and webhook failures; nil discards.
	Logger *slog.Logger
	// Now is the clock; nil is time.Now. Tests move it forward.
	Now func() time.Time
}

// Authenticator makes Sessions from requests. It is safe for concurrent use.
type Authenticator struct {
	adminSecret string
	unauthRole  string
	jwts        []*jwtVerifier
	hook        *webhook
	now         func() time.Time
}

// Request is what authentication looks at.
type Request struct {
	Header http.Header
	// Body is the GraphQL request (one or a batch), sent to a POST-mode
	// webhook as "request"; nil for the metadata APIs.
	Body json.RawMessage
}

// New checks cfg and returns an Authenticator. A JWT configuration with a
// jwk_url fetches its keys now, so that a wrong URL fails at start, as in
// Hasura; ctx bounds that fetch only.
func New(ctx context.Context, cfg Config) (*Authenticator, error) {
	a := &Authenticator{adminSecret: cfg.AdminSecret, unauthRole: cfg.UnauthorizedRole, now: cfg.Now}
	if a.now == nil {
		a.now = time.Now
	}
	if err := checkModes(cfg); err != nil {
		return nil, err
	}
	client := cfg.HTTPClient
	if client == nil {
		client = &http.Client{Timeout: 30 * time.Second}
	}
	log := cfg.Logger
	if log == nil {
		log = slog.New(slog.DiscardHandler)
	}
	log = log.With("component", "auth")
	for i, raw := range cfg.JWTSecrets {
		v, err := newJWTVerifier(ctx, raw, jwksDeps{client: client, log: log, now: a.now})
		if err != nil {
			if len(cfg.JWTSecrets) > 1 {
				return nil, fmt.Errorf("JWT secret %d: %w", i+1, err)
			}
			return nil, err
		}
		a.jwts = append(a.jwts, v)
	}
	if cfg.AuthHook != "" {
		h, err := newWebhook(cfg.AuthHook, cfg.AuthHookMode, client, log, a.now)
		if err != nil {
			return nil, err
		}
		a.hook = h
	}
	return a, nil
}

// checkModes refuses the combinations Hasura refuses at start.
func checkModes(cfg Config) error {
	const needsSecret = " requires --admin-secret (HASURA_GRAPHQL_ADMIN_SECRET) to be set"
	switch {
	case cfg.AuthHook != "" && len(cfg.JWTSecrets) > 0:
		return errors.New("both webhook and JWT mode cannot be enabled at the same time")
	case cfg.UnauthorizedRole != "" && (cfg.AdminSecret == "" || cfg.AuthHook != ""):
		return errors.New("--unauthorized-role (HASURA_GRAPHQL_UNAUTHORIZED_ROLE)" + needsSecret + " and is not allowed when --auth-hook (HASURA_GRAPHQL_AUTH_HOOK) is set")
	case cfg.AuthHook != "" && cfg.AdminSecret == "":
		return errors.New("--auth-hook (HASURA_GRAPHQL_AUTH_HOOK)" + needsSecret)
	case len(cfg.JWTSecrets) > 0 && cfg.AdminSecret == "":
		return errors.New("--jwt-secret (HASURA_GRAPHQL_JWT_SECRET)" + needsSecret)
	}
	return nil
}

// JWTSet reports whether JWT mode is on.
func (a *Authenticator) JWTSet() bool { return len(a.jwts) > 0 }

// AuthHookSet reports whether webhook mode is on.
func (a *Authenticator) AuthHookSet() bool { return a.hook != nil }

// JWTInfo describes each JWT configuration's claims location as
// /v1alpha1/config reports it (never the key).
func (a *Authenticator) JWTInfo() []map[string]any {
	out := make([]map[string]any, 0, len(a.jwts))
	for _, v := range a.jwts {
		out = append(out, v.info())
	}
	return out
}

// Authenticate returns the session of a request. An admin secret, when
// sent, decides alone; otherwise the webhook, the JWT or the unauthorized
// role does, in Hasura's order. Errors are *Error values.
func (a *Authenticator) Authenticate(ctx context.Context, req Request) (Session, error) {
	vars := headerVars(req.Header)
	if a.adminSecret == "" {
		return trusted(withRole(roleOr(vars, AdminRole), vars))
	}
	given, sent := vars[adminSecretVar]
	if !sent {
		given, sent = vars[accessKeyVar]
	}
	if sent {
		if subtle.ConstantTimeCompare([]byte(given), []byte(a.adminSecret)) != 1 {
			return Session{}, newError(http.StatusUnauthorized, gqlerr.AccessDenied, "invalid x-hasura-admin-secret/x-hasura-access-key")
		}
		return trusted(withRole(roleOr(vars, AdminRole), vars))
	}
	switch {
	case a.hook != nil:
		return a.hook.authenticate(ctx, req)
	case len(a.jwts) > 0:
		return a.authenticateJWT(ctx, req.Header, vars)
	case a.unauthRole != "":
		return withRole(a.unauthRole, vars), nil
	}
	return Session{}, newError(http.StatusUnauthorized, gqlerr.AccessDenied, "x-hasura-admin-secret/x-hasura-access-key required, but not found")
}

// headerVars collects the x-hasura-* headers, names lower-cased; the first
// value of a repeated header counts.
func headerVars(h http.Header) map[string]string {
	vars := map[string]string{}
	for k, vs := range h {
		lk := strings.ToLower(k)
		if strings.HasPrefix(lk, varPrefix) && len(vs) > 0 {
			if _, dup := vars[lk]; !dup {
				vars[lk] = vs[0]
			}
		}
	}
	return vars
}

// roleOr is the non-empty x-hasura-role variable, else fallback.
func roleOr(vars map[string]string, fallback string) string {
	if r := vars[roleVar]; r != "" {
		return r
	}
	return fallback
}

// withRole makes the session of role: the credentials are dropped from the
// variables and x-hasura-role is set, as Hasura's mkUserInfo does.
func withRole(role string, vars map[string]string) Session {
	delete(vars, adminSecretVar)
	delete(vars, accessKeyVar)
	vars[roleVar] = role
	return Session{Role: role, Vars: vars}
}
