package main

import (
	"encoding/json"
	"fmt"
	"github.com/trellis-gql/trellis/engine/gql"
	"log/slog"
	"os"
	"strings"

	"github.com/spf13/pflag"
)

// serveConfig is the configuration of `trellis serve`.
type serveConfig struct {
	DatabaseURL      string
	MetadataDir      string
	AdminSecret      string
	JWTSecret        string // one HASURA_GRAPHQL_JWT_SECRET JSON object
	JWTSecrets       string // a JSON array of them (HASURA_GRAPHQL_JWT_SECRETS)
	AuthHook         string
	AuthHookMode     string
	UnauthorizedRole string
	Host             string
	Port             int
	EnableConsole    bool
	ConsoleAssetsDir string
	DevMode          bool
	StringifyNumeric bool
	PlanCacheSize    int
	PGConnections    int
	NamingConvention string
	CORSDomain       string
	DisableCORS      bool
	LogLevel         string

	// Live queries and WebSockets.
	LiveRefetchMs        int
	LiveBatchSize        int
	LiveMinIntervalMs    int
	LivePolling          bool
	MaxSubscriptions     int
	MaxConnSubscriptions int
	WSKeepAliveSeconds   int
	WSInitTimeoutSeconds int
}

// setting ties a flag to its environment variables, most specific first.
type setting struct {
	flag string
	env  []string
	help string
}

var settings = []setting{
	{"database-url", []string{"TRELLIS_DATABASE_URL", "HASURA_GRAPHQL_DATABASE_URL", "DATABASE_URL"}, "PostgreSQL connection URL"},
	{"metadata-dir", []string{"TRELLIS_METADATA_DIR", "HASURA_GRAPHQL_METADATA_DIR"}, "Hasura v3 metadata directory to load at start"},
	{"admin-secret", []string{"TRELLIS_ADMIN_SECRET", "HASURA_GRAPHQL_ADMIN_SECRET"}, "admin secret; without one every request is admin"},
	{"jwt-secret", []string{"TRELLIS_JWT_SECRET", "HASURA_GRAPHQL_JWT_SECRET"}, "JWT mode: Hasura's JSON configuration ({\"type\":\"HS256\",\"key\":\"...\"} or {\"jwk_url\":\"...\"}, claims_namespace, claims_map, audience, issuer, allowed_skew, header)"},
	{"jwt-secrets", []string{"TRELLIS_JWT_SECRETS", "HASURA_GRAPHQL_JWT_SECRETS"}, "JWT mode with several configurations: a JSON array of them, told apart by issuer or token location"},
	{"auth-hook", []string{"TRELLIS_AUTH_HOOK", "HASURA_GRAPHQL_AUTH_HOOK"}, "webhook mode: the URL asked for each request's session variables"},
	{"auth-hook-mode", []string{"TRELLIS_AUTH_HOOK_MODE", "HASURA_GRAPHQL_AUTH_HOOK_MODE"}, "GET (the client's headers forwarded) or POST (headers and request as JSON)"},
	{"unauthorized-role", []string{"TRELLIS_UNAUTHORIZED_ROLE", "HASURA_GRAPHQL_UNAUTHORIZED_ROLE"}, "role of requests without credentials (needs an admin secret; not with a webhook)"},
	{"host", []string{"TRELLIS_SERVER_HOST", "HASURA_GRAPHQL_SERVER_HOST"}, "address to listen on"},
	{"port", []string{"TRELLIS_SERVER_PORT", "HASURA_GRAPHQL_SERVER_PORT"}, "port to listen on"},
	{"enable-console", []string{"TRELLIS_ENABLE_CONSOLE", "HASURA_GRAPHQL_ENABLE_CONSOLE"}, "serve the GraphiQL console at /console"},
	{"console-assets-dir", []string{"TRELLIS_CONSOLE_ASSETS_DIR", "HASURA_GRAPHQL_CONSOLE_ASSETS_DIR"}, "serve the console's assets from this folder instead of a CDN"},
	{"dev-mode", []string{"TRELLIS_DEV_MODE", "HASURA_GRAPHQL_DEV_MODE"}, "include internal error detail (SQL errors) in responses"},
	{"stringify-numeric-types", []string{"TRELLIS_STRINGIFY_NUMERIC_TYPES", "HASURA_GRAPHQL_STRINGIFY_NUMERIC_TYPES"}, "write bigint, numeric and double precision values as JSON strings"},
	{"default-naming-convention", []string{"TRELLIS_DEFAULT_NAMING_CONVENTION", "HASURA_GRAPHQL_DEFAULT_NAMING_CONVENTION"}, "naming convention of sources that set none: hasura-default or graphql-default"},
	{"pg-connections", []string{"TRELLIS_PG_CONNECTIONS", "HASURA_GRAPHQL_PG_CONNECTIONS"}, "maximum connections to Postgres for requests"},
	{"plan-cache-size", []string{"TRELLIS_PLAN_CACHE_SIZE"}, "documents and plans kept per metadata version (each); 0 turns the plan cache off"},
	{"cors-domain", []string{"TRELLIS_CORS_DOMAIN", "HASURA_GRAPHQL_CORS_DOMAIN"}, "browser origins allowed to call the API: * or a comma-separated list"},
	{"disable-cors", []string{"TRELLIS_DISABLE_CORS", "HASURA_GRAPHQL_DISABLE_CORS"}, "send no CORS headers"},
	{"log-level", []string{"TRELLIS_LOG_LEVEL", "HASURA_GRAPHQL_LOG_LEVEL"}, "debug, info, warn or error"},
	{"live-queries-multiplexed-refetch-interval", []string{"TRELLIS_LIVE_QUERIES_MULTIPLEXED_REFETCH_INTERVAL", "HASURA_GRAPHQL_LIVE_QUERIES_MULTIPLEXED_REFETCH_INTERVAL"}, "milliseconds between two refetches of every live query when logical replication is unavailable (polling)"},
	{"live-queries-multiplexed-batch-size", []string{"TRELLIS_LIVE_QUERIES_MULTIPLEXED_BATCH_SIZE", "HASURA_GRAPHQL_LIVE_QUERIES_MULTIPLEXED_BATCH_SIZE"}, "subscribers answered by one multiplexed statement"},
	{"live-queries-min-interval", []string{"TRELLIS_LIVE_QUERIES_MIN_INTERVAL"}, "least milliseconds between two refetches of one live query: changes in a burst are answered together"},
	{"live-queries-polling", []string{"TRELLIS_LIVE_QUERIES_POLLING"}, "poll live queries even where logical replication is available"},
	{"max-subscriptions", []string{"TRELLIS_MAX_SUBSCRIPTIONS"}, "subscriptions the whole engine accepts (0: no cap)"},
	{"max-subscriptions-per-connection", []string{"TRELLIS_MAX_SUBSCRIPTIONS_PER_CONNECTION"}, "operations one WebSocket connection may run at once"},
	{"websocket-keepalive", []string{"TRELLIS_WEBSOCKET_KEEPALIVE", "HASURA_GRAPHQL_WEBSOCKET_KEEPALIVE"}, "seconds between two WebSocket keep-alive messages"},
	{"websocket-connection-init-timeout", []string{"TRELLIS_WEBSOCKET_CONNECTION_INIT_TIMEOUT", "HASURA_GRAPHQL_WEBSOCKET_CONNECTION_INIT_TIMEOUT"}, "seconds a graphql-transport-ws client has to send connection_init"},
}

