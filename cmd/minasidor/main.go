// Command minasidor is the Mina sidor e-service portal: wiring only.
//
//	minasidor serve     serve the portal (production by default)
//	minasidor migrate   apply pending database migrations and exit
//	minasidor dev       development: own PostgreSQL, migrations, demo data, development IdP
//	minasidor tenant    set up a municipality: add it, its staff IdP, its first admin
//	minasidor testdb -- CMD...   run CMD with TEST_DATABASE_URL on an ephemeral cluster
package main

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"net"
	"net/http"
	"os"
	"os/signal"
	"strings"
	"syscall"
	"time"

	"github.com/jackc/pgx/v5/pgxpool"
	"github.com/minasidor/minasidor/internal/app"
	"github.com/minasidor/minasidor/internal/config"
	"github.com/minasidor/minasidor/internal/db"
	"github.com/minasidor/minasidor/internal/demo"
	"github.com/minasidor/minasidor/internal/notify"
)

const usage = `usage: minasidor <command>

commands:
  serve     serve the portal; APP_ENV defaults to production
  migrate   apply pending database migrations and exit
  dev       run for development: starts a local PostgreSQL cluster when DATABASE_URL
            is not set, applies migrations, loads demo data and serves
  tenant    set up a municipality:
              minasidor tenant add -slug S -name N -code C -host H
              minasidor tenant staff-idp -slug S -metadata FILE_OR_HTTPS_URL
                (the IdP its staff log in through)
              minasidor tenant admin -slug S -employee-id ID -name N [-email E]
                (its first municipality admin, who then adds the rest of the staff)
  testdb    run a command against an ephemeral PostgreSQL: minasidor testdb -- go test ./...
  scale     add demo data at scale (development): minasidor scale -citizens 100000 -cases 1000000

Configuration comes from environment variables; see README.md.`

func main() {
	if len(os.Args) < 2 {
		fmt.Fprintln(os.Stderr, usage)
		os.Exit(2)
	}
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	defer stop()

	var err error
	switch os.Args[1] {
	case "serve":
		err = serve(ctx)
	case "migrate":
		err = migrate(ctx)
	case "dev":
		err = dev(ctx)
	case "tenant":
		err = tenantCommand(ctx, os.Args[2:])
	case "testdb":
		err = testdb(ctx, os.Args[2:])
	case "scale":
		err = scaleCommand(ctx, os.Args[2:])
	case "-h", "--help", "help":
		fmt.Println(usage)
	default:
		fmt.Fprintf(os.Stderr, "minasidor: unknown command %q\n\n%s\n", os.Args[1], usage)
		os.Exit(2)
	}
	if err != nil {
		var exit exitCode
		if errors.As(err, &exit) {
			os.Exit(int(exit))
		}
		fmt.Fprintln(os.Stderr, "minasidor:", err)
		os.Exit(1)
	}
}

// exitCode is an error that carries the exit code of a command run by testdb.
type exitCode int

func (e exitCode) Error() string { return fmt.Sprintf("exit code %d", int(e)) }

func loadConfig(defaultEnv string) (config.Config, *slog.Logger, error) {
	cfg, err := config.Load(os.Getenv, defaultEnv)
	if err != nil {
		return cfg, nil, err
	}
	return cfg, newLogger(cfg), nil
}

func newLogger(cfg config.Config) *slog.Logger {
	var level slog.Level
	_ = level.UnmarshalText([]byte(cfg.LogLevel))
	opts := &slog.HandlerOptions{Level: level}
	if cfg.LogFormat == "json" {
		return slog.New(slog.NewJSONHandler(os.Stderr, opts))
	}
	return slog.New(slog.NewTextHandler(os.Stderr, opts))
}

// openDatabase opens the database named by DATABASE_URL, for the commands that need nothing else
// of the configuration (migrate, tenant add). The caller closes the pool.
func openDatabase(ctx context.Context) (*pgxpool.Pool, *slog.Logger, error) {
	url := strings.TrimSpace(os.Getenv("DATABASE_URL"))
	if url == "" {
		return nil, nil, errors.New("DATABASE_URL is not set (use `minasidor dev` for a local database)")
	}
	log := slog.New(slog.NewTextHandler(os.Stderr, nil))
	pool, err := db.Open(ctx, url)
	return pool, log, err
}

func serve(ctx context.Context) error {
	cfg, log, err := loadConfig(config.Production)
	if err != nil {
		return err
	}
	pool, err := db.Open(ctx, cfg.DatabaseURL)
	if err != nil {
		return err
	}
	defer pool.Close()
	for _, pending := range []func(context.Context, *pgxpool.Pool) (bool, error){db.Pending, notify.Pending} {
		if p, err := pending(ctx, pool); err != nil {
			return err
		} else if p {
			return errors.New("the database has pending migrations: run `minasidor migrate` first")
		}
	}
	return run(ctx, cfg, log, pool)
}

