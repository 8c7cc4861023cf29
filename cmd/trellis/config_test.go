package main

import (
	"testing"

	"github.com/spf13/pflag"
)

// TestConfigPrecedence checks flags > TRELLIS_* > HASURA_GRAPHQL_* > defaults.
func TestConfigPrecedence(t *testing.T) {
	cases := []struct {
		name string
		args []string
		env  map[string]string
		want serveConfig
	}{
		{
			name: "defaults",
			env:  map[string]string{"HASURA_GRAPHQL_DATABASE_URL": "postgres://h"},
			want: serveConfig{DatabaseURL: "postgres://h", Host: "0.0.0.0", Port: 8080, EnableConsole: true, CORSDomain: "*", LogLevel: "info", PlanCacheSize: 4096, PGConnections: 50, NamingConvention: "hasura-default", AuthHookMode: "GET",
				LiveRefetchMs: 1000, LiveBatchSize: 100, LiveMinIntervalMs: 20, MaxConnSubscriptions: 1000, WSKeepAliveSeconds: 5, WSInitTimeoutSeconds: 3},
		},
		{
			name: "TRELLIS_ wins over HASURA_GRAPHQL_",
			env: map[string]string{
				"HASURA_GRAPHQL_DATABASE_URL": "postgres://h", "TRELLIS_DATABASE_URL": "postgres://t",
				"HASURA_GRAPHQL_SERVER_PORT": "9000", "HASURA_GRAPHQL_ENABLE_CONSOLE": "false",
				"HASURA_GRAPHQL_ADMIN_SECRET": "s", "HASURA_GRAPHQL_STRINGIFY_NUMERIC_TYPES": "true",
				"HASURA_GRAPHQL_LIVE_QUERIES_MULTIPLEXED_REFETCH_INTERVAL": "250", "HASURA_GRAPHQL_WEBSOCKET_KEEPALIVE": "9",
			},
			want: serveConfig{DatabaseURL: "postgres://t", AdminSecret: "s", Host: "0.0.0.0", Port: 9000, CORSDomain: "*", LogLevel: "info", StringifyNumeric: true, PlanCacheSize: 4096, PGConnections: 50, NamingConvention: "hasura-default", AuthHookMode: "GET",
				LiveRefetchMs: 250, LiveBatchSize: 100, LiveMinIntervalMs: 20, MaxConnSubscriptions: 1000, WSKeepAliveSeconds: 9, WSInitTimeoutSeconds: 3},
		},
		{
			name: "flags win over the environment",
			args: []string{"--database-url", "postgres://f", "--port", "7000", "--metadata-dir", "md"},
			env:  map[string]string{"TRELLIS_DATABASE_URL": "postgres://t", "TRELLIS_SERVER_PORT": "9000", "TRELLIS_METADATA_DIR": "other"},
			want: serveConfig{DatabaseURL: "postgres://f", MetadataDir: "md", Host: "0.0.0.0", Port: 7000, EnableConsole: true, CORSDomain: "*", LogLevel: "info", PlanCacheSize: 4096, PGConnections: 50, NamingConvention: "hasura-default", AuthHookMode: "GET",
				LiveRefetchMs: 1000, LiveBatchSize: 100, LiveMinIntervalMs: 20, MaxConnSubscriptions: 1000, WSKeepAliveSeconds: 5, WSInitTimeoutSeconds: 3},
		},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			for _, s := range settings {
				for _, env := range s.env {
					t.Setenv(env, "")
				}
			}
			for k, v := range c.env {
				t.Setenv(k, v)
			}
			var cfg serveConfig
			fs := pflag.NewFlagSet("serve", pflag.ContinueOnError)
			cfg.bind(fs)
			if err := fs.Parse(c.args); err != nil {
				t.Fatal(err)
			}
			if err := cfg.resolve(fs); err != nil {
				t.Fatal(err)
			}
			if cfg != c.want {
				t.Errorf("got  %+v\nwant %+v", cfg, c.want)
			}
		})
	}
}

func TestConfigErrors(t *testing.T) {
	for _, s := range settings {
		for _, env := range s.env {
			t.Setenv(env, "")
		}
	}
	var cfg serveConfig
	fs := pflag.NewFlagSet("serve", pflag.ContinueOnError)
	cfg.bind(fs)
	if err := cfg.resolve(fs); err == nil {
		t.Error("no database URL: no error")
	}
	t.Setenv("HASURA_GRAPHQL_DATABASE_URL", "postgres://h")
	t.Setenv("HASURA_GRAPHQL_SERVER_PORT", "eighty")
	if err := cfg.resolve(fs); err == nil {
		t.Error("a port that is not a number: no error")
	}
}
