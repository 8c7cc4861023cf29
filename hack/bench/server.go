package main

import (
	"context"
	"fmt"
	"net"
	"net/http"
	"os"
	"os/exec"
	"strings"
	"syscall"
	"time"
)

// serverConfig says how to start a server under test: the engine or the
// floor (targets.go fills it in).
type serverConfig struct {
	Name    string   // "engine" or "floor", for messages
	Binary  string   // the executable
	Args    []string // its arguments
	Env     []string // added to the environment, NAME=value
	Port    int      // the 127.0.0.1 port it listens on, as Args say
	LogFile string   // its stdout and stderr
	// AppName is the application_name its pool connects with (set in the
	// database URL it gets): the Postgres backends serving it are found by
	// it.
	AppName string
	// URL is where a case's requests go, given the server's base URL
	// (http://127.0.0.1:<port>).
	URL func(base string, c benchCase) string
}

// server is a running server under test.
type server struct {
	cfg    serverConfig
	cmd    *exec.Cmd
	log    *os.File
	exited chan struct{}
	base   string
}

// startServer starts the server and waits until /healthz answers 200. It
// runs with none of the caller's TRELLIS_* and HASURA_GRAPHQL_* variables,
// so that an admin secret or another setting in the shell cannot change
// what is measured.
func startServer(ctx context.Context, c serverConfig) (*server, error) {
	// Another server on the port would answer /healthz and be measured in
	// place of ours: refuse to start then.
	l, err := net.Listen("tcp", fmt.Sprintf("127.0.0.1:%d", c.Port))
	if err != nil {
		return nil, fmt.Errorf("%s: port %d is taken: %w", c.Name, c.Port, err)
	}
	l.Close()
	logf, err := os.Create(c.LogFile)
	if err != nil {
		return nil, err
	}
	cmd := exec.Command(c.Binary, c.Args...)
	cmd.Env = append(cleanEnv(), c.Env...)
	cmd.Stdout, cmd.Stderr = logf, logf
	if err := cmd.Start(); err != nil {
		logf.Close()
		return nil, fmt.Errorf("%s: %w", c.Name, err)
	}
	s := &server{cfg: c, cmd: cmd, log: logf, exited: make(chan struct{}),
		base: fmt.Sprintf("http://127.0.0.1:%d", c.Port)}
	go func() {
		_ = cmd.Wait() // the exit status is in the log; stop and waitReady only need to know it ended
		close(s.exited)
	}()
	if err := s.waitReady(ctx, s.base+"/healthz"); err != nil {
		s.stop()
		return nil, fmt.Errorf("%w (%s log: %s)", err, c.Name, c.LogFile)
	}
	return s, nil
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
func (s *server) waitReady(ctx context.Context, url string) error {
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
		case <-s.exited:
			return fmt.Errorf("the %s exited before it answered /healthz", s.cfg.Name)
		case <-ctx.Done():
			return fmt.Errorf("the %s did not answer %s: %w", s.cfg.Name, url, ctx.Err())
		case <-tick.C:
		}
	}
}

// Name is "engine" or "floor".
func (s *server) Name() string { return s.cfg.Name }

// Pid is the server's process id.
func (s *server) Pid() int { return s.cmd.Process.Pid }

// AppName is the application_name of the server's Postgres connections.
func (s *server) AppName() string { return s.cfg.AppName }

// URL is where the requests of case c go.
func (s *server) URL(c benchCase) string { return s.cfg.URL(s.base, c) }

// stop asks the server to shut down (SIGTERM) and kills it after 15 s.
func (s *server) stop() {
	_ = s.cmd.Process.Signal(syscall.SIGTERM) // fails only when it has exited already
	select {
	case <-s.exited:
	case <-time.After(15 * time.Second):
		_ = s.cmd.Process.Kill()
		<-s.exited
	}
	s.log.Close()
}
