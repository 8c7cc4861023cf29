package auth

import (
	"net/http"
	"strconv"
	"strings"
	"time"
)

// freshUntil is when a response stops being fresh, from its Cache-Control
// and Expires values, as Hasura reads them for JWKS documents and webhook
// answers: max-age (or s-maxage) from now; no-cache or no-store mean "now"
// (do not reuse), must-revalidate without max-age too; with no usable
// Cache-Control directive, the Expires date. ok is false when neither
// says anything.
func freshUntil(cacheControl, expires string, now time.Time) (time.Time, bool) {
	if cacheControl != "" {
		maxAge, hasMaxAge, noCache, mustRevalidate := parseCacheControl(cacheControl)
		switch {
		case mustRevalidate && hasMaxAge:
			return now.Add(maxAge), true
		case mustRevalidate, noCache:
			return now, true
		case hasMaxAge:
			return now.Add(maxAge), true
		}
	}
	if expires != "" {
		if t, err := http.ParseTime(expires); err == nil {
			return t, true
		}
	}
	return time.Time{}, false
}

// parseCacheControl reads the directives freshUntil looks at; max-age wins
// over s-maxage.
func parseCacheControl(v string) (maxAge time.Duration, hasMaxAge, noCache, mustRevalidate bool) {
	sMaxAge, hasSMaxAge := time.Duration(0), false
	for _, d := range strings.Split(v, ",") {
		name, val, _ := strings.Cut(strings.TrimSpace(d), "=")
		val = strings.Trim(val, `"`)
		switch strings.ToLower(name) {
		case "max-age":
			if n, err := strconv.ParseInt(val, 10, 64); err == nil && n >= 0 {
				maxAge, hasMaxAge = time.Duration(n)*time.Second, true
			}
		case "s-maxage":
			if n, err := strconv.ParseInt(val, 10, 64); err == nil && n >= 0 {
				sMaxAge, hasSMaxAge = time.Duration(n)*time.Second, true
			}
		case "no-cache", "no-store":
			noCache = true
		case "must-revalidate":
			mustRevalidate = true
		}
	}
	if !hasMaxAge && hasSMaxAge {
		return sMaxAge, true, noCache, mustRevalidate
	}
	return maxAge, hasMaxAge, noCache, mustRevalidate
}
