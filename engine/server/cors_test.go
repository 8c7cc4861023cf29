package server_test

import (
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"

	"github.com/trellis-gql/trellis/engine/auth"
	"github.com/trellis-gql/trellis/engine/server"
)

// TestCORS checks the headers a browser needs to call the API from another
// origin, and the preflight answer.
func TestCORS(t *testing.T) {
	serve := func(c server.CORS) *httptest.Server {
		srv := server.New(server.Config{Auth: newAuth(t, auth.Config{}), Version: "v-test", CORS: c})
		ts := httptest.NewServer(srv.Handler())
		t.Cleanup(ts.Close)
		return ts
	}
	do := func(ts *httptest.Server, method, origin string) *http.Response {
		req, _ := http.NewRequest(method, ts.URL+"/v1/version", nil)
		req.Header.Set("Origin", origin)
		if method == http.MethodOptions {
			req.Header.Set("Access-Control-Request-Method", "POST")
			req.Header.Set("Access-Control-Request-Headers", "content-type, x-hasura-admin-secret")
		}
		resp, err := http.DefaultClient.Do(req)
		if err != nil {
			t.Fatal(err)
		}
		resp.Body.Close()
		return resp
	}

	any := serve(server.CORS{})
	resp := do(any, http.MethodGet, "https://app.example.org")
	if got := resp.Header.Get("Access-Control-Allow-Origin"); got != "https://app.example.org" {
		t.Errorf("allow-origin = %q", got)
	}
	resp = do(any, http.MethodOptions, "https://app.example.org")
	if resp.StatusCode != http.StatusNoContent ||
		resp.Header.Get("Access-Control-Allow-Headers") != "content-type, x-hasura-admin-secret" ||
		!strings.Contains(resp.Header.Get("Access-Control-Allow-Methods"), "POST") {
		t.Errorf("preflight: %d %v", resp.StatusCode, resp.Header)
	}

	some := serve(server.CORS{Domains: server.ParseCORSDomains("http://localhost:3000, https://*.example.org")})
	for origin, allowed := range map[string]bool{
		"http://localhost:3000": true, "https://app.example.org": true,
		"https://example.org": false, "http://app.example.org": false, "https://evil.org": false,
	} {
		got := do(some, http.MethodGet, origin).Header.Get("Access-Control-Allow-Origin") == origin
		if got != allowed {
			t.Errorf("origin %s allowed = %v, want %v", origin, got, allowed)
		}
	}

	off := serve(server.CORS{Disabled: true})
	if got := do(off, http.MethodGet, "https://app.example.org").Header.Get("Access-Control-Allow-Origin"); got != "" {
		t.Errorf("CORS disabled, yet allow-origin = %q", got)
	}
}