func (c *serveConfig) bind(fs *pflag.FlagSet) {
	help := func(name string) string {
		for _, s := range settings {
			if s.flag == name {
				return fmt.Sprintf("%s (env %s)", s.help, strings.Join(s.env, ", "))
			}
		}
		return ""
	}
	fs.StringVar(&c.DatabaseURL, "database-url", "", help("database-url"))
	fs.StringVar(&c.MetadataDir, "metadata-dir", "", help("metadata-dir"))
	fs.StringVar(&c.AdminSecret, "admin-secret", "", help("admin-secret"))
	fs.StringVar(&c.JWTSecret, "jwt-secret", "", help("jwt-secret"))
	fs.StringVar(&c.JWTSecrets, "jwt-secrets", "", help("jwt-secrets"))
	fs.StringVar(&c.AuthHook, "auth-hook", "", help("auth-hook"))
	fs.StringVar(&c.AuthHookMode, "auth-hook-mode", "GET", help("auth-hook-mode"))
	fs.StringVar(&c.UnauthorizedRole, "unauthorized-role", "", help("unauthorized-role"))
	fs.StringVar(&c.Host, "host", "0.0.0.0", help("host"))
	fs.IntVar(&c.Port, "port", 8080, help("port"))
	fs.BoolVar(&c.EnableConsole, "enable-console", true, help("enable-console"))
	fs.StringVar(&c.ConsoleAssetsDir, "console-assets-dir", "", help("console-assets-dir"))
	fs.BoolVar(&c.DevMode, "dev-mode", false, help("dev-mode"))
	fs.BoolVar(&c.StringifyNumeric, "stringify-numeric-types", false, help("stringify-numeric-types"))
	fs.IntVar(&c.PGConnections, "pg-connections", 50, help("pg-connections"))
	fs.StringVar(&c.NamingConvention, "default-naming-convention", "hasura-default", help("default-naming-convention"))
	fs.IntVar(&c.PlanCacheSize, "plan-cache-size", gql.DefaultPlanCacheSize, help("plan-cache-size"))
	fs.StringVar(&c.CORSDomain, "cors-domain", "*", help("cors-domain"))
	fs.BoolVar(&c.DisableCORS, "disable-cors", false, help("disable-cors"))
	fs.StringVar(&c.LogLevel, "log-level", "info", help("log-level"))
	fs.IntVar(&c.LiveRefetchMs, "live-queries-multiplexed-refetch-interval", 1000, help("live-queries-multiplexed-refetch-interval"))
	fs.IntVar(&c.LiveBatchSize, "live-queries-multiplexed-batch-size", 100, help("live-queries-multiplexed-batch-size"))
	fs.IntVar(&c.LiveMinIntervalMs, "live-queries-min-interval", 20, help("live-queries-min-interval"))
	fs.BoolVar(&c.LivePolling, "live-queries-polling", false, help("live-queries-polling"))
	fs.IntVar(&c.MaxSubscriptions, "max-subscriptions", 0, help("max-subscriptions"))
	fs.IntVar(&c.MaxConnSubscriptions, "max-subscriptions-per-connection", 1000, help("max-subscriptions-per-connection"))
	fs.IntVar(&c.WSKeepAliveSeconds, "websocket-keepalive", 5, help("websocket-keepalive"))
	fs.IntVar(&c.WSInitTimeoutSeconds, "websocket-connection-init-timeout", 3, help("websocket-connection-init-timeout"))
}

