package main

import (
	"context"
	"fmt"
	"log/slog"
	"net"
	"os"
	"os/signal"
	"sync"
	"syscall"
	"time"

	"github.com/spf13/cobra"

	"github.com/trellis-gql/trellis/engine/auth"
	"github.com/trellis-gql/trellis/engine/catalog"
	"github.com/trellis-gql/trellis/engine/exec"
	"github.com/trellis-gql/trellis/engine/gql"
	"github.com/trellis-gql/trellis/engine/live"
	"github.com/trellis-gql/trellis/engine/metadataapi"
	"github.com/trellis-gql/trellis/engine/server"
	"github.com/trellis-gql/trellis/metadata"
)

func newRootCmd() *cobra.Command {
	root := &cobra.Command{
		Use:           "trellis",
		Short:         "Trellis serves a Hasura-compatible GraphQL API over PostgreSQL",
		SilenceUsage:  true,
		SilenceErrors: true,
	}
	root.AddCommand(newServeCmd(), newVersionCmd(), newInitCmd(), newMetadataCmd(), newMigrateCmd(),
		newSeedCmd(), newDeployCmd(), newConsoleCmd())
	return root
}

func newVersionCmd() *cobra.Command {
	return &cobra.Command{
		Use:     "version",
		Short:   "Print the version",
		Example: "  trellis version",
		Run: func(cmd *cobra.Command, _ []string) {
			fmt.Fprintln(cmd.OutOrStdout(), "trellis", buildVersion)
		},
	}
}

func newServeCmd() *cobra.Command {
	var cfg serveConfig
	cmd := &cobra.Command{
		Use:     "serve",
		Short:   "Serve the GraphQL API",
		Example: "  trellis serve --database-url postgres://localhost/app --metadata-dir metadata",
		Long: `Serve the GraphQL API on /v1/graphql, with a GraphiQL console on /console.

Settings come from flags, else TRELLIS_* environment variables, else the
HASURA_GRAPHQL_* names a Hasura user already has, else defaults.`,
		RunE: func(cmd *cobra.Command, _ []string) error {
			if err := cfg.resolve(cmd.Flags()); err != nil {
				return err
			}
			ctx, stop := signal.NotifyContext(cmd.Context(), os.Interrupt, syscall.SIGTERM)
			defer stop()
			return serve(ctx, cfg)
		},
	}
	cfg.bind(cmd.Flags())
	return cmd
}

