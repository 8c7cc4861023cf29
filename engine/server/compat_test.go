package server_test

// TestHasuraCompat replays Hasura GraphQL Engine's own integration cases
// (server/tests-py, exported as JSON; see the README next to them) against
// Trellis: one subtest per test class, each on a fresh database and server
// without metadata. The comparison rules live in compat_compare_test.go.

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"sort"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/trellis-gql/trellis/engine/auth"
	"github.com/trellis-gql/trellis/engine/exec"
	"github.com/trellis-gql/trellis/engine/gql"
	"github.com/trellis-gql/trellis/engine/live"
	"github.com/trellis-gql/trellis/engine/metadataapi"
	"github.com/trellis-gql/trellis/engine/pgtest"
	"github.com/trellis-gql/trellis/engine/server"
)

// envCompatDir overrides where the cases are looked for.
const envCompatDir = "TRELLIS_COMPAT_DIR"

// compatFile is one exported test class.
type compatFile struct {
	Class          string          `json:"class"`
	Rev            string          `json:"rev"`
	Dir            string          `json:"dir"`
	Setup          []compatRequest `json:"setup"`
	MethodSetup    []compatRequest `json:"method_setup"`
	Cases          []compatCase    `json:"cases"`
	MethodTeardown []compatRequest `json:"method_teardown"`
	Teardown       []compatRequest `json:"teardown"`
	Skipped        []struct {
		Name   string `json:"name"`
		Reason string `json:"reason"`
	} `json:"skipped"`
}

// compatRequest is a request to send: a setup or teardown step or a case.
type compatRequest struct {
	Note        string            `json:"note"`
	File        string            `json:"file"`
	Method      string            `json:"method"`
	URL         string            `json:"url"`
	Headers     map[string]string `json:"headers"`
	Body        json.RawMessage   `json:"body"`
	ContentType string            `json:"content_type"`
	AddAuth     *bool             `json:"add_auth"` // no admin secret is configured: nothing to do
}

// compatCase is a request with its expected answer.
type compatCase struct {
	compatRequest
	Name             string              `json:"name"`
	Index            *int                `json:"index"`
	Description      string              `json:"description"`
	Status           int                 `json:"status"`
	Response         json.RawMessage     `json:"response"`
	RespHeaders      map[string]string   `json:"resp_headers"`
	AllowedResponses []compatAllowedResp `json:"allowed_responses"`
	Compare          string              `json:"compare"`
}

type compatAllowedResp struct {
	Response    json.RawMessage   `json:"response"`
	RespHeaders map[string]string `json:"resp_headers"`
}

// compatAnswer is what the server answered.
type compatAnswer struct {
	status int
	header http.Header
	body   []byte
}

// compatDir finds the cases: $TRELLIS_COMPAT_DIR, else
// <repository root>/../shared/compat/hasura.
func compatDir(t *testing.T) string {
	t.Helper()
	if d := os.Getenv(envCompatDir); d != "" {
		return d
	}
	wd, err := os.Getwd()
	if err != nil {
		t.Fatal(err)
	}
	for dir := wd; ; {
		if _, err := os.Stat(filepath.Join(dir, "go.mod")); err == nil {
			return filepath.Join(filepath.Dir(dir), "shared", "compat", "hasura")
		}
		parent := filepath.Dir(dir)
		if parent == dir {
			t.Skipf("Hasura compatibility cases: no go.mod above %s; set %s", wd, envCompatDir)
		}
		dir = parent
	}
}

// compatFiles lists <suite>/<Class>.json under the cases' folder, skipping
// the test when the folder is absent.
func compatFiles(t *testing.T) (string, []string) {
	t.Helper()
	dir := compatDir(t)
	if st, err := os.Stat(dir); err != nil || !st.IsDir() {
		t.Skipf("Hasura compatibility cases not found at %s (set %s to their folder)", dir, envCompatDir)
	}
	files, err := filepath.Glob(filepath.Join(dir, "*", "*.json"))
	if err != nil {
		t.Fatal(err)
	}
	if len(files) == 0 {
		t.Skipf("no <suite>/<Class>.json files in %s", dir)
	}
	sort.Strings(files)
	return dir, files
}

