package auth

import (
	"crypto/subtle"
	"log/slog"
	"net/http"
	"strings"

	"github.com/trellis-gql/trellis/engine/gqlerr"
)

// AdminRole is the role with access to everything.
const AdminRole = "admin"

// Session is who a request runs as.
type Session struct {
	Role string
	// Vars are the x-hasura-* session variables, names lower-cased.
	Vars map[string]string
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

// Config configures authentication.
type Config struct {
	// AdminSecret, when set, must be sent as x-hasura-admin-secret (or the
	// older x-hasura-access-key). When empty every request is admin, as in
	// Hasura's development mode.
	AdminSecret string
}

// Authenticator makes Sessions from request headers.
type Authenticator struct {
	cfg Config
}

// New returns an Authenticator.
func New(cfg Config) *Authenticator { return &Authenticator{cfg: cfg} }

// Authenticate returns the session of a request. An admin may act as any
// role with x-hasura-role and pass session variables as headers.
func (a *Authenticator) Authenticate(h http.Header) (Session, error) {
	vars := sessionVars(h)
	if a.cfg.AdminSecret != "" {
		given := h.Get("X-Hasura-Admin-Secret")
		if given == "" {
			given = h.Get("X-Hasura-Access-Key")
		}
		if given == "" {
			return Session{}, gqlerr.New(gqlerr.AccessDenied, "$", "x-hasura-admin-secret/x-hasura-access-key required, but not found")
		}
		if subtle.ConstantTimeCompare([]byte(given), []byte(a.cfg.AdminSecret)) != 1 {
			return Session{}, gqlerr.New(gqlerr.AccessDenied, "$", "invalid x-hasura-admin-secret/x-hasura-access-key")
		}
	}
	role := AdminRole
	if r, ok := vars["x-hasura-role"]; ok && r != "" {
		role = r
	}
	return Session{Role: role, Vars: vars}, nil
}

// sessionVars collects x-hasura-* headers, except the credentials.
func sessionVars(h http.Header) map[string]string {
	vars := map[string]string{}
	for k, vs := range h {
		lk := strings.ToLower(k)
		if !strings.HasPrefix(lk, "x-hasura-") || len(vs) == 0 {
			continue
		}
		if lk == "x-hasura-admin-secret" || lk == "x-hasura-access-key" {
			continue
		}
		vars[lk] = vs[0]
	}
	return vars
}
