package main

import (
	"context"
	"fmt"
	"net/url"
)

// The application_name each server's pool connects with: measure counts
// the CPU of the Postgres backends of the server under load alone, while
// the other one sits idle with its pool open.
const (
	engineAppName = "trellis-bench-engine"
	floorAppName  = "trellis-bench-floor"
)

// engineConfig says how to start the engine under test.
type engineConfig struct {
	Binary      string // the trellis binary
	DatabaseURL string // from poolURL
	MetadataDir string
	Port        int
	LogFile     string   // the engine's stdout and stderr
	ExtraArgs   []string // more `trellis serve` flags
}

// startEngine starts `trellis serve`; every case goes to /v1/graphql.
func startEngine(ctx context.Context, c engineConfig) (*server, error) {
	args := append([]string{"serve",
		"--database-url", c.DatabaseURL,
		"--metadata-dir", c.MetadataDir,
		"--host", "127.0.0.1",
		"--port", fmt.Sprint(c.Port),
		"--enable-console=false",
		"--log-level", "warn",
	}, c.ExtraArgs...)
	return startServer(ctx, serverConfig{
		Name: "engine", Binary: c.Binary, Args: args,
		Env:  []string{"HASURA_GRAPHQL_DATABASE_URL=" + c.DatabaseURL},
		Port: c.Port, LogFile: c.LogFile, AppName: engineAppName,
		URL: func(base string, _ benchCase) string { return base + "/v1/graphql" },
	})
}

// floorConfig says how to start the floor (hack/bench/floor).
type floorConfig struct {
	Binary      string // the floor binary
	DatabaseURL string // from poolURL
	Port        int
	LogFile     string
}

// startFloor starts the floor; each case goes to /<case name>.
func startFloor(ctx context.Context, c floorConfig) (*server, error) {
	return startServer(ctx, serverConfig{
		Name: "floor", Binary: c.Binary,
		Args: []string{"-database-url", c.DatabaseURL, "-listen", fmt.Sprintf("127.0.0.1:%d", c.Port)},
		Port: c.Port, LogFile: c.LogFile, AppName: floorAppName,
		URL: func(base string, bc benchCase) string { return base + "/" + bc.Name },
	})
}

// poolURL is the database URL a server under test gets: the benchmark
// database with pool_max_conns (pgxpool reads it there, in the engine and
// in the floor alike, so both pools have the same size) and
// application_name set.
func poolURL(dbURL string, poolSize int, appName string) (string, error) {
	u, err := url.Parse(dbURL)
	if err != nil || u.Scheme == "" {
		return "", fmt.Errorf("the benchmark needs a postgres:// URL, not a key=value connection string")
	}
	q := u.Query()
	q.Set("pool_max_conns", fmt.Sprint(poolSize))
	q.Set("application_name", appName)
	u.RawQuery = q.Encode()
	return u.String(), nil
}
