package server_test

import (
	"encoding/json"
	"io"
	"net/http"
	"net/http/httptest"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/trellis-gql/trellis/engine/auth"
)

// hookServer is an auth webhook: the Authorization header names the
// answer. It records the calls it gets.
type hookServer struct {
	*httptest.Server
	mu    sync.Mutex
	calls []hookCall
}

type hookCall struct {
	method string
	header http.Header
	body   string
}

func newHookServer(t *testing.T) *hookServer {
	h := &hookServer{}
	h.Server = httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		body, _ := io.ReadAll(r.Body)
		h.mu.Lock()
		h.calls = append(h.calls, hookCall{r.Method, r.Header.Clone(), string(body)})
		h.mu.Unlock()
		authz := r.Header.Get("Authorization")
		if r.Method == http.MethodPost {
			var p struct {
				Headers map[string]string `json:"headers"`
			}
			_ = json.Unmarshal(body, &p) // a bad body falls to the 401 below
			authz = p.Headers["Authorization"]
		}
		answer, ok := map[string]string{
			"cached":   `{"X-Hasura-Role":"admin","X-Hasura-User-Id":"7","Cache-Control":"max-age=60"}`,
			"uncached": `{"X-Hasura-Role":"admin","X-Hasura-User-Id":"8"}`,
			"user":     `{"x-hasura-role":"user"}`,
			"no-role":  `{"X-Hasura-User-Id":"9"}`,
			"broken":   ``,
		}[authz]
		switch {
		case !ok:
			w.WriteHeader(http.StatusUnauthorized)
		case authz == "broken":
			w.WriteHeader(http.StatusInternalServerError)
		default:
			_, _ = w.Write([]byte(answer))
		}
	}))
	t.Cleanup(h.Close)
	return h
}

func (h *hookServer) count() int {
	h.mu.Lock()
	defer h.mu.Unlock()
	return len(h.calls)
}

func (h *hookServer) last() hookCall {
	h.mu.Lock()
	defer h.mu.Unlock()
	return h.calls[len(h.calls)-1]
}

func TestAuthWebhook(t *testing.T) {
	for _, mode := range []string{"GET", "POST"} {
		t.Run(mode, func(t *testing.T) {
			hook := newHookServer(t)
			var offset atomic.Int64
			now := func() time.Time { return time.Now().Add(time.Duration(offset.Load())) }
			s := authTestServer(t, auth.Config{AuthHook: hook.URL, AuthHookMode: mode, Now: now})
			as := func(token string) map[string]string { return map[string]string{"Authorization": token} }
			check := func(name, token, want string, calls int) {
				t.Helper()
				status, body := s.post(t, whoami, as(token))
				if got := compact(t, body); status != 200 || got != want {
					t.Errorf("%s: %d %s\nwant %s", name, status, got, want)
				}
				if n := hook.count(); n != calls {
					t.Errorf("%s: %d webhook calls, want %d", name, n, calls)
				}
			}
			check("the webhook's variables", "cached", sessionIs(`{"x-hasura-role":"admin","x-hasura-user-id":"7"}`), 1)
			check("cached for its max-age", "cached", sessionIs(`{"x-hasura-role":"admin","x-hasura-user-id":"7"}`), 1)
			check("not cached without Cache-Control", "uncached", sessionIs(`{"x-hasura-role":"admin","x-hasura-user-id":"8"}`), 2)
			check("asked again", "uncached", sessionIs(`{"x-hasura-role":"admin","x-hasura-user-id":"8"}`), 3)
			offset.Store(int64(61 * time.Second))
			check("asked again once expired", "cached", sessionIs(`{"x-hasura-role":"admin","x-hasura-user-id":"7"}`), 4)
			check("a non-admin role", "user", notAdmin, 5)
			check("401", "nobody", authError("access-denied", "Authentication hook unauthorized this request"), 6)
			check("no role", "no-role", authError("invalid-params", "x-hasura-role not found in session variables"), 7)
			check("a failing webhook", "broken", authError("unexpected", "Invalid response from authorization hook"), 8)

			call := hook.last()
			if call.method != mode {
				t.Errorf("method %s", call.method)
			}
			if mode == "GET" && (call.header.Get("Content-Type") != "" || call.header.Get("Authorization") != "broken") {
				t.Errorf("GET headers: %v", call.header)
			}
			if mode == "POST" {
				var p struct {
					Headers map[string]string `json:"headers"`
					Request json.RawMessage   `json:"request"`
				}
				if err := json.Unmarshal([]byte(call.body), &p); err != nil || p.Headers["Content-Type"] != "application/json" || compact(t, string(p.Request)) != whoami {
					t.Errorf("POST body: %s", call.body)
				}
			}

			status, body := s.send(t, http.MethodPost, "/v2/query", `{"type":"run_sql","args":{"sql":"SELECT 1"}}`, as("nobody"))
			if want := `{"code":"access-denied","error":"Authentication hook unauthorized this request","path":"$"}`; status != 401 || compact(t, body) != want {
				t.Errorf("metadata API: %d %s", status, body)
			}
		})
	}
}

func TestUnauthorizedRole(t *testing.T) {
	t.Run("admin secret", func(t *testing.T) {
		s := authTestServer(t, auth.Config{UnauthorizedRole: "anonymous"})
		runAuthCases(t, s, []authCase{
			{"no credentials: the unauthorized role", nil, notAdmin},
			{"the admin secret still works", map[string]string{"X-Hasura-Admin-Secret": authSecret}, sessionIs(`{"x-hasura-role":"admin"}`)},
		})
	})
	t.Run("JWT", func(t *testing.T) {
		s := authTestServer(t, auth.Config{UnauthorizedRole: "anonymous", JWTSecrets: []string{`{"type":"HS256","key":"` + hsKey + `"}`}})
		runAuthCases(t, s, []authCase{
			{"no token: the unauthorized role", nil, notAdmin},
			{"a bad token is an error, not the unauthorized role", bearer("abc"),
				authError("invalid-jwt", "Could not verify JWT: JWSError (CompactDecodeError Invalid number of parts: Expected 3 parts; got 1)")},
		})
	})
	t.Run("neither", func(t *testing.T) {
		s := authTestServer(t, auth.Config{})
		runAuthCases(t, s, []authCase{
			{"no credentials", nil, authError("access-denied", "x-hasura-admin-secret/x-hasura-access-key required, but not found")},
		})
	})
}
