package auth

import (
	"context"
	"fmt"
	"io"
	"log/slog"
	"net/http"
	"sync"
	"sync/atomic"
	"time"
)

// jwksDeps are what a JWKS fetcher needs from the Authenticator.
type jwksDeps struct {
	client *http.Client
	log    *slog.Logger
	now    func() time.Time
}

// jwksFetchTimeout bounds one fetch of a JWKS document.
const jwksFetchTimeout = 10 * time.Second

// jwksRetry is how long stale keys are kept after a failed refresh before
// the next attempt.
const jwksRetry = time.Second

// keySet is an immutable snapshot of a JWKS document's keys.
type keySet struct {
	keys []verifyKey
	// expires is when to fetch again; zero means never (the response had
	// neither Cache-Control nor Expires, so Hasura keeps the keys).
	expires time.Time
}

// jwks holds the keys of a jwk_url. Requests read the current snapshot
// without locking; the first request that finds it expired fetches the
// document again while later ones wait for that fetch. Nothing is fetched
// while the snapshot is fresh.
type jwks struct {
	url  string
	deps jwksDeps
	set  atomic.Pointer[keySet]

	mu       sync.Mutex
	inflight chan struct{} // closed when the running fetch ends; nil when none runs
}

func newJWKS(ctx context.Context, url string, deps jwksDeps) (*jwks, error) {
	j := &jwks{url: url, deps: deps}
	set, err := j.fetch(ctx)
	if err != nil {
		return nil, err
	}
	j.set.Store(set)
	return j, nil
}

// keys returns the current keys, fetching them again first when they have
// expired. When a refresh fails the previous keys stay in use.
func (j *jwks) keys(ctx context.Context) []verifyKey {
	set := j.set.Load()
	if set.expires.IsZero() || j.deps.now().Before(set.expires) {
		return set.keys
	}
	j.mu.Lock()
	wait := j.inflight
	if wait == nil {
		j.inflight = make(chan struct{})
	}
	j.mu.Unlock()
	if wait != nil {
		select {
		case <-wait:
		case <-ctx.Done():
		}
		return j.set.Load().keys
	}
	j.refresh(ctx, set)
	j.mu.Lock()
	close(j.inflight)
	j.inflight = nil
	j.mu.Unlock()
	return j.set.Load().keys
}

// refresh fetches the document and swaps the snapshot in. A failed fetch
// keeps old's keys and tries again after jwksRetry.
func (j *jwks) refresh(ctx context.Context, old *keySet) {
	// The fetch serves every waiting request: one client going away must
	// not cancel it.
	set, err := j.fetch(context.WithoutCancel(ctx))
	if err != nil {
		j.deps.log.Warn("refreshing JWKS failed; keeping the previous keys", "url", j.url, "error", err)
		set = &keySet{keys: old.keys, expires: j.deps.now().Add(jwksRetry)}
	}
	j.set.Store(set)
}

// fetch gets and parses the document.
func (j *jwks) fetch(ctx context.Context) (*keySet, error) {
	ctx, cancel := context.WithTimeout(ctx, jwksFetchTimeout)
	defer cancel()
	req, err := http.NewRequestWithContext(ctx, http.MethodGet, j.url, nil)
	if err != nil {
		return nil, fmt.Errorf("fetching JWK from %s: %w", j.url, err)
	}
	resp, err := j.deps.client.Do(req)
	if err != nil {
		return nil, fmt.Errorf("fetching JWK: %w", err)
	}
	defer resp.Body.Close()
	body, err := io.ReadAll(io.LimitReader(resp.Body, 1<<20))
	if err != nil {
		return nil, fmt.Errorf("fetching JWK from %s: %w", j.url, err)
	}
	if resp.StatusCode < 200 || resp.StatusCode > 299 {
		return nil, fmt.Errorf("non-2xx response on fetching JWK from: %s", j.url)
	}
	keys, err := parseJWKS(body)
	if err != nil {
		return nil, fmt.Errorf("error parsing JWK from url: %s: %w", j.url, err)
	}
	now := j.deps.now()
	expires, ok := freshUntil(resp.Header.Get("Cache-Control"), resp.Header.Get("Expires"), now)
	if ok && expires.Before(now.Add(jwksRetry)) {
		// no-cache or a past date: Hasura checks once a second, so keys
		// live at least that long rather than being fetched per request.
		expires = now.Add(jwksRetry)
	}
	return &keySet{keys: keys, expires: expires}, nil
}
