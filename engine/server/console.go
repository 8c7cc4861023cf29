package server

import (
	"encoding/json"
	"html/template"
	"log/slog"
	"net/http"
	"net/http/httputil"
	"net/url"
)

// consoleCDN is where the console's assets come from by default.
const consoleCDN = "https://unpkg.com"

// consoleAssets lists the console's files, relative to the CDN (or to
// ConsoleAssetsDir, which must hold files with these base names).
var consoleAssets = struct {
	React, ReactDOM, GraphiQLJS, GraphiQLCSS string
}{
	React:       "react@18.3.1/umd/react.production.min.js",
	ReactDOM:    "react-dom@18.3.1/umd/react-dom.production.min.js",
	GraphiQLJS:  "graphiql@3.7.1/graphiql.min.js",
	GraphiQLCSS: "graphiql@3.7.1/graphiql.min.css",
}

var consolePage = template.Must(template.New("console").Parse(`<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<title>Trellis console</title>
<link rel="stylesheet" href="{{.Base}}/{{.CSS}}">
<style>html, body, #console { height: 100%; margin: 0; }</style>
</head>
<body>
<div id="console"></div>
<script src="{{.Base}}/{{.React}}"></script>
<script src="{{.Base}}/{{.ReactDOM}}"></script>
<script src="{{.Base}}/{{.JS}}"></script>
<script>
  const fetcher = GraphiQL.createFetcher({ url: new URL("/v1/graphql", window.location.href).toString() });
  ReactDOM.createRoot(document.getElementById("console")).render(
    React.createElement(GraphiQL, {
      fetcher,
      defaultHeaders: '{\n  "x-hasura-admin-secret": ""\n}',
      shouldPersistHeaders: true,
      defaultQuery: "# Welcome to Trellis. Try:\n# { __typename }\n",
    }),
  );
</script>
</body>
</html>
`))

// mountConsole serves the GraphiQL page at /console (and its assets at
// /console/assets/ when assetsDir is set), and redirects / to it.
func mountConsole(mux *http.ServeMux, assetsDir string, log *slog.Logger) {
	page := func(w http.ResponseWriter, _ *http.Request) {
		data := struct{ Base, React, ReactDOM, JS, CSS string }{
			Base: consoleCDN, React: consoleAssets.React, ReactDOM: consoleAssets.ReactDOM,
			JS: consoleAssets.GraphiQLJS, CSS: consoleAssets.GraphiQLCSS,
		}
		if assetsDir != "" {
			data.Base = "/console/assets"
			data.React, data.ReactDOM = "react.production.min.js", "react-dom.production.min.js"
			data.JS, data.CSS = "graphiql.min.js", "graphiql.min.css"
		}
		w.Header().Set("Content-Type", "text/html; charset=utf-8")
		if err := consolePage.Execute(w, data); err != nil {
			log.Error("rendering the console", "error", err)
		}
	}
	mux.HandleFunc("GET /console", page)
	mux.HandleFunc("GET /console/{$}", page)
	if assetsDir != "" {
		mux.Handle("GET /console/assets/", http.StripPrefix("/console/assets/", http.FileServer(http.Dir(assetsDir))))
	}
	mux.HandleFunc("GET /{$}", func(w http.ResponseWriter, r *http.Request) {
		http.Redirect(w, r, "/console", http.StatusTemporaryRedirect)
	})
}

// ConsoleProxyConfig configures ConsoleProxy.
type ConsoleProxyConfig struct {
	// Endpoint is the server the console works on.
	Endpoint *url.URL
	// AdminSecret is added to every request passed to Endpoint.
	AdminSecret string
	// AssetsDir: see Config.ConsoleAssetsDir.
	AssetsDir string
	Logger    *slog.Logger
}

// ConsoleProxy serves the console locally (`trellis console`) for the
// server at cfg.Endpoint: the page at /console, and the server's API paths
// passed through to it with the admin secret added, so the browser needs
// neither CORS nor the secret.
func ConsoleProxy(cfg ConsoleProxyConfig) http.Handler {
	log := cfg.Logger
	if log == nil {
		log = slog.New(slog.DiscardHandler)
	}
	mux := http.NewServeMux()
	mountConsole(mux, cfg.AssetsDir, log)
	proxy := &httputil.ReverseProxy{
		Rewrite: func(r *httputil.ProxyRequest) {
			r.SetURL(cfg.Endpoint)
			if cfg.AdminSecret != "" {
				r.Out.Header.Set("X-Hasura-Admin-Secret", cfg.AdminSecret)
			}
		},
		ErrorHandler: func(w http.ResponseWriter, r *http.Request, err error) {
			log.Warn("console: the server did not answer", "path", r.URL.Path, "error", err)
			body, _ := json.Marshal(map[string]any{"errors": []any{map[string]any{
				"message":    "the console cannot reach " + cfg.Endpoint.String() + ": " + err.Error(),
				"extensions": map[string]string{"path": "$", "code": "unexpected"}}}})
			writeJSON(w, http.StatusBadGateway, body)
		},
	}
	for _, p := range []string{"/v1/", "/v2/", "/v1alpha1/", "/v1beta1/", "/healthz"} {
		mux.Handle(p, proxy)
	}
	return mux
}