// resolve fills every setting not given as a flag from the environment.
func (c *serveConfig) resolve(fs *pflag.FlagSet) error {
	for _, s := range settings {
		if fs.Changed(s.flag) {
			continue
		}
		for _, env := range s.env {
			if v, ok := os.LookupEnv(env); ok && v != "" {
				if err := fs.Set(s.flag, v); err != nil {
					return fmt.Errorf("%s=%q: %w", env, v, err)
				}
				break
			}
		}
	}
	if c.DatabaseURL == "" {
		return fmt.Errorf("no database: set --database-url, TRELLIS_DATABASE_URL or HASURA_GRAPHQL_DATABASE_URL")
	}
	if c.NamingConvention != "hasura-default" && c.NamingConvention != "graphql-default" {
		return fmt.Errorf("default-naming-convention must be hasura-default or graphql-default, not %q", c.NamingConvention)
	}
	if c.PGConnections < 1 {
		return fmt.Errorf("pg-connections must be at least 1, not %d", c.PGConnections)
	}
	if c.Port < 0 || c.Port > 65535 { // 0: any free port
		return fmt.Errorf("port %d is out of range", c.Port)
	}
	for _, v := range []struct {
		name string
		n    int
		min  int
	}{
		{"live-queries-multiplexed-refetch-interval", c.LiveRefetchMs, 1},
		{"live-queries-multiplexed-batch-size", c.LiveBatchSize, 1},
		{"live-queries-min-interval", c.LiveMinIntervalMs, 0},
		{"max-subscriptions", c.MaxSubscriptions, 0},
		{"max-subscriptions-per-connection", c.MaxConnSubscriptions, 1},
		{"websocket-keepalive", c.WSKeepAliveSeconds, 1},
		{"websocket-connection-init-timeout", c.WSInitTimeoutSeconds, 1},
	} {
		if v.n < v.min {
			return fmt.Errorf("%s must be at least %d, not %d", v.name, v.min, v.n)
		}
	}
	return nil
}

// jwtSecrets lists the JWT configurations: --jwt-secret, then the
// elements of --jwt-secrets.
func (c *serveConfig) jwtSecrets() ([]string, error) {
	var out []string
	if strings.TrimSpace(c.JWTSecret) != "" {
		out = append(out, c.JWTSecret)
	}
	if strings.TrimSpace(c.JWTSecrets) != "" {
		var list []json.RawMessage
		if err := json.Unmarshal([]byte(c.JWTSecrets), &list); err != nil {
			return nil, fmt.Errorf("jwt-secrets must be a JSON array of JWT configurations: %w", err)
		}
		for _, s := range list {
			out = append(out, string(s))
		}
	}
	return out, nil
}

func (c *serveConfig) logLevel() slog.Level {
	var l slog.Level
	if err := l.UnmarshalText([]byte(c.LogLevel)); err != nil {
		return slog.LevelInfo
	}
	return l
}
