package main

import (
	"context"
	"errors"
	"fmt"
	"net"
	"net/http"
	"os"
	"os/exec"
	"strings"
	"syscall"
	"time"
)

// engineConfig says how to start the engine under test.
type engineConfig struct {
	Binary      string // the trellis binary
	DatabaseURL string
	MetadataDir string
	Port        int
	LogFile     string   // the engine's stdout and stderr
	ExtraArgs   []string // more `trellis serve` flags
}

// engine is a running `trellis serve`.
type engine struct {
	cmd    *exec.Cmd
	log    *os.File
	exited chan struct{}
	// URL is the GraphQL endpoint.
	URL string
}

// startEngine starts the engine and waits until /healthz answers. It runs
// with none of the caller's TRELLIS_* and HASURA_GRAPHQL_* variables, so
// that an admin secret or another setting in the shell cannot change what
// is measured.
func startEngine(ctx context.Context, c engineConfig) (*engine, error) {
	// Another server on the port would answer /healthz and be measured in
	// place of ours: refuse to start then.
	l, err := net.Listen("tcp", fmt.Sprintf("127.0.0.1:%d", c.Port))
	if err != nil {
		return nil, fmt.Errorf("port %d is taken (set BENCH_PORT): %w", c.Port, err)
	}
	l.Close()
	logf, err := os.Create(c.LogFile)
	if err != nil {
		return nil, err
	}
	base := fmt.Sprintf("http://127.0.0.1:%d", c.Port)
	args := append([]string{"serve",
		"--database-url", c.DatabaseURL,
		"--metadata-dir", c.MetadataDir,
		"--host", "127.0.0.1",
		"--port", fmt.Sprint(c.Port),
		"--enable-console=false",
		"--log-level", "warn",
	}, c.ExtraArgs...)
	cmd := exec.Command(c.Binary, args...)
	cmd.Env = append(cleanEnv(), "HASURA_GRAPHQL_DATABASE_URL="+c.DatabaseURL)
	cmd.Stdout, cmd.Stderr = logf, logf
	if err := cmd.Start(); err != nil {
		logf.Close()
		return nil, err
	}
	e := &engine{cmd: cmd, log: logf, exited: make(chan struct{}), URL: base + "/v1/graphql"}
	go func() {
		_ = cmd.Wait() // the exit status is in the log; stop and waitReady only need to know it ended
		close(e.exited)
	}()
	if err := e.waitReady(ctx, base+"/healthz"); err != nil {
		e.stop()
		return nil, fmt.Errorf("%w (engine log: %s)", err, c.LogFile)
	}
	return e, nil
}

// cleanEnv is the environment without TRELLIS_* and HASURA_GRAPHQL_* names.
func cleanEnv() []string {
	var env []string
	for _, kv := range os.Environ() {
		if strings.HasPrefix(kv, "TRELLIS_") || strings.HasPrefix(kv, "HASURA_GRAPHQL_") {
			continue
		}
		env = append(env, kv)
	}
	return env
}

// waitReady polls the health endpoint for up to 60 seconds.
func (e *engine) waitReady(ctx context.Context, url string) error {
	ctx, cancel := context.WithTimeout(ctx, 60*time.Second)
	defer cancel()
	tick := time.NewTicker(100 * time.Millisecond)
	defer tick.Stop()
	for {
		req, err := http.NewRequestWithContext(ctx, http.MethodGet, url, nil)
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
			return errors.New("the engine exited before it answered /healthz")
		case <-ctx.Done():
			return fmt.Errorf("the engine did not answer %s: %w", url, ctx.Err())
		case <-tick.C:
		}
	}
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
