package pgtest

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"net"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
	"time"
)

// ClusterOptions configures a private cluster.
type ClusterOptions struct {
	// WalLevel is the server's wal_level: "minimal", "replica" or
	// "logical" (the default).
	WalLevel string
}

// Cluster is a private PostgreSQL cluster run by hack/pg.sh in a folder of
// its own, for tests that restart the server or need other settings than
// the shared one. Its superuser is "postgres", with trust authentication.
type Cluster struct {
	script string
	root   string
	port   int
	env    []string
}

// clusterTimeout bounds one hack/pg.sh command on a private cluster.
const clusterTimeout = 2 * time.Minute

// NewCluster initialises and starts a private cluster on a free port. The
// test is skipped, with the script's output, when hack/pg.sh cannot start
// it (no PostgreSQL binaries, say). The cluster is stopped and its folder
// removed when the test ends.
func NewCluster(t testing.TB, opts ClusterOptions) *Cluster {
	t.Helper()
	if opts.WalLevel == "" {
		opts.WalLevel = "logical"
	}
	repo, err := repoRoot()
	if err != nil {
		t.Fatalf("pgtest: %v", err)
	}
	root, err := clusterRoot()
	if err != nil {
		t.Fatalf("pgtest: %v", err)
	}
	port, err := freePort()
	if err != nil {
		t.Fatalf("pgtest: %v", errors.Join(err, os.RemoveAll(root)))
	}
	c := &Cluster{
		script: filepath.Join(repo, "hack", "pg.sh"),
		root:   root,
		port:   port,
		env: append(os.Environ(),
			"TRELLIS_PG_ROOT="+root,
			fmt.Sprintf("TRELLIS_PG_PORT=%d", port),
			"TRELLIS_PG_WAL_LEVEL="+opts.WalLevel),
	}
	t.Cleanup(func() {
		if out, err := c.run("stop"); err != nil {
			t.Errorf("pgtest: stop cluster: %v\n%s", err, out)
		}
		if err := os.RemoveAll(c.root); err != nil {
			t.Errorf("pgtest: remove cluster folder: %v", err)
		}
	})
	if out, err := c.run("start"); err != nil {
		t.Skipf("pgtest: hack/pg.sh cannot start a private cluster: %v\n%s", err, out)
	}
	return c
}

// URL returns the connection URL of database db ("postgres" when empty).
func (c *Cluster) URL(db string) string {
	if db == "" {
		db = "postgres"
	}
	return fmt.Sprintf("postgres://postgres@127.0.0.1:%d/%s?sslmode=disable", c.port, db)
}

// Stop stops the cluster (fast shutdown: sessions are disconnected).
func (c *Cluster) Stop(t testing.TB) {
	t.Helper()
	if out, err := c.run("stop"); err != nil {
		t.Fatalf("pgtest: stop cluster: %v\n%s", err, out)
	}
}

// Start starts the stopped cluster again, on the same port.
func (c *Cluster) Start(t testing.TB) {
	t.Helper()
	if out, err := c.run("start"); err != nil {
		t.Fatalf("pgtest: start cluster: %v\n%s", err, out)
	}
}

// Restart stops and starts the cluster.
func (c *Cluster) Restart(t testing.TB) {
	t.Helper()
	c.Stop(t)
	c.Start(t)
}

// run runs hack/pg.sh cmd for this cluster and returns its combined output.
func (c *Cluster) run(cmd string) (string, error) {
	ctx, cancel := context.WithTimeout(context.Background(), clusterTimeout)
	defer cancel()
	var out bytes.Buffer
	sh := exec.CommandContext(ctx, "bash", c.script, cmd)
	sh.Env = c.env
	sh.Stdout = &out
	sh.Stderr = &out
	err := sh.Run()
	return strings.TrimSpace(out.String()), err
}

// clusterRoot creates the cluster's folder where the server's OS user can
// reach it: when the tests run as root, hack/pg.sh runs the server as an
// unprivileged user, and /var/tmp is searchable by everyone.
func clusterRoot() (string, error) {
	parent := os.TempDir()
	if fi, err := os.Stat("/var/tmp"); err == nil && fi.IsDir() {
		parent = "/var/tmp"
	}
	root, err := os.MkdirTemp(parent, "trellis-pgtest-")
	if err != nil {
		return "", fmt.Errorf("cluster folder: %w", err)
	}
	if err := os.Chmod(root, 0o755); err != nil {
		return "", errors.Join(fmt.Errorf("cluster folder: %w", err), os.RemoveAll(root))
	}
	return root, nil
}

// freePort returns a TCP port on 127.0.0.1 that nothing listened on a
// moment ago.
func freePort() (int, error) {
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		return 0, fmt.Errorf("free port: %w", err)
	}
	port := ln.Addr().(*net.TCPAddr).Port
	if err := ln.Close(); err != nil {
		return 0, fmt.Errorf("free port: %w", err)
	}
	return port, nil
}