func migrate(ctx context.Context) error {
	pool, log, err := openDatabase(ctx)
	if err != nil {
		return err
	}
	defer pool.Close()
	return migrateAll(ctx, pool, log)
}

// migrateAll applies our migrations, then the job queue's.
func migrateAll(ctx context.Context, pool *pgxpool.Pool, log *slog.Logger) error {
	if err := db.Migrate(ctx, pool, log); err != nil {
		return err
	}
	return notify.Migrate(ctx, pool, log)
}

func dev(ctx context.Context) error {
	cfg, log, err := loadConfig(config.Development)
	if err != nil {
		return err
	}
	if cfg.IsProduction() {
		return errors.New("`minasidor dev` is for development; use `minasidor serve` in production")
	}
	url := cfg.DatabaseURL
	if url == "" {
		cluster := &db.Cluster{Dir: cfg.DataDir + "/postgres", Port: 54329, Log: log}
		if _, err := cluster.Start(ctx); err != nil {
			return err
		}
		defer func() {
			if err := cluster.Stop(); err != nil {
				log.Error("stop local PostgreSQL", "err", err)
			}
		}()
		if url, err = cluster.EnsureDatabase(ctx, "minasidor"); err != nil {
			return err
		}
	}
	pool, err := db.Open(ctx, url)
	if err != nil {
		return err
	}
	defer pool.Close()
	if err := migrateAll(ctx, pool, log); err != nil {
		return err
	}
	if cfg.DemoData {
		if err := demo.Load(ctx, pool, log); err != nil {
			return err
		}
	}
	return run(ctx, cfg, log, pool)
}

// run serves until ctx ends (SIGTERM, Ctrl-C), then shuts down gracefully: /readyz answers 503
// at once while every request is still served for SHUTDOWN_DRAIN (the load balancer's time to
// notice); then the server stops listening, lets the requests under way finish and the job queue
// stop, each within SHUTDOWN_TIMEOUT.
func run(ctx context.Context, cfg config.Config, log *slog.Logger, pool *pgxpool.Pool) error {
	srv, err := app.New(cfg, log, pool)
	if err != nil {
		return err
	}
	defer srv.Close()

	ln, err := net.Listen("tcp", cfg.ListenAddr)
	if err != nil {
		return fmt.Errorf("listen on %s (LISTEN_ADDR): %w", cfg.ListenAddr, err)
	}
	httpServer := &http.Server{
		Handler:           srv.Handler(),
		ReadHeaderTimeout: 10 * time.Second,
		ReadTimeout:       60 * time.Second,
		WriteTimeout:      60 * time.Second,
		IdleTimeout:       120 * time.Second,
		ErrorLog:          slog.NewLogLogger(log.Handler(), slog.LevelWarn),
	}
	errc := make(chan error, 2)
	go func() { errc <- httpServer.Serve(ln) }()

	var metricsServer *http.Server
	if cfg.MetricsAddr != "" {
		mln, err := net.Listen("tcp", cfg.MetricsAddr)
		if err != nil {
			httpServer.Close()
			return fmt.Errorf("listen on %s (METRICS_ADDR): %w", cfg.MetricsAddr, err)
		}
		metricsServer = &http.Server{Handler: srv.Metrics.Handler(), ReadHeaderTimeout: 10 * time.Second}
		go func() { errc <- metricsServer.Serve(mln) }()
		log.Info("serving metrics", "listen", mln.Addr().String())
	}

	log.Info("serving", "env", cfg.Env, "listen", ln.Addr().String(), "base_url", cfg.BaseURL.String())
	if !cfg.IsProduction() {
		fmt.Printf("\n  Mina sidor is running. Open %s\n  (press Ctrl-C to stop)\n\n", cfg.BaseURL)
	}

	select {
	case err := <-errc:
		return err
	case <-ctx.Done():
	}
	srv.Drain()
	log.Info("shutting down: not ready", "drain", cfg.ShutdownDrain.String(), "timeout", cfg.ShutdownTimeout.String())
	time.Sleep(cfg.ShutdownDrain)
	log.Info("shutting down: no new requests")
	shutdownCtx, cancel := context.WithTimeout(context.Background(), cfg.ShutdownTimeout)
	defer cancel()
	err = httpServer.Shutdown(shutdownCtx)
	if err != nil {
		log.Warn("requests under way did not finish in time", "err", err)
	} else {
		log.Info("shutting down: requests finished")
	}
	if metricsServer != nil {
		metricsServer.Shutdown(shutdownCtx)
	}
	return err
}