func readCompatFile(t *testing.T, path string) *compatFile {
	t.Helper()
	raw, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	var f compatFile
	if err := json.Unmarshal(raw, &f); err != nil {
		t.Fatalf("%s: %v", path, err)
	}
	return &f
}

// compatStats is the tally behind the summary line.
type compatStats struct {
	filesRun, filesSkipped int
	passed, failed, notRun int
	expected               int // failed as listed in expectedFailuresFile
	methodsSkippedByExport int
	setupBlockers          map[string]int // "POST /v1/query (bulk[…]) → 404" → classes
}

func TestHasuraCompat(t *testing.T) {
	dir, files := compatFiles(t)
	st := &compatStats{setupBlockers: map[string]int{}}
	suites := map[string][]string{}
	var order []string
	for _, p := range files {
		suite := filepath.Base(filepath.Dir(p))
		if _, ok := suites[suite]; !ok {
			order = append(order, suite)
		}
		suites[suite] = append(suites[suite], p)
	}
	for _, suite := range order {
		t.Run(suite, func(t *testing.T) {
			for _, p := range suites[suite] {
				class := strings.TrimSuffix(filepath.Base(p), ".json")
				t.Run(class, func(t *testing.T) { runCompatFile(t, p, st) })
			}
		})
	}
	var blockers []string
	for k, n := range st.setupBlockers {
		blockers = append(blockers, fmt.Sprintf("%s ×%d", k, n))
	}
	sort.Strings(blockers)
	t.Logf("Hasura compat (%s): files %d run, %d skipped; cases %d passed, %d failed, %d expected to fail (%s), %d not run; %d methods left out by the export",
		dir, st.filesRun, st.filesSkipped, st.passed, st.failed, st.expected, expectedFailuresFile, st.notRun-st.expected, st.methodsSkippedByExport)
	if len(blockers) > 0 {
		t.Logf("setup requests that skipped classes: %s", strings.Join(blockers, "; "))
	}
}

// runCompatFile replays one class (README: "Replaying a file").
func runCompatFile(t *testing.T, path string, st *compatStats) {
	f := readCompatFile(t, path)
	suite := filepath.Base(filepath.Dir(path))
	st.methodsSkippedByExport += len(f.Skipped)
	ranSetup := false
	defer func() {
		switch {
		case t.Skipped() || !ranSetup:
			st.filesSkipped++
			st.notRun += len(f.Cases)
		default:
			st.filesRun++
		}
	}()
	if len(f.Skipped) > 0 {
		var names []string
		for _, s := range f.Skipped {
			names = append(names, s.Name)
		}
		t.Logf("methods left out by the export (see the file's \"skipped\"): %s", strings.Join(names, ", "))
	}
	if len(f.Cases) == 0 {
		t.Skip("no cases")
	}

	base := newCompatServer(t)
	ctx := context.Background()

	for i, r := range f.Setup {
		ans, err := sendCompat(ctx, base, r)
		if err == nil && ans.status == http.StatusOK {
			continue
		}
		if strings.HasPrefix(r.Note, "postgis fixture") {
			t.Logf("tolerated: postgis fixture request failed: %s", describeFailure(r, ans, err))
			continue
		}
		key := fmt.Sprintf("%s %s (%s)", r.Method, r.URL, requestType(r))
		if err == nil {
			key += fmt.Sprintf(" → %d", ans.status)
		}
		st.setupBlockers[key]++
		t.Skipf("setup request %d/%d failed, the class's %d case(s) cannot be judged: %s",
			i+1, len(f.Setup), len(f.Cases), describeFailure(r, ans, err))
	}
	ranSetup = true
	defer func() {
		for _, r := range f.Teardown { // best effort
			if ans, err := sendCompat(ctx, base, r); err != nil || ans.status != http.StatusOK {
				t.Logf("teardown request failed: %s", describeFailure(r, ans, err))
			}
		}
	}()

	for start := 0; start < len(f.Cases); {
		end := start + 1
		for end < len(f.Cases) && f.Cases[end].Name == f.Cases[start].Name {
			end++
		}
		method := f.Cases[start:end:end]
		start = end

		var setupErr string
		for _, r := range f.MethodSetup {
			if ans, err := sendCompat(ctx, base, r); err != nil || ans.status != http.StatusOK {
				setupErr = "method_setup request failed: " + describeFailure(r, ans, err)
				break
			}
		}
		for i, c := range method {
			name := c.Name
			if len(method) > 1 {
				name = fmt.Sprintf("%s_%d", c.Name, i)
			}
			t.Run(name, func(t *testing.T) {
				defer func() {
					switch {
					case t.Failed():
						st.failed++
					case t.Skipped():
						st.notRun++
					default:
						st.passed++
					}
				}()
				failure := setupErr
				if failure == "" {
					failure = checkCompatCase(t, ctx, base, c)
				}
				if q, ok := wsReplayable(c); ok && failure == "" {
					failure = checkCompatWS(t, base, c, q, false)
					if failure == "" && suite == "subscriptions" {
						failure = checkCompatWS(t, base, c, q, true)
					}
				}
				id := compatID(path, name)
				reason, known := expectedFailures(t)[id]
				switch {
				case failure != "" && known:
					st.expected++
					t.Skipf("expected failure (%s): %s", reason, failure)
				case failure != "":
					t.Error(failure)
				case known:
					t.Errorf("%s passes now: remove it from %s", id, expectedFailuresFile)
				}
			})
		}
		for _, r := range f.MethodTeardown {
			if ans, err := sendCompat(ctx, base, r); err != nil || ans.status != http.StatusOK {
				t.Logf("method_teardown after %s failed: %s", method[0].Name, describeFailure(r, ans, err))
			}
		}
	}
}

