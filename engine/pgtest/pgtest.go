package pgtest

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"net/url"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/jackc/pgx/v5"
	"github.com/jackc/pgx/v5/pgconn"
	"github.com/ory/dockertest/v3"
	"github.com/ory/dockertest/v3/docker"
)

// EnvDatabaseURL names the environment variable that points the harness at
// an existing server.
const EnvDatabaseURL = "TRELLIS_TEST_DATABASE_URL"

// Where the server came from; see source.
const (
	sourceEnv    = "env"
	sourceDocker = "docker"
	sourceHack   = "hack"
)

const (
	dockerRepository = "postgis/postgis"
	dockerTag        = "15-3.4"
	dockerExpiry     = 3600 // seconds; the container outlives no test run
	startTimeout     = 10 * time.Minute
	adminTimeout     = time.Minute
)

// server is the process-wide test server, resolved once. It is the only
// state of the package: one server per test process is the point of it.
var server struct {
	once   sync.Once
	url    string
	source string
	err    error
}

// seq numbers the databases created by this process.
var seq atomic.Int64

// ServerURL returns the connection string of the test server's maintenance
// database ("postgres"), starting the server if needed. The first call in a
// process picks the server (see the package documentation); when no server
// can be had it fails the test with t.Fatal, and so does every later call.
func ServerURL(t testing.TB) string {
	t.Helper()
	server.once.Do(func() {
		server.url, server.source, server.err = findServer()
	})
	if server.err != nil {
		t.Fatalf("pgtest: no PostgreSQL server for tests: %v\n"+
			"Set %s to a server URL, run a Docker engine, or let hack/pg.sh start a local cluster "+
			"(it needs PostgreSQL 15+ binaries, which it installs when run as root).",
			server.err, EnvDatabaseURL)
	}
	return server.url
}

// NewDatabase returns the connection string of a new, empty database on the
// test server (created from template0), dropped when the test ends with
// DROP DATABASE … WITH (FORCE), which also ends connections the test left open.
func NewDatabase(t testing.TB) string {
	t.Helper()
	admin := ServerURL(t)
	name := fmt.Sprintf("trellis_t_%d_%d", os.Getpid(), seq.Add(1))
	dbURL, err := withDatabase(admin, name)
	if err != nil {
		t.Fatalf("pgtest: %v", err)
	}
	ident := pgx.Identifier{name}.Sanitize()
	if err := adminExec(admin, "CREATE DATABASE "+ident+" TEMPLATE template0"); err != nil {
		t.Fatalf("pgtest: create database %s: %v", name, err)
	}
	t.Cleanup(func() {
		if err := dropDatabase(admin, name); err != nil {
			t.Errorf("pgtest: drop database %s: %v", name, err)
		}
	})
	return dbURL
}

// dropDatabase drops a test database. A replication slot still in use
// (a live query engine's temporary slot, whose WAL sender ends a moment
// after its client closed) would stop the drop: the WAL senders are
// ended and the slots dropped first, retrying for a few seconds.
func dropDatabase(admin, name string) error {
	drop := "DROP DATABASE IF EXISTS " + pgx.Identifier{name}.Sanitize() + " WITH (FORCE)"
	var err error
	for range 50 {
		if err = adminExec(admin, drop); err == nil {
			return nil
		}
		var pgErr *pgconn.PgError
		if !errors.As(err, &pgErr) || pgErr.Code != "55006" {
			return err
		}
		_ = adminExecArgs(admin, `SELECT pg_terminate_backend(active_pid) FROM pg_replication_slots WHERE database = $1 AND active_pid IS NOT NULL`, name)
		_ = adminExecArgs(admin, `SELECT pg_drop_replication_slot(slot_name) FROM pg_replication_slots WHERE database = $1 AND NOT active`, name)
		time.Sleep(100 * time.Millisecond)
	}
	return err
}

// adminExecArgs is adminExec with arguments.
func adminExecArgs(admin, sql string, args ...any) error {
	ctx, cancel := context.WithTimeout(context.Background(), adminTimeout)
	defer cancel()
	conn, err := pgx.Connect(ctx, admin)
	if err != nil {
		return fmt.Errorf("connect: %w", err)
	}
	defer conn.Close(context.Background())
	_, err = conn.Exec(ctx, sql, args...)
	return err
}

// adminExec runs one statement on a short-lived connection to the
// maintenance database.
func adminExec(admin, sql string) error { return adminExecArgs(admin, sql) }

// withDatabase returns connection string connStr pointed at database name.
// It accepts both URLs and keyword/value strings.
func withDatabase(connStr, name string) (string, error) {
	if strings.HasPrefix(connStr, "postgres://") || strings.HasPrefix(connStr, "postgresql://") {
		u, err := url.Parse(connStr)
		if err != nil {
			return "", fmt.Errorf("parse server URL: %w", err)
		}
		u.Path = "/" + name
		u.RawPath = ""
		return u.String(), nil
	}
	// In keyword/value form the last setting of a keyword wins.
	return strings.TrimSpace(connStr) + " dbname=" + name, nil
}

