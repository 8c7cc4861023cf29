package auth

import (
	"bytes"
	"context"
	"crypto/sha256"
	"encoding/json"
	"fmt"
	"io"
	"log/slog"
	"maps"
	"net/http"
	"slices"
	"strings"
	"sync"
	"time"

	"github.com/trellis-gql/trellis/engine/gqlerr"
)

// ignoredHookHeaders are the client headers Hasura does not forward to a
// GET-mode webhook.
var ignoredHookHeaders = map[string]bool{
	"Content-Length": true, "Content-Md5": true, "User-Agent": true, "Host": true,
	"Origin": true, "Referer": true, "Accept": true, "Accept-Encoding": true,
	"Accept-Language": true, "Accept-Datetime": true, "Cache-Control": true,
	"Connection": true, "Dnt": true, "Content-Type": true,
}

// webhookCacheMax bounds the cached webhook answers.
const webhookCacheMax = 10000

// webhook is Hasura's auth webhook mode. Answers that say how long they
// stay valid (Cache-Control or Expires in the response body, as Hasura
// reads them) are cached by the headers (and, in POST mode, the request)
// that produced them.
type webhook struct {
	url    string
	post   bool
	client *http.Client
	log    *slog.Logger
	now    func() time.Time

	mu    sync.Mutex // guards cache; never held across the HTTP call
	cache map[[sha256.Size]byte]Session
}

func newWebhook(url, mode string, client *http.Client, log *slog.Logger, now func() time.Time) (*webhook, error) {
	w := &webhook{url: url, client: client, log: log, now: now, cache: map[[sha256.Size]byte]Session{}}
	switch strings.ToUpper(mode) {
	case "", "GET":
	case "POST":
		w.post = true
	default:
		return nil, fmt.Errorf("auth hook mode must be GET or POST, not %q", mode)
	}
	return w, nil
}

// authenticate asks the webhook (or the cache) for the request's session.
func (w *webhook) authenticate(ctx context.Context, req Request) (Session, error) {
	body, header := w.hookRequest(req)
	key := w.cacheKey(header, body)
	if s, ok := w.cached(key); ok {
		return s, nil
	}
	s, err := w.call(ctx, header, body)
	if err != nil {
		return Session{}, err
	}
	if s.Expiry.After(w.now()) {
		w.store(key, s)
	}
	return s, nil
}

// hookRequest builds what is sent: in GET mode the client's headers less
// the ignored ones; in POST mode {"headers": …, "request": …}.
func (w *webhook) hookRequest(req Request) ([]byte, http.Header) {
	if !w.post {
		h := http.Header{}
		for k, vs := range req.Header {
			if !ignoredHookHeaders[http.CanonicalHeaderKey(k)] {
				h[k] = vs
			}
		}
		return nil, h
	}
	headers := map[string]string{}
	for k, vs := range req.Header {
		if len(vs) > 0 {
			headers[k] = vs[0]
		}
	}
	request := json.RawMessage("null")
	if len(req.Body) > 0 && json.Valid(req.Body) {
		request = req.Body
	}
	body, err := json.Marshal(map[string]any{"headers": headers, "request": request})
	if err != nil {
		body = []byte(`{"headers":{},"request":null}`) // unreachable: strings and valid JSON always encode
	}
	return body, http.Header{"Content-Type": {"application/json"}}
}

// cacheKey hashes what the webhook sees, so that equal inputs share an
// answer and nothing secret is kept in clear.
func (w *webhook) cacheKey(h http.Header, body []byte) [sha256.Size]byte {
	d := sha256.New()
	for _, k := range slices.Sorted(maps.Keys(h)) {
		fmt.Fprintf(d, "%q:%q\n", k, h[k])
	}
	d.Write(body)
	var key [sha256.Size]byte
	d.Sum(key[:0])
	return key
}

func (w *webhook) cached(key [sha256.Size]byte) (Session, bool) {
	w.mu.Lock()
	defer w.mu.Unlock()
	s, ok := w.cache[key]
	if !ok {
		return Session{}, false
	}
	if !w.now().Before(s.Expiry) {
		delete(w.cache, key)
		return Session{}, false
	}
	return Session{Role: s.Role, Vars: maps.Clone(s.Vars), Expiry: s.Expiry}, true
}

func (w *webhook) store(key [sha256.Size]byte, s Session) {
	w.mu.Lock()
	defer w.mu.Unlock()
	if len(w.cache) >= webhookCacheMax {
		now := w.now()
		maps.DeleteFunc(w.cache, func(_ [sha256.Size]byte, s Session) bool { return !now.Before(s.Expiry) })
		if len(w.cache) >= webhookCacheMax {
			clear(w.cache)
		}
	}
	w.cache[key] = Session{Role: s.Role, Vars: maps.Clone(s.Vars), Expiry: s.Expiry}
}

// call sends the request and reads the answer as Hasura does.
func (w *webhook) call(ctx context.Context, header http.Header, body []byte) (Session, error) {
	method := http.MethodGet
	var reader io.Reader
	if w.post {
		method, reader = http.MethodPost, bytes.NewReader(body)
	}
	req, err := http.NewRequestWithContext(ctx, method, w.url, reader)
	if err != nil {
		return Session{}, w.failed(err)
	}
	req.Header = header
	resp, err := w.client.Do(req)
	if err != nil {
		return Session{}, w.failed(err)
	}
	defer resp.Body.Close()
	raw, err := io.ReadAll(io.LimitReader(resp.Body, 1<<20))
	if err != nil {
		return Session{}, w.failed(err)
	}
	switch resp.StatusCode {
	case http.StatusOK:
	case http.StatusUnauthorized:
		return Session{}, newError(http.StatusUnauthorized, gqlerr.AccessDenied, "Authentication hook unauthorized this request")
	default:
		w.log.Warn("auth webhook answered an unexpected status", "status", resp.StatusCode)
		return Session{}, newError(http.StatusInternalServerError, gqlerr.Unexpected, "Invalid response from authorization hook")
	}
	var answer map[string]string
	if err := json.Unmarshal(raw, &answer); err != nil {
		w.log.Warn("auth webhook answered an invalid body", "error", err)
		return Session{}, newError(http.StatusInternalServerError, gqlerr.Unexpected, "Invalid response from authorization hook: "+err.Error())
	}
	return sessionFromHook(answer, w.now())
}

// sessionFromHook makes the session of a webhook's answer: its x-hasura-*
// entries, whose x-hasura-role is required.
func sessionFromHook(answer map[string]string, now time.Time) (Session, error) {
	vars := map[string]string{}
	var cacheControl, expires string
	for k, v := range answer {
		lk := strings.ToLower(k)
		switch {
		case strings.HasPrefix(lk, varPrefix):
			vars[lk] = v
		case lk == "cache-control":
			cacheControl = v
		case lk == "expires":
			expires = v
		}
	}
	role := vars[roleVar]
	if role == "" {
		return Session{}, newError(http.StatusBadRequest, gqlerr.InvalidParams, "x-hasura-role not found in session variables")
	}
	s := withRole(role, vars)
	// no-cache gives "now": nothing to cache, and no expiry either.
	if until, ok := freshUntil(cacheControl, expires, now); ok && until.After(now) {
		s.Expiry = until
	}
	return s, nil
}

// failed reports a webhook that could not be called.
func (w *webhook) failed(err error) error {
	w.log.Error("auth webhook request failed", "error", err)
	return newError(http.StatusInternalServerError, gqlerr.Unexpected, "webhook authentication request failed")
}
