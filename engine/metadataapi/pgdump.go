package metadataapi

import (
	"bufio"
	"bytes"
	"context"
	"encoding/json"
	"net/http"
	"os/exec"
	"regexp"
	"strings"

	"github.com/trellis-gql/trellis/metadata"
)

// PGDump serves POST /v1alpha1/pg_dump, which the Hasura CLI uses for
// `migrate create --from-server`: it runs pg_dump with --encoding=utf8 and
// the given options against the engine's database, as Hasura does. With
// clean_output the output is cleaned as Hasura cleans it (see cleanDump),
// so that it runs through run_sql.
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
	cmd := exec.CommandContext(ctx, "pg_dump", append(append([]string{"--encoding=utf8"}, args.Opts...), "--dbname", connString)...)
	var stderr bytes.Buffer
	cmd.Stderr = &stderr
	out, err := cmd.Output()
	if err != nil {
		msg := strings.TrimSpace(stderr.String())
		if msg == "" {
			msg = err.Error()
		}
		body, _ := json.Marshal(map[string]string{"path": "$", "error": "error while executing pg_dump: " + msg, "code": "unexpected"})
		return http.StatusInternalServerError, "application/json", body
	}
	if args.CleanOutput {
		out = cleanDump(out)
	}
	return http.StatusOK, "application/sql; charset=utf-8", out
}

// cleanDump drops what Hasura's clean_output drops: blank lines, lines
// that start with "--", pg_dump's preamble (the settings it prepends, and
// the public schema, which every database has), and the triggers of
// Hasura's event triggers. It also drops the psql meta-commands \restrict
// and \unrestrict, which recent pg_dump releases emit (15.18 does) and
// which run_sql cannot run. Other settings, such as check_function_bodies
// = false, stay: the statements after them may need them.
func cleanDump(dump []byte) []byte {
	var out bytes.Buffer
	sc := bufio.NewScanner(bytes.NewReader(dump))
	sc.Buffer(make([]byte, 1<<20), 1<<30)
	for sc.Scan() {
		line := sc.Text()
		switch {
		case strings.TrimSpace(line) == "", strings.HasPrefix(line, "--"), dumpPreamble[line],
			strings.HasPrefix(line, `\restrict `), strings.HasPrefix(line, `\unrestrict `),
			hasuraTrigger.MatchString(line):
			continue
		}
		out.WriteString(line)
		out.WriteByte('\n')
	}
	return out.Bytes()
}

// dumpPreamble are the lines of pg_dump's front matter that Hasura drops.
var dumpPreamble = map[string]bool{
	"SET statement_timeout = 0;":                              true,
	"SET lock_timeout = 0;":                                   true,
	"SET idle_in_transaction_session_timeout = 0;":            true,
	"SET client_encoding = 'UTF8';":                           true,
	"SET standard_conforming_strings = on;":                   true,
	"SELECT pg_catalog.set_config('search_path', '', false);": true,
	"SET xmloption = content;":                                true,
	"SET client_min_messages = warning;":                      true,
	"SET row_security = off;":                                 true,
	"SET default_tablespace = '';":                            true,
	"SET default_with_oids = false;":                          true,
	"SET default_table_access_method = heap;":                 true,
	"CREATE SCHEMA public;":                                   true,
	"COMMENT ON SCHEMA public IS 'standard public schema';":   true,
}

// hasuraTrigger matches the trigger of one of Hasura's event triggers.
var hasuraTrigger = regexp.MustCompile(`^CREATE TRIGGER "?notify_hasura_.+"? AFTER [[:alnum:]]+ ON .+ FOR EACH ROW EXECUTE (FUNCTION|PROCEDURE) "?hdb_catalog"?\."?notify_hasura_.+"?\(\);$`)
