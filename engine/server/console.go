package server

import (
	"html/template"
	"net/http"
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

// console serves the GraphiQL page.
func (s *Server) console(w http.ResponseWriter, _ *http.Request) {
	data := struct{ Base, React, ReactDOM, JS, CSS string }{
		Base: consoleCDN, React: consoleAssets.React, ReactDOM: consoleAssets.ReactDOM,
		JS: consoleAssets.GraphiQLJS, CSS: consoleAssets.GraphiQLCSS,
	}
	if s.cfg.ConsoleAssetsDir != "" {
		data.Base = "/console/assets"
		data.React, data.ReactDOM = "react.production.min.js", "react-dom.production.min.js"
		data.JS, data.CSS = "graphiql.min.js", "graphiql.min.css"
	}
	w.Header().Set("Content-Type", "text/html; charset=utf-8")
	if err := consolePage.Execute(w, data); err != nil {
		s.log.Error("rendering the console", "error", err)
	}
}
