package apiclient

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"net/url"
	"strings"
	"time"
)

// Client talks to one server.
type Client struct {
	endpoint    *url.URL
	adminSecret string
	http        *http.Client
}

// Config says which server to talk to.
type Config struct {
	// Endpoint is the server's base URL (http://localhost:8080).
	Endpoint string
	// AdminSecret is sent with every request when set.
	AdminSecret string
	// Timeout bounds each request (default one minute).
	Timeout time.Duration
}

// New returns a client of cfg.Endpoint.
func New(cfg Config) (*Client, error) {
	if cfg.Endpoint == "" {
		return nil, fmt.Errorf("no endpoint: set --endpoint, \"endpoint\" in config.yaml or HASURA_GRAPHQL_ENDPOINT")
	}
	u, err := url.Parse(cfg.Endpoint)
	if err != nil || (u.Scheme != "http" && u.Scheme != "https") || u.Host == "" {
		return nil, fmt.Errorf("endpoint %q is not an http(s) URL", cfg.Endpoint)
	}
	if cfg.Timeout <= 0 {
		cfg.Timeout = time.Minute
	}
	return &Client{endpoint: u, adminSecret: cfg.AdminSecret, http: &http.Client{Timeout: cfg.Timeout}}, nil
}

// Endpoint is the server's base URL.
func (c *Client) Endpoint() string { return c.endpoint.String() }

// URL is the server's URL of path (like "/v1/graphql").
func (c *Client) URL(path string) string {
	return c.endpoint.JoinPath(strings.TrimPrefix(path, "/")).String()
}

// Error is a server's refusal, in Hasura's error shape.
type Error struct {
	// Status is the HTTP status.
	Status   int             `json:"-"`
	Code     string          `json:"code"`
	Message  string          `json:"error"`
	Path     string          `json:"path"`
	Internal json.RawMessage `json:"internal,omitempty"`
}

func (e *Error) Error() string {
	msg := e.Message
	if e.Code != "" {
		msg = fmt.Sprintf("%s (%s", msg, e.Code)
		if e.Path != "" && e.Path != "$" {
			msg += " at " + e.Path
		}
		msg += ")"
	}
	return msg
}

// Metadata sends one request to /v1/metadata.
func (c *Client) Metadata(ctx context.Context, req any) (json.RawMessage, error) {
	return c.post(ctx, "/v1/metadata", req, nil)
}

// Query sends one request to /v2/query.
func (c *Client) Query(ctx context.Context, req any) (json.RawMessage, error) {
	return c.post(ctx, "/v2/query", req, nil)
}

// Op is one request of the metadata or schema API.
type Op struct {
	Type    string `json:"type"`
	Version int    `json:"version,omitempty"`
	Args    any    `json:"args"`
}

func (c *Client) post(ctx context.Context, path string, body any, header http.Header) (json.RawMessage, error) {
	data, err := json.Marshal(body)
	if err != nil {
		return nil, err
	}
	req, err := http.NewRequestWithContext(ctx, http.MethodPost, c.URL(path), bytes.NewReader(data))
	if err != nil {
		return nil, err
	}
	req.Header.Set("Content-Type", "application/json")
	for k, vs := range header {
		req.Header[k] = vs
	}
	return c.do(req)
}

func (c *Client) do(req *http.Request) (json.RawMessage, error) {
	if c.adminSecret != "" {
		req.Header.Set("X-Hasura-Admin-Secret", c.adminSecret)
	}
	resp, err := c.http.Do(req)
	if err != nil {
		return nil, fmt.Errorf("cannot reach the server at %s: %w", c.endpoint, err)
	}
	defer resp.Body.Close()
	body, err := io.ReadAll(io.LimitReader(resp.Body, 1<<30))
	if err != nil {
		return nil, fmt.Errorf("reading the answer of %s: %w", req.URL.Path, err)
	}
	if resp.StatusCode != http.StatusOK {
		apiErr := &Error{Status: resp.StatusCode}
		if json.Unmarshal(body, apiErr) != nil || (apiErr.Message == "" && apiErr.Code == "") {
			apiErr.Message = fmt.Sprintf("%s answered %s: %s", req.URL.Path, resp.Status, strings.TrimSpace(string(body)))
		}
		return nil, apiErr
	}
	return body, nil
}

// Version returns the server's version (/v1/version).
func (c *Client) Version(ctx context.Context) (string, error) {
	req, err := http.NewRequestWithContext(ctx, http.MethodGet, c.URL("/v1/version"), nil)
	if err != nil {
		return "", err
	}
	body, err := c.do(req)
	if err != nil {
		return "", err
	}
	var v struct {
		Version string `json:"version"`
	}
	if err := json.Unmarshal(body, &v); err != nil {
		return "", fmt.Errorf("/v1/version: %w", err)
	}
	return v.Version, nil
}

// PGDump runs pg_dump on the server with opts (/v1alpha1/pg_dump, with
// clean_output) and returns its SQL.
func (c *Client) PGDump(ctx context.Context, source string, opts []string) ([]byte, error) {
	return c.post(ctx, "/v1alpha1/pg_dump", map[string]any{"opts": opts, "clean_output": true, "source": source}, nil)
}
