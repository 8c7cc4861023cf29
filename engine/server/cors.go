package server

import (
	"net/http"
	"net/url"
	"strings"
)

// CORS says which browser origins may call the API (Hasura's
// HASURA_GRAPHQL_CORS_DOMAIN): "*" for any, or a list of origins such as
// "https://app.example.org, http://localhost:3000"; a "*." prefix allows
// every subdomain ("https://*.example.org").
type CORS struct {
	Disabled bool
	Domains  []string // nil or {"*"}: every origin
}

// ParseCORSDomains splits Hasura's comma-separated CORS domain setting.
func ParseCORSDomains(s string) []string {
	var out []string
	for _, d := range strings.Split(s, ",") {
		if d = strings.TrimSpace(d); d != "" {
			out = append(out, d)
		}
	}
	return out
}

// allows reports whether a request from origin may read responses.
func (c CORS) allows(origin string) bool {
	if len(c.Domains) == 0 {
		return true
	}
	u, err := url.Parse(origin)
	if err != nil {
		return false
	}
	for _, d := range c.Domains {
		switch {
		case d == "*", d == origin:
			return true
		case strings.Contains(d, "://*."):
			scheme, host, _ := strings.Cut(d, "://*.")
			if u.Scheme == scheme && strings.HasSuffix(u.Host, "."+host) {
				return true
			}
		}
	}
	return false
}

// cors wraps h with CORS headers and answers preflight requests, as
// browsers need to call the API from another origin.
func (c CORS) wrap(h http.Handler) http.Handler {
	if c.Disabled {
		return h
	}
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		origin := r.Header.Get("Origin")
		if origin == "" || !c.allows(origin) {
			h.ServeHTTP(w, r)
			return
		}
		hd := w.Header()
		hd.Set("Access-Control-Allow-Origin", origin)
		hd.Set("Access-Control-Allow-Credentials", "true")
		hd.Add("Vary", "Origin")
		if r.Method == http.MethodOptions && r.Header.Get("Access-Control-Request-Method") != "" {
			hd.Set("Access-Control-Allow-Methods", "GET,POST,PUT,PATCH,DELETE,OPTIONS")
			if req := r.Header.Get("Access-Control-Request-Headers"); req != "" {
				hd.Set("Access-Control-Allow-Headers", req)
			}
			hd.Set("Access-Control-Max-Age", "1728000")
			w.WriteHeader(http.StatusNoContent)
			return
		}
		h.ServeHTTP(w, r)
	})
}
