package main

import (
	"bytes"
	"context"
	"fmt"
	"io"
	"net"
	"net/http"
	"net/url"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"syscall"
	"time"
)

// engineAppName is the application_name of the engine's connections.
const engineAppName = "trellis-bench-fanout"

// metadataFiles is the metadata directory (Hasura's v3 layout) tracking
// the counters table; admin is the only role.
var metadataFiles = map[string]string{
	"version.yaml": "version: 3\n",
	"databases/databases.yaml": `- name: default
  kind: postgres
  configuration:
    connection_info:
      database_url:
        from_env: HASURA_GRAPHQL_DATABASE_URL
      isolation_level: read-committed
      use_prepared_statements: true
  tables: "!include default/tables/tables.yaml"
`,
	"databases/default/tables/tables.yaml": "- \"!include public_counters.yaml\"\n",
	"databases/default/tables/public_counters.yaml": `table:
  name: counters
  schema: public
`,
}

// writeMetadata writes the metadata directory into dir/metadata.
func writeMetadata(dir string) error {
	root := filepath.Join(dir, "metadata")
	if err := os.RemoveAll(root); err != nil {
		return err
	}
	for name, text := range metadataFiles {
		p := filepath.Join(root, name)
		if err := os.MkdirAll(filepath.Dir(p), 0o755); err != nil {
			return err
		}
		if err := os.WriteFile(p, []byte(text), 0o644); err != nil {
			return err
		}
	}
	return nil
}

// engine is a running `trellis serve`.
type engine struct {
	cmd    *exec.Cmd
	log    *os.File
	exited chan struct{}
	base   string // http://127.0.0.1:<port>
}

// startEngine starts the engine on o.Port and waits for /healthz. It runs
// with none of the caller's TRELLIS_* and HASURA_GRAPHQL_* variables.
func startEngine(ctx context.Context, o options) (*engine, error) {
	l, err := net.Listen("tcp", fmt.Sprintf("127.0.0.1:%d", o.Port))
	if err != nil {
		return nil, fmt.Errorf("port %d is taken: %w", o.Port, err)
	}
	l.Close()
	dbURL, err := withAppName(o.DatabaseURL, engineAppName)
	if err != nil {
		return nil, err
	}
	logf, err := os.Create(filepath.Join(o.WorkDir, "engine.log"))
	if err != nil {
		return nil, err
	}
	cmd := exec.Command(o.Trellis, "serve",
		"--database-url", dbURL,
		"--metadata-dir", filepath.Join(o.WorkDir, "metadata"),
		"--host", "127.0.0.1",
		"--port", fmt.Sprint(o.Port),
		"--enable-console=false")
	cmd.Env = append(cleanEnv(), "TRELLIS_LOG_LEVEL=warn", "HASURA_GRAPHQL_DATABASE_URL="+dbURL)
	cmd.Stdout, cmd.Stderr = logf, logf
	if err := cmd.Start(); err != nil {
		logf.Close()
		return nil, err
	}
	e := &engine{cmd: cmd, log: logf, exited: make(chan struct{}), base: fmt.Sprintf("http://127.0.0.1:%d", o.Port)}
	go func() {
		_ = cmd.Wait() // the exit status is in the log; stop only needs to know it ended
		close(e.exited)
	}()
	if err := e.waitReady(ctx); err != nil {
		e.stop()
		return nil, fmt.Errorf("%w (log: %s)", err, logf.Name())
	}
	return e, nil
}

// withAppName sets application_name in a postgres:// URL.
func withAppName(dbURL, name string) (string, error) {
	u, err := url.Parse(dbURL)
	if err != nil || u.Scheme == "" {
		return "", fmt.Errorf("the benchmark needs a postgres:// URL, not a key=value connection string")
	}
	q := u.Query()
	q.Set("application_name", name)
	u.RawQuery = q.Encode()
	return u.String(), nil
}

// cleanEnv is the environment without TRELLIS_* and HASURA_GRAPHQL_* names.
func cleanEnv() []string {
	var env []string
	for _, kv := range os.Environ() {
		if !strings.HasPrefix(kv, "TRELLIS_") && !strings.HasPrefix(kv, "HASURA_GRAPHQL_") {
			env = append(env, kv)
		}
	}
	return env
}

// waitReady polls /healthz for up to 60 seconds.
func (e *engine) waitReady(ctx context.Context) error {
	ctx, cancel := context.WithTimeout(ctx, 60*time.Second)
	defer cancel()
	tick := time.NewTicker(50 * time.Millisecond)
	defer tick.Stop()
	for {
		req, err := http.NewRequestWithContext(ctx, http.MethodGet, e.base+"/healthz", nil)
		if err != nil {
			return err
		}
		if resp, err := http.DefaultClient.Do(req); err == nil {
			resp.Body.Close()
			if resp.StatusCode == http.StatusOK {
				return nil
			}
		}
		select {
		case <-e.exited:
			return fmt.Errorf("the engine exited before it answered /healthz")
		case <-ctx.Done():
			return fmt.Errorf("the engine did not answer /healthz: %w", ctx.Err())
		case <-tick.C:
		}
	}
}

// query posts one GraphQL query and fails unless it answers data: it
// builds the admin schema before memory is measured.
func (e *engine) query(ctx context.Context, q string) error {
	body := strings.NewReader(fmt.Sprintf(`{"query":%q}`, q))
	req, err := http.NewRequestWithContext(ctx, http.MethodPost, e.base+"/v1/graphql", body)
	if err != nil {
		return err
	}
	req.Header.Set("Content-Type", "application/json")
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		return err
	}
	defer resp.Body.Close()
	raw, err := io.ReadAll(resp.Body)
	if err != nil {
		return err
	}
	if resp.StatusCode != http.StatusOK || !bytes.HasPrefix(raw, []byte(`{"data"`)) {
		return fmt.Errorf("warm-up query: HTTP %d: %s", resp.StatusCode, raw)
	}
	return nil
}

// Pid is the engine's process id.
func (e *engine) Pid() int { return e.cmd.Process.Pid }

// stop asks the engine to shut down (SIGTERM) and kills it after 15 s.
func (e *engine) stop() {
	_ = e.cmd.Process.Signal(syscall.SIGTERM) // fails only when it has exited already
	select {
	case <-e.exited:
	case <-time.After(15 * time.Second):
		_ = e.cmd.Process.Kill()
		<-e.exited
	}
	e.log.Close()
}
