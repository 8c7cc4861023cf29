package server

import (
	"bytes"
	"encoding/json"
	"net/http"

	"github.com/trellis-gql/trellis/engine/gql"
	"github.com/trellis-gql/trellis/engine/gqlerr"
)

// writeData appends {"data":{…}} built from each root field's bytes.
func writeData(buf *bytes.Buffer, res *gql.Result) {
	buf.WriteString(`{"data":{`)
	for i, f := range res.Fields {
		if i > 0 {
			buf.WriteByte(',')
		}
		key, _ := json.Marshal(f.Alias) // a GraphQL name: always encodes
		buf.Write(key)
		buf.WriteByte(':')
		buf.Write(f.JSON)
	}
	buf.WriteString(`}}`)
}

// errorBody is Hasura's GraphQL error shape.
type errorBody struct {
	Errors []errorEntry `json:"errors"`
}

type errorEntry struct {
	Extensions errorExtensions `json:"extensions"`
	Message    string          `json:"message"`
}

type errorExtensions struct {
	Path     string      `json:"path"`
	Code     gqlerr.Code `json:"code"`
	Internal any         `json:"internal,omitempty"`
}

// writeError appends {"errors":[…]} for err; internal detail is included
// only when showInternal is set.
func writeError(buf *bytes.Buffer, err error, showInternal bool) {
	e := gqlerr.As(err)
	entry := errorEntry{Message: e.Message, Extensions: errorExtensions{Path: e.Path, Code: e.Code}}
	if showInternal {
		entry.Extensions.Internal = e.Internal
	}
	body, mErr := json.Marshal(errorBody{Errors: []errorEntry{entry}})
	if mErr != nil {
		body = []byte(`{"errors":[{"extensions":{"path":"$","code":"unexpected"},"message":"internal error"}]}`)
	}
	buf.Write(body)
}

func writeJSON(w http.ResponseWriter, status int, body []byte) {
	w.Header().Set("Content-Type", "application/json; charset=utf-8")
	w.WriteHeader(status)
	_, _ = w.Write(body) // the client may be gone; nothing to do about it
}