// findServer picks the test server: the environment, Docker, or the hack
// cluster, in that order.
func findServer() (connStr, source string, err error) {
	if u := strings.TrimSpace(os.Getenv(EnvDatabaseURL)); u != "" {
		return u, sourceEnv, nil
	}
	if pool := dockerPool(); pool != nil {
		u, err := startDocker(pool)
		if err != nil {
			return "", "", fmt.Errorf("docker: %w", err)
		}
		return u, sourceDocker, nil
	}
	u, err := startHack()
	if err != nil {
		return "", "", fmt.Errorf("hack/pg.sh: %w", err)
	}
	return u, sourceHack, nil
}

// dockerPool returns a pool for a Docker engine that answers a ping, or nil.
func dockerPool() *dockertest.Pool {
	if os.Getenv("DOCKER_HOST") == "" && os.Getenv("DOCKER_URL") == "" {
		if _, err := os.Stat("/var/run/docker.sock"); err != nil {
			return nil
		}
	}
	pool, err := dockertest.NewPool("")
	if err != nil {
		return nil
	}
	ctx, cancel := context.WithTimeout(context.Background(), 3*time.Second)
	defer cancel()
	if err := pool.Client.PingWithContext(ctx); err != nil {
		return nil
	}
	return pool
}

// startDocker runs a PostGIS container and waits until it accepts
// connections. The container removes itself when it stops and is stopped
// after dockerExpiry seconds, as nothing else would stop it.
func startDocker(pool *dockertest.Pool) (string, error) {
	res, err := pool.RunWithOptions(&dockertest.RunOptions{
		Repository: dockerRepository,
		Tag:        dockerTag,
		Env:        []string{"POSTGRES_PASSWORD=postgres", "POSTGRES_HOST_AUTH_METHOD=trust"},
		Cmd: []string{"postgres",
			"-c", "wal_level=logical", "-c", "max_replication_slots=20", "-c", "max_wal_senders=20",
			"-c", "max_connections=200", "-c", "fsync=off", "-c", "synchronous_commit=off",
			"-c", "full_page_writes=off"},
		Labels: map[string]string{"trellis-pgtest": "1"},
	}, func(hc *docker.HostConfig) {
		hc.AutoRemove = true
		hc.RestartPolicy = docker.RestartPolicy{Name: "no"}
	})
	if err != nil {
		return "", fmt.Errorf("run %s:%s: %w", dockerRepository, dockerTag, err)
	}
	if err := res.Expire(dockerExpiry); err != nil {
		return "", errors.Join(fmt.Errorf("expire container: %w", err), pool.Purge(res))
	}
	connStr := fmt.Sprintf("postgres://postgres:postgres@%s/postgres?sslmode=disable", res.GetHostPort("5432/tcp"))
	pool.MaxWait = 2 * time.Minute
	err = pool.Retry(func() error {
		ctx, cancel := context.WithTimeout(context.Background(), 5*time.Second)
		defer cancel()
		conn, err := pgx.Connect(ctx, connStr)
		if err != nil {
			return err
		}
		defer conn.Close(context.Background())
		return conn.Ping(ctx)
	})
	if err != nil {
		return "", errors.Join(fmt.Errorf("wait for the container: %w", err), pool.Purge(res))
	}
	return connStr, nil
}

// startHack starts the repository's cluster with hack/pg.sh and returns its URL.
func startHack() (string, error) {
	root, err := repoRoot()
	if err != nil {
		return "", err
	}
	script := filepath.Join(root, "hack", "pg.sh")
	if _, err := runScript(script, "start"); err != nil {
		return "", err
	}
	return runScript(script, "url")
}

// runScript runs hack/pg.sh with one argument and returns the last line of
// its stdout.
func runScript(script, arg string) (string, error) {
	ctx, cancel := context.WithTimeout(context.Background(), startTimeout)
	defer cancel()
	var stdout, stderr bytes.Buffer
	cmd := exec.CommandContext(ctx, "bash", script, arg)
	cmd.Stdout = &stdout
	cmd.Stderr = &stderr
	if err := cmd.Run(); err != nil {
		return "", fmt.Errorf("%s %s: %w\n%s", script, arg, err, strings.TrimSpace(stderr.String()))
	}
	lines := strings.Split(strings.TrimSpace(stdout.String()), "\n")
	last := strings.TrimSpace(lines[len(lines)-1])
	if last == "" {
		return "", fmt.Errorf("%s %s printed no URL", script, arg)
	}
	return last, nil
}

// repoRoot walks up from the working directory to the directory holding
// go.mod and hack/pg.sh.
func repoRoot() (string, error) {
	dir, err := os.Getwd()
	if err != nil {
		return "", err
	}
	for {
		if fileExists(filepath.Join(dir, "go.mod")) && fileExists(filepath.Join(dir, "hack", "pg.sh")) {
			return dir, nil
		}
		parent := filepath.Dir(dir)
		if parent == dir {
			return "", errors.New("no go.mod with hack/pg.sh above the working directory")
		}
		dir = parent
	}
}

func fileExists(path string) bool {
	_, err := os.Stat(path)
	return err == nil
}
