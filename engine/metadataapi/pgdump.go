package metadataapi

import (
	"bufio"
	"bytes"
	"context"
	"encoding/json"
	"net/http"
	"os/exec"
	"strings"

	"github.com/trellis-gql/trellis/metadata"
)

// PGDump serves POST /v1alpha1/pg_dump, which the Hasura CLI uses for
// `migrate create --from-server`: it runs pg_dump with the given options
// against the engine's database. With clean_output, comments, empty lines
// and psql meta-commands (\restrict, which newer pg_dump emits) are
// removed, so the output runs through run_sql.
func (a *API) PGDump(ctx context.Context, body []byte, admin bool) (int, string, []byte) {
	if !admin {
		status, out := errorResponse(metadata.Errorf(metadata.CodeAccessDenied, "$", "restricted access : admin only"), a.log)
		return status, "application/json", out
	}
	var args struct {
		Opts        []string `json:"opts"`
		CleanOutput bool     `json:"clean_output"`
		Source      string   `json:"source"`
	}
	if err := json.Unmarshal(body, &args); err != nil {
		status, out := errorResponse(metadata.Errorf(metadata.CodeParseFailed, "$", "%v", err), a.log)
		return status, "application/json", out
	}
	for _, o := range args.Opts {
		if strings.HasPrefix(o, "-f") || strings.HasPrefix(o, "--file") || strings.HasPrefix(o, "-d") || strings.HasPrefix(o, "--dbname") {
			status, out := errorResponse(metadata.Errorf(metadata.CodeInvalidParams, "$.opts", "option %q is not allowed", o), a.log)
			return status, "application/json", out
		}
	}
	connString := a.db.Pool.Config().ConnConfig.ConnString()
	cmd := exec.CommandContext(ctx, "pg_dump", append(append([]string{}, args.Opts...), "--dbname", connString)...)
	var stderr bytes.Buffer
	cmd.Stderr = &stderr
	out, err := cmd.Output()
	if err != nil {
		msg := strings.TrimSpace(stderr.String())
		if msg == "" {
			msg = err.Error()
		}
		body, _ := json.Marshal(map[string]string{"path": "$", "error": msg, "code": "unexpected"})
		return http.StatusInternalServerError, "application/json", body
	}
	if args.CleanOutput {
		out = cleanDump(out)
	}
	return http.StatusOK, "application/sql; charset=utf-8", out
}

// cleanDump drops comments, blank lines, psql meta-commands and the
// settings pg_dump prepends, as Hasura's clean_output does.
func cleanDump(dump []byte) []byte {
	var out bytes.Buffer
	sc := bufio.NewScanner(bytes.NewReader(dump))
	sc.Buffer(make([]byte, 1<<20), 1<<30)
	for sc.Scan() {
		line := sc.Text()
		trimmed := strings.TrimSpace(line)
		switch {
		case trimmed == "", strings.HasPrefix(trimmed, "--"), strings.HasPrefix(trimmed, `\`):
			continue
		case strings.HasPrefix(trimmed, "SET ") || strings.HasPrefix(trimmed, "SELECT pg_catalog.set_config('search_path'"):
			continue
		}
		out.WriteString(line)
		out.WriteByte('\n')
	}
	return out.Bytes()
}
