package main

import (
	"bufio"
	"bytes"
	"context"
	"errors"
	"io"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/trellis-gql/trellis/engine/pgtest"
)

// The end-to-end tests drive the built binary, as a developer or a
// pipeline does: `go build` once per test process, then trellis serve on a
// fresh database and the project commands against it.

var built struct {
	once sync.Once
	path string
	err  error
}

// binary builds cmd/trellis once and returns its path.
func binary(t *testing.T) string {
	t.Helper()
	built.once.Do(func() {
		dir, err := os.MkdirTemp("", "trellis-e2e-")
		if err != nil {
			built.err = err
			return
		}
		built.path = filepath.Join(dir, "trellis")
		out, err := exec.Command("go", "build", "-o", built.path, ".").CombinedOutput()
		if err != nil {
			built.err = errors.New(string(out))
		}
	})
	if built.err != nil {
		t.Fatalf("building trellis: %v", built.err)
	}
	return built.path
}

// engine is a `trellis serve` process on its own database.
type engine struct {
	url   string // http://127.0.0.1:port
	dbURL string
}

var servingLine = regexp.MustCompile(`graphql=http://([0-9.:]+)/v1/graphql`)

// startEngine serves a new, empty database; the process ends with the test.
func startEngine(t *testing.T) engine {
	t.Helper()
	dbURL := pgtest.NewDatabase(t)
	ctx, cancel := context.WithCancel(context.Background())
	cmd := exec.CommandContext(ctx, binary(t), "serve", "--database-url", dbURL, "--host", "127.0.0.1", "--port", "0", "--enable-console=false")
	cmd.Env = cleanEnv()
	stderr, err := cmd.StderrPipe()
	if err != nil {
		t.Fatal(err)
	}
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	var logs bytes.Buffer
	addr := make(chan string, 1)
	done := make(chan struct{})
	go func() {
		defer close(done)
		sc := bufio.NewScanner(stderr)
		for sc.Scan() {
			logs.WriteString(sc.Text() + "\n")
			if m := servingLine.FindStringSubmatch(sc.Text()); m != nil {
				addr <- m[1]
			}
		}
		io.Copy(io.Discard, stderr)
	}()
	t.Cleanup(func() {
		cancel()
		<-done
		_ = cmd.Wait()
	})
	select {
	case a := <-addr:
		return engine{url: "http://" + a, dbURL: dbURL}
	case <-done:
		t.Fatalf("trellis serve ended before serving:\n%s", logs.String())
	case <-time.After(time.Minute):
		t.Fatalf("trellis serve did not start within a minute:\n%s", logs.String())
	}
	return engine{}
}

// cleanEnv is the environment without settings that would point the CLI
// or the engine elsewhere.
func cleanEnv() []string {
	var out []string
	for _, kv := range os.Environ() {
		if strings.HasPrefix(kv, "HASURA_GRAPHQL_") || strings.HasPrefix(kv, "TRELLIS_") || strings.HasPrefix(kv, "DATABASE_URL=") {
			continue
		}
		out = append(out, kv)
	}
	return out
}

// cli runs the binary in a folder, as a user at a prompt without a TTY.
type cli struct {
	t   *testing.T
	dir string
	env []string
}

type result struct {
	stdout, stderr string
	code           int
}

func (c cli) run(args ...string) result {
	c.t.Helper()
	cmd := exec.Command(binary(c.t), args...)
	cmd.Dir = c.dir
	cmd.Env = append(cleanEnv(), c.env...)
	var out, errOut bytes.Buffer
	cmd.Stdout, cmd.Stderr, cmd.Stdin = &out, &errOut, nil
	err := cmd.Run()
	code := 0
	var exit *exec.ExitError
	if errors.As(err, &exit) {
		code = exit.ExitCode()
	} else if err != nil {
		c.t.Fatalf("trellis %s: %v", strings.Join(args, " "), err)
	}
	return result{out.String(), errOut.String(), code}
}

// ok runs a command that must succeed and returns its stdout.
func (c cli) ok(args ...string) string {
	c.t.Helper()
	r := c.run(args...)
	if r.code != 0 {
		c.t.Fatalf("trellis %s: exit %d\nstdout: %s\nstderr: %s", strings.Join(args, " "), r.code, r.stdout, r.stderr)
	}
	return r.stdout
}

// fails runs a command that must exit with code and returns its result.
func (c cli) fails(code int, args ...string) result {
	c.t.Helper()
	r := c.run(args...)
	if r.code != code {
		c.t.Fatalf("trellis %s: exit %d, want %d\nstdout: %s\nstderr: %s", strings.Join(args, " "), r.code, code, r.stdout, r.stderr)
	}
	return r
}

// readTree reads every file under dir, keyed by slash path.
func readTree(t *testing.T, dir string) map[string]string {
	t.Helper()
	out := map[string]string{}
	err := filepath.WalkDir(dir, func(p string, d os.DirEntry, err error) error {
		if err != nil || d.IsDir() {
			return err
		}
		b, err := os.ReadFile(p)
		rel, _ := filepath.Rel(dir, p)
		out[filepath.ToSlash(rel)] = string(b)
		return err
	})
	if err != nil {
		t.Fatal(err)
	}
	return out
}

func writeFile(t *testing.T, path, body string) {
	t.Helper()
	if err := os.MkdirAll(filepath.Dir(path), 0o755); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(path, []byte(body), 0o644); err != nil {
		t.Fatal(err)
	}
}

// schemaDump is pg_dump --schema-only of the public schema.
func schemaDump(t *testing.T, dbURL string) string {
	t.Helper()
	out, err := exec.Command("pg_dump", "--schema-only", "--no-owner", "--no-privileges", "--schema", "public", "--dbname", dbURL).Output()
	if err != nil {
		t.Fatalf("pg_dump: %v", err)
	}
	// pg_dump 15.14+ writes a random \restrict key.
	return regexp.MustCompile(`(?m)^\\(un)?restrict .*$`).ReplaceAllString(string(out), "")
}