// newCompatServer serves Trellis without metadata over a fresh database
// and returns its base URL.
func newCompatServer(t *testing.T) string {
	t.Helper()
	ctx := context.Background()
	dsn := pgtest.NewDatabase(t)
	db, err := exec.Open(ctx, exec.Config{DatabaseURL: dsn})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(db.Close)
	snap, version, err := metadataapi.Boot(ctx, db, nil)
	if err != nil {
		t.Fatal(err)
	}
	// Hasura's own test harness runs its engine with
	// --stringify-numeric-types (its cases expect bigint, numeric and
	// double precision values as strings); its documented default, which
	// Trellis keeps, is off.
	engine := gql.New(db, snap, gql.Options{StringifyNumeric: true})
	api := metadataapi.New(metadataapi.Config{DB: db, Engine: engine})
	api.SetVersion(version)
	// Live queries poll here: only their first result is compared.
	manager := live.New(live.Config{DB: db})
	t.Cleanup(manager.Close)
	srv := server.New(server.Config{
		Auth:     newAuth(t, auth.Config{}),
		Engine:   engine,
		Metadata: api,
		Version:  "v-test",
		Live:     manager,
	})
	ts := httptest.NewServer(srv.Handler())
	t.Cleanup(ts.Close)
	return ts.URL
}

