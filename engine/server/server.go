package server

import (
	"bytes"
	"encoding/json"
	"errors"
	"io"
	"log/slog"
	"net/http"
	"runtime/debug"
	"sync"

	"github.com/trellis-gql/trellis/engine/auth"
	"github.com/trellis-gql/trellis/engine/gql"
	"github.com/trellis-gql/trellis/engine/gqlerr"
	"github.com/trellis-gql/trellis/engine/live"
	"github.com/trellis-gql/trellis/engine/metadataapi"
)

// Config configures the HTTP server.
type Config struct {
	Auth   *auth.Authenticator
	Engine *gql.Engine
	// Metadata serves /v1/metadata, /v1/query and /v2/query; nil leaves
	// those routes out.
	Metadata *metadataapi.API
	Logger   *slog.Logger
	// AdminSecretSet is reported by /v1alpha1/config (as are the JWT and
	// webhook modes, which Auth knows).
	AdminSecretSet bool
	// Version is reported by /v1/version.
	Version string
	// EnableConsole serves GraphiQL at /console.
	EnableConsole bool
	// ConsoleAssetsDir, when set, serves the console's scripts and styles
	// from this folder at /console/assets/ instead of a CDN.
	ConsoleAssetsDir string
	// DevMode adds extensions.internal (SQL errors' detail) to errors.
	DevMode bool
	// MaxBodyBytes caps request bodies; 0 means 16 MiB.
	MaxBodyBytes int64
	// CORS says which browser origins may call the API; the zero value
	// allows every origin, as Hasura does by default.
	CORS CORS
	// Live runs subscriptions; nil refuses them (queries and mutations
	// over WebSocket still work).
	Live *live.Manager
	// WebSocket tunes the WebSocket transports.
	WebSocket WSConfig
}

// Server serves Trellis' HTTP API.
type Server struct {
	cfg Config
	ws  WSConfig
	log *slog.Logger
	mux *http.ServeMux

	wsMu    sync.Mutex
	wsConns map[*wsConn]struct{}
}

// New returns a Server; Handler gives its routes.
func New(cfg Config) *Server {
	if cfg.MaxBodyBytes == 0 {
		cfg.MaxBodyBytes = 16 << 20
	}
	log := cfg.Logger
	if log == nil {
		log = slog.New(slog.DiscardHandler)
	}
	s := &Server{cfg: cfg, ws: cfg.WebSocket, log: log.With("component", "server"), mux: http.NewServeMux(), wsConns: map[*wsConn]struct{}{}}
	s.ws.defaults()
	s.mux.HandleFunc("POST /v1/graphql", s.graphql)
	s.mux.HandleFunc("POST /v1alpha1/graphql", s.graphql)
	s.mux.HandleFunc("GET /v1/graphql", s.websocketUpgrade)
	s.mux.HandleFunc("GET /v1alpha1/graphql", s.websocketUpgrade)
	if cfg.Engine != nil {
		cfg.Engine.OnSwap(func() { s.restartWebSockets() })
	}
	s.mux.HandleFunc("GET /healthz", s.healthz)
	s.mux.HandleFunc("GET /v1/version", s.version)
	s.mux.HandleFunc("GET /v1alpha1/config", s.config)
	if cfg.Metadata != nil {
		s.mux.HandleFunc("POST /v1/metadata", s.metadataHandler(metadataapi.MetadataV1))
		s.mux.HandleFunc("POST /v1/query", s.metadataHandler(metadataapi.QueryV1))
		s.mux.HandleFunc("POST /v2/query", s.metadataHandler(metadataapi.QueryV2))
		s.mux.HandleFunc("POST /v1alpha1/pg_dump", s.pgDump)
	}
	if cfg.EnableConsole {
		mountConsole(s.mux, cfg.ConsoleAssetsDir, s.log)
	}
	return s
}

// Handler returns the server's routes, with CORS and panic recovery.
func (s *Server) Handler() http.Handler {
	return s.cfg.CORS.wrap(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		defer func() {
			if p := recover(); p != nil {
				if p == http.ErrAbortHandler {
					panic(p)
				}
				s.log.Error("panic serving request", "path", r.URL.Path, "panic", p, "stack", string(debug.Stack()))
				var buf bytes.Buffer
				writeError(&buf, gqlerr.New(gqlerr.Unexpected, "$", "internal error"), false)
				writeJSON(w, http.StatusInternalServerError, buf.Bytes())
			}
		}()
		s.mux.ServeHTTP(w, r)
	}))
}

func (s *Server) healthz(w http.ResponseWriter, _ *http.Request) {
	w.Header().Set("Content-Type", "text/plain; charset=utf-8")
	_, _ = io.WriteString(w, "OK")
}

func (s *Server) version(w http.ResponseWriter, _ *http.Request) {
	body, _ := json.Marshal(map[string]string{"version": s.cfg.Version, "server_type": "ce"})
	writeJSON(w, http.StatusOK, body)
}