func serve(ctx context.Context, cfg serveConfig) error {
	log := slog.New(slog.NewTextHandler(os.Stderr, &slog.HandlerOptions{Level: cfg.logLevel()}))
	db, err := exec.Open(ctx, exec.Config{DatabaseURL: cfg.DatabaseURL, MaxConns: int32(cfg.PGConnections)})
	if err != nil {
		return err
	}
	defer db.Close()

	var md *metadata.Metadata
	if cfg.MetadataDir != "" {
		if md, err = metadata.LoadDir(cfg.MetadataDir); err != nil {
			return fmt.Errorf("loading metadata: %w", err)
		}
	}
	// The directory, when given, replaces the stored metadata.
	snap, version, err := metadataapi.Boot(ctx, db, md)
	if err != nil {
		return err
	}
	for _, inc := range snap.Model.Inconsistencies {
		log.Warn("inconsistent metadata", "type", inc.Type, "name", inc.Name, "reason", inc.Reason)
	}
	admin, err := snap.Schema(auth.AdminRole)
	if err != nil {
		return err
	}
	for _, c := range append(admin.Conflicts, admin.Skipped...) {
		log.Warn("table left out of the schema", "reason", c)
	}
	log.Info("metadata loaded", "resource_version", version, "tables", len(snap.Model.Tables), "inconsistencies", len(snap.Model.Inconsistencies))

	engine := gql.New(db, snap, gql.Options{StringifyNumeric: cfg.StringifyNumeric, PlanCacheSize: planCacheSize(cfg.PlanCacheSize), DefaultNamingConvention: cfg.NamingConvention})
	api := metadataapi.New(metadataapi.Config{DB: db, Engine: engine, Logger: log})
	api.SetVersion(version)
	var listening sync.WaitGroup
	listening.Add(1)
	go func() {
		defer listening.Done()
		api.Listen(ctx)
	}()
	defer listening.Wait() // before the pool closes

	jwtSecrets, err := cfg.jwtSecrets()
	if err != nil {
		return err
	}
	authn, err := auth.New(ctx, auth.Config{
		AdminSecret:      cfg.AdminSecret,
		JWTSecrets:       jwtSecrets,
		AuthHook:         cfg.AuthHook,
		AuthHookMode:     cfg.AuthHookMode,
		UnauthorizedRole: cfg.UnauthorizedRole,
		Logger:           log,
	})
	if err != nil {
		return fmt.Errorf("authentication: %w", err)
	}
	manager, feed, err := startLive(ctx, cfg, db, engine, log)
	if err != nil {
		return err
	}
	defer func() {
		feed.Close()
		manager.Close()
	}()
	srv := server.New(server.Config{
		Auth:             authn,
		AdminSecretSet:   cfg.AdminSecret != "",
		Engine:           engine,
		Metadata:         api,
		Logger:           log,
		Version:          buildVersion,
		EnableConsole:    cfg.EnableConsole,
		ConsoleAssetsDir: cfg.ConsoleAssetsDir,
		DevMode:          cfg.DevMode,
		CORS:             server.CORS{Disabled: cfg.DisableCORS, Domains: server.ParseCORSDomains(cfg.CORSDomain)},
		Live:             manager,
		WebSocket: server.WSConfig{
			KeepAlive:        time.Duration(cfg.WSKeepAliveSeconds) * time.Second,
			InitTimeout:      time.Duration(cfg.WSInitTimeoutSeconds) * time.Second,
			MaxSubscriptions: cfg.MaxConnSubscriptions,
		},
	})
	addr := net.JoinHostPort(cfg.Host, fmt.Sprint(cfg.Port))
	return server.ListenAndServe(ctx, addr, srv.Handler(), func(a net.Addr) {
		log.Info("serving", "graphql", fmt.Sprintf("http://%s/v1/graphql", a), "console", cfg.EnableConsole)
	})
}

// startLive starts the live query manager and its change feed (logical
// replication, else polling); the publication follows metadata changes.
func startLive(ctx context.Context, cfg serveConfig, db *exec.DB, engine *gql.Engine, log *slog.Logger) (*live.Manager, *live.Feed, error) {
	minInterval := time.Duration(cfg.LiveMinIntervalMs) * time.Millisecond
	if minInterval == 0 {
		minInterval = -1 // none
	}
	manager := live.New(live.Config{
		DB:               db,
		Logger:           log,
		BatchSize:        cfg.LiveBatchSize,
		MinInterval:      minInterval,
		PollInterval:     time.Duration(cfg.LiveRefetchMs) * time.Millisecond,
		MaxSubscriptions: cfg.MaxSubscriptions,
	})
	feed, err := live.StartFeed(ctx, manager, live.FeedConfig{
		DatabaseURL:  cfg.DatabaseURL,
		Tables:       func() []catalog.QualifiedName { return live.TrackedTables(engine.Snapshot()) },
		Logger:       log,
		ForcePolling: cfg.LivePolling,
	})
	if err != nil {
		manager.Close()
		return nil, nil, fmt.Errorf("live queries: %w", err)
	}
	engine.OnSwap(func() {
		if err := feed.Retrack(ctx); err != nil {
			log.Warn("could not update the live queries' publication", "error", err)
		}
	})
	return manager, feed, nil
}

// planCacheSize maps the flag (0: off) onto gql.Options (negative: off).
func planCacheSize(n int) int {
	if n <= 0 {
		return -1
	}
	return n
}