// runCompatCase sends a case and compares the answer (README: "How a
// response is compared").
// checkCompatCase sends a case and compares the answer; it returns why
// the case fails, or "" when it passes.
func checkCompatCase(t *testing.T, ctx context.Context, base string, c compatCase) string {
	if c.Description != "" {
		t.Log(c.Description)
	}
	ans, err := sendCompat(ctx, base, c.compatRequest)
	if err != nil {
		return fmt.Sprintf("%s %s: %v", c.Method, c.URL, err)
	}
	want := c.Status
	if want == 0 {
		want = http.StatusOK
	}
	if ans.status != want {
		return fmt.Sprintf("%s %s (%s): status %d, want %d\nrequest:  %s\ngot:      %s",
			c.Method, c.URL, c.File, ans.status, want, truncate(compactJSON(c.Body), 2000), truncate(compactJSON(ans.body), 2000))
	}
	switch c.Compare {
	case "status":
		return ""
	case "exact", "unordered":
		if why, ok := matchCompat(t, c, c.Response, c.RespHeaders, c.Compare == "exact", ans); !ok {
			return fmt.Sprintf("%s %s (%s), compare %s: %s\nrequest:  %s\nexpected: %s\ngot:      %s",
				c.Method, c.URL, c.File, c.Compare, why, truncate(compactJSON(c.Body), 2000),
				truncate(compactJSON(c.Response), 4000), truncate(compactJSON(ans.body), 4000))
		}
	case "any-of":
		var whys, wants []string
		for i, a := range c.AllowedResponses {
			// Each is compared as exact or unordered would be: the walk
			// decides, as for an exact case.
			why, ok := matchCompat(t, c, a.Response, a.RespHeaders, true, ans)
			if ok {
				return ""
			}
			whys = append(whys, fmt.Sprintf("[%d] %s", i, why))
			wants = append(wants, fmt.Sprintf("[%d] %s", i, truncate(compactJSON(a.Response), 2000)))
		}
		return fmt.Sprintf("%s %s (%s): no allowed response matches:\n%s\nrequest:  %s\nexpected one of:\n%s\ngot:      %s",
			c.Method, c.URL, c.File, strings.Join(whys, "\n"), truncate(compactJSON(c.Body), 2000),
			strings.Join(wants, "\n"), truncate(compactJSON(ans.body), 4000))
	default:
		t.Fatalf("unsupported compare kind %q", c.Compare)
	}
	return ""
}

// matchCompat compares one expected response (and its headers) with the
// answer; why describes the first difference.
func matchCompat(t *testing.T, c compatCase, want json.RawMessage, wantHeaders map[string]string, ordered bool, ans compatAnswer) (why string, ok bool) {
	t.Helper()
	if emptyJSON(want) { // Hasura's harness checks nothing else then
		return "", true
	}
	ok, why, err := compareResponse(c.Body, want, ans.body, ordered)
	if err != nil {
		t.Fatalf("case %s: %v", c.Name, err)
	}
	if !ok {
		return why, false
	}
	for name, v := range wantHeaders {
		got, present := ans.header[http.CanonicalHeaderKey(name)]
		if !present || strings.Join(got, ", ") != v {
			return fmt.Sprintf("response header %s: expected %q, got %q", name, v, strings.Join(got, ", ")), false
		}
	}
	return "", true
}

// emptyJSON is Python's falsiness of a decoded response: absent, null,
// {}, [] or "".
func emptyJSON(raw json.RawMessage) bool {
	switch compactJSON(raw) {
	case "", "null", "{}", "[]", `""`:
		return true
	}
	return false
}

// sendCompat sends a request as Hasura's harness does: the JSON body as
// application/json with exactly the case's headers; a string body with a
// content_type verbatim.
func sendCompat(ctx context.Context, base string, r compatRequest) (compatAnswer, error) {
	method := r.Method
	if method == "" {
		method = http.MethodPost
	}
	var body io.Reader
	contentType := ""
	switch {
	case r.ContentType != "" && len(r.Body) > 0 && r.Body[0] == '"':
		var s string
		if err := json.Unmarshal(r.Body, &s); err != nil {
			return compatAnswer{}, err
		}
		body, contentType = strings.NewReader(s), r.ContentType
	case len(r.Body) > 0:
		body, contentType = bytes.NewReader(r.Body), "application/json"
	}
	ctx, cancel := context.WithTimeout(ctx, time.Minute)
	defer cancel()
	req, err := http.NewRequestWithContext(ctx, method, base+r.URL, body)
	if err != nil {
		return compatAnswer{}, err
	}
	if contentType != "" {
		req.Header.Set("Content-Type", contentType)
	}
	for k, v := range r.Headers {
		req.Header.Set(k, v)
	}
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		return compatAnswer{}, err
	}
	defer resp.Body.Close()
	out, err := io.ReadAll(resp.Body)
	if err != nil {
		return compatAnswer{}, err
	}
	return compatAnswer{status: resp.StatusCode, header: resp.Header, body: out}, nil
}

