package server

import (
	"encoding/json"
	"errors"
	"io"
	"net/http"

	"github.com/trellis-gql/trellis/engine/auth"
	"github.com/trellis-gql/trellis/engine/gqlerr"
	"github.com/trellis-gql/trellis/engine/metadataapi"
)

// metadataHandler serves one of the metadata/query APIs.
func (s *Server) metadataHandler(ep metadataapi.Endpoint) http.HandlerFunc {
	return func(w http.ResponseWriter, r *http.Request) {
		body, err := io.ReadAll(http.MaxBytesReader(w, r.Body, s.cfg.MaxBodyBytes))
		if err != nil {
			status := http.StatusBadRequest
			var tooBig *http.MaxBytesError
			if errors.As(err, &tooBig) {
				status = http.StatusRequestEntityTooLarge
			}
			writeMetadataError(w, status, "$", "could not read the request body", string(gqlerr.BadRequest))
			return
		}
		sess, ok := s.authenticateMetadata(w, r)
		if !ok {
			return
		}
		opts := metadataapi.Options{ErrorPosition: r.Header.Get("X-Trellis-Error-Position") == "true"}
		status, resp := s.cfg.Metadata.HandleWith(r.Context(), ep, body, sess, opts)
		writeJSON(w, status, resp)
	}
}

// authenticateMetadata authenticates a request to the metadata and query
// APIs, answering Hasura's error and status itself when that fails. Only
// the session's admin role matters there: a JWT whose role is admin is
// admin, as in Hasura.
func (s *Server) authenticateMetadata(w http.ResponseWriter, r *http.Request) (auth.Session, bool) {
	sess, err := s.cfg.Auth.Authenticate(r.Context(), auth.Request{Header: r.Header})
	if err != nil {
		e := gqlerr.As(err)
		writeMetadataError(w, auth.HTTPStatus(err), e.Path, e.Message, string(e.Code))
		return auth.Session{}, false
	}
	return sess, true
}

func writeMetadataError(w http.ResponseWriter, status int, path, msg, code string) {
	body, _ := json.Marshal(map[string]string{"path": path, "error": msg, "code": code})
	writeJSON(w, status, body)
}

// config answers GET /v1alpha1/config, which the Hasura CLI and console
// read first.
func (s *Server) config(w http.ResponseWriter, _ *http.Request) {
	body, _ := json.Marshal(map[string]any{
		"version":                              s.cfg.Version,
		"is_function_permissions_inferred":     true,
		"is_remote_schema_permissions_enabled": false,
		"is_admin_secret_set":                  s.cfg.AdminSecretSet,
		"is_auth_hook_set":                     s.cfg.Auth.AuthHookSet(),
		"is_jwt_set":                           s.cfg.Auth.JWTSet(),
		"jwt":                                  s.cfg.Auth.JWTInfo(),
		"console_assets_dir":                   nil,
		"is_allow_list_enabled":                false,
		"live_queries":                         map[string]any{"batch_size": 100, "refetch_delay": 1},
		"streaming_queries":                    map[string]any{"batch_size": 100, "refetch_delay": 1},
		"experimental_features":                []any{},
		"is_prometheus_metrics_enabled":        false,
		"default_naming_convention":            s.cfg.Engine.DefaultNamingConvention(),
	})
	writeJSON(w, http.StatusOK, body)
}

// pgDump serves POST /v1alpha1/pg_dump.
func (s *Server) pgDump(w http.ResponseWriter, r *http.Request) {
	body, err := io.ReadAll(http.MaxBytesReader(w, r.Body, s.cfg.MaxBodyBytes))
	if err != nil {
		writeMetadataError(w, http.StatusBadRequest, "$", "could not read the request body", string(gqlerr.BadRequest))
		return
	}
	sess, ok := s.authenticateMetadata(w, r)
	if !ok {
		return
	}
	status, ctype, out := s.cfg.Metadata.PGDump(r.Context(), body, sess.IsAdmin())
	w.Header().Set("Content-Type", ctype)
	w.WriteHeader(status)
	_, _ = w.Write(out)
}