// graphql serves POST /v1/graphql: one request object, or a batch (a JSON
// array) answered with an array of results in the same order.
func (s *Server) graphql(w http.ResponseWriter, r *http.Request) {
	var buf bytes.Buffer
	body, err := io.ReadAll(http.MaxBytesReader(w, r.Body, s.cfg.MaxBodyBytes))
	if err != nil {
		var tooBig *http.MaxBytesError
		if errors.As(err, &tooBig) {
			writeError(&buf, gqlerr.New(gqlerr.BadRequest, "$", "request body too large"), false)
			writeJSON(w, http.StatusRequestEntityTooLarge, buf.Bytes())
			return
		}
		writeError(&buf, gqlerr.New(gqlerr.BadRequest, "$", "could not read the request body"), false)
		writeJSON(w, http.StatusBadRequest, buf.Bytes())
		return
	}
	sess, err := s.cfg.Auth.Authenticate(r.Context(), auth.Request{Header: r.Header, Body: body})
	if err != nil {
		writeError(&buf, err, false)
		writeJSON(w, http.StatusOK, buf.Bytes())
		return
	}
	showInternal := s.cfg.DevMode
	trimmed := bytes.TrimSpace(body)
	if len(trimmed) > 0 && trimmed[0] == '[' {
		var batch []json.RawMessage
		if err := json.Unmarshal(trimmed, &batch); err != nil {
			writeError(&buf, invalidJSON(), false)
			writeJSON(w, http.StatusOK, buf.Bytes())
			return
		}
		buf.WriteByte('[')
		for i, item := range batch {
			if i > 0 {
				buf.WriteByte(',')
			}
			s.one(r, &buf, sess, item, showInternal)
		}
		buf.WriteByte(']')
		writeJSON(w, http.StatusOK, buf.Bytes())
		return
	}
	status := http.StatusOK
	if failed := s.one(r, &buf, sess, trimmed, showInternal); failed != nil && r.URL.Path == "/v1alpha1/graphql" {
		status = legacyStatus(failed)
	}
	writeJSON(w, status, buf.Bytes())
}

// legacyStatus is the HTTP status /v1alpha1/graphql answers an error
// with: that endpoint keeps the behaviour Hasura had before it answered
// GraphQL errors with 200 (PR #2064), 400 for a request that fails and 500
// for an unexpected error.
func legacyStatus(e *gqlerr.Error) int {
	if e.Code == gqlerr.Unexpected {
		return http.StatusInternalServerError
	}
	return http.StatusBadRequest
}

// one runs a single request and appends its response; it returns the
// error it answered, nil for data.
func (s *Server) one(r *http.Request, buf *bytes.Buffer, sess auth.Session, raw []byte, showInternal bool) *gqlerr.Error {
	req, err := decodeRequest(raw)
	if err != nil {
		e := gqlerr.As(err)
		writeError(buf, e, showInternal)
		return e
	}
	req.SessionVars = sess.Vars
	req.BackendOnly = sess.BackendOnly
	res, err := s.cfg.Engine.Execute(r.Context(), sess.Role, req)
	if err != nil {
		e := gqlerr.As(err)
		if e.Code == gqlerr.Unexpected {
			s.log.Error("request failed", "error", err, "session", sess)
		}
		writeError(buf, e, showInternal)
		return e
	}
	writeData(buf, res)
	return nil
}

func invalidJSON() error {
	return gqlerr.New(gqlerr.InvalidJSON, "$", "Error in $: Failed reading: not a valid json value")
}

// decodeRequest reads {query, variables, operationName}, reporting shape
// errors with Hasura's paths and texts.
func decodeRequest(raw []byte) (gql.Request, error) {
	var req gql.Request
	var fields map[string]json.RawMessage
	if err := json.Unmarshal(raw, &fields); err != nil {
		if json.Valid(raw) {
			return req, gqlerr.New(gqlerr.ParseFailed, "$", "parsing Object failed, expected Object, but encountered "+gqlerr.JSONKind(raw))
		}
		return req, invalidJSON()
	}
	if ext, ok := fields["extensions"]; ok && isPersistedQuery(ext) {
		return req, gqlerr.New(gqlerr.NotSupported, "$", "Automatic Persisted Queries is not enabled")
	}
	q, ok := fields["query"]
	if !ok || string(q) == "null" {
		return req, gqlerr.New(gqlerr.ParseFailed, "$", `key "query" not found`)
	}
	if err := json.Unmarshal(q, &req.Query); err != nil {
		return req, gqlerr.New(gqlerr.ParseFailed, "$.query", "parsing Text failed, expected String, but encountered "+gqlerr.JSONKind(q))
	}
	if op, ok := fields["operationName"]; ok && string(op) != "null" {
		if err := json.Unmarshal(op, &req.OperationName); err != nil {
			return req, gqlerr.New(gqlerr.ParseFailed, "$.operationName", "parsing Text failed, expected String, but encountered "+gqlerr.JSONKind(op))
		}
	}
	if v, ok := fields["variables"]; ok && string(v) != "null" {
		if k := gqlerr.JSONKind(v); k != "Object" {
			return req, gqlerr.New(gqlerr.ParseFailed, "$.variables", "parsing HashMap failed, expected Object, but encountered "+k)
		}
		req.Variables = v
	}
	return req, nil
}

func isPersistedQuery(ext json.RawMessage) bool {
	var e struct {
		PersistedQuery json.RawMessage `json:"persistedQuery"`
	}
	return json.Unmarshal(ext, &e) == nil && len(e.PersistedQuery) > 0 && string(e.PersistedQuery) != "null"
}