// requestType is the request body's "type" (run_sql, bulk, …), with the
// types inside a bulk.
func requestType(r compatRequest) string {
	var b struct {
		Type string          `json:"type"`
		Args json.RawMessage `json:"args"`
	}
	if json.Unmarshal(r.Body, &b) != nil || b.Type == "" {
		return "no type"
	}
	if b.Type != "bulk" {
		return b.Type
	}
	var args []struct {
		Type string `json:"type"`
	}
	if json.Unmarshal(b.Args, &args) != nil {
		return b.Type
	}
	var types []string
	for _, a := range args {
		types = append(types, a.Type)
	}
	return "bulk[" + strings.Join(types, ",") + "]"
}

// describeFailure names a failed request and what it answered.
func describeFailure(r compatRequest, ans compatAnswer, err error) string {
	from := r.File
	if from == "" {
		from = r.Note
	}
	s := fmt.Sprintf("%s %s, type %s (%s): ", r.Method, r.URL, requestType(r), from)
	if err != nil {
		return s + err.Error()
	}
	return s + fmt.Sprintf("status %d, body %s", ans.status, truncate(strings.TrimSpace(compactJSON(ans.body)), 300))
}

// anyOrdered reports whether some object in v is still compared in key
// order.
func anyOrdered(v any) bool {
	switch v := v.(type) {
	case *jsonObject:
		if v.ordered {
			return true
		}
		for _, x := range v.vals {
			if anyOrdered(x) {
				return true
			}
		}
	case []any:
		for _, x := range v {
			if anyOrdered(x) {
				return true
			}
		}
	}
	return false
}

// TestHasuraCompatExportWalk checks the comparison's selection-set walk
// against the export's own classification: the walk succeeds on the
// expected response (and leaves some key order to check) exactly for the
// cases marked `exact`.
func TestHasuraCompatExportWalk(t *testing.T) {
	_, files := compatFiles(t)
	n := 0
	for _, p := range files {
		f := readCompatFile(t, p)
		for _, c := range f.Cases {
			responses := []json.RawMessage{c.Response}
			if c.Compare == "any-of" {
				responses = responses[:0]
				for _, a := range c.AllowedResponses {
					responses = append(responses, a.Response)
				}
			} else if c.Compare != "exact" && c.Compare != "unordered" {
				continue
			}
			for _, resp := range responses {
				// Where the walk succeeds but reaches no object (an error
				// body without "data"), no key order is left to check:
				// the export calls that unordered.
				set, perr := graphQLSelection(c.Body)
				var walkErr error
				walks := false
				if perr == nil {
					var v any
					v, walkErr = prepareBody(resp, set, true)
					walks = walkErr == nil && anyOrdered(v)
				}
				n++
				switch {
				case c.Compare == "exact" && !walks:
					t.Errorf("%s %s (%s): marked exact but the walk fails: %v %v", filepath.Base(p), c.Name, c.File, perr, walkErr)
				case c.Compare == "unordered" && walks:
					t.Errorf("%s %s (%s): marked unordered but the walk succeeds", filepath.Base(p), c.Name, c.File)
				}
			}
		}
	}
	t.Logf("%d expected responses checked", n)
}

// expectedFailuresFile lists the cases Trellis does not pass yet, each with
// the reason (usually the open issue that brings the feature). A listed
// case that fails is reported as skipped; one that passes fails the test,
// so that the list only shrinks.
const expectedFailuresFile = "testdata/compat_expected_failures.txt"

var (
	expectedOnce sync.Once
	expectedList map[string]string
)

// expectedFailures reads expectedFailuresFile: one case a line,
// "<suite>/<class>/<case> <reason>"; # starts a comment.
func expectedFailures(t *testing.T) map[string]string {
	expectedOnce.Do(func() {
		expectedList = map[string]string{}
		raw, err := os.ReadFile(expectedFailuresFile)
		if err != nil {
			return
		}
		for _, line := range strings.Split(string(raw), "\n") {
			line = strings.TrimSpace(line)
			if line == "" || strings.HasPrefix(line, "#") {
				continue
			}
			id, reason, _ := strings.Cut(line, " ")
			expectedList[id] = strings.TrimSpace(reason)
		}
	})
	return expectedList
}

// compatID names a case as the expected-failures file does.
func compatID(path, name string) string {
	return filepath.Base(filepath.Dir(path)) + "/" + strings.TrimSuffix(filepath.Base(path), ".json") + "/" + name
}
