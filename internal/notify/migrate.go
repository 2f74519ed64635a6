package notify

import (
	"context"
	"fmt"
	"log/slog"

	"github.com/jackc/pgx/v5/pgxpool"
	"github.com/riverqueue/river/riverdriver/riverpgxv5"
	"github.com/riverqueue/river/rivermigrate"
)

// migrateLock is the advisory lock that keeps servers starting at once from migrating together.
const migrateLock = 727275

// Migrate applies River's own migrations (its job tables), those the database lacks. It runs
// after db.Migrate, which makes the notice tables. The River version in go.mod decides what
// "all" is, so upgrading River and running Migrate is enough.
func Migrate(ctx context.Context, pool *pgxpool.Pool, log *slog.Logger) error {
	if log == nil {
		log = slog.New(slog.DiscardHandler)
	}
	// River's migrator takes no lock. A pool of one connection holds the advisory lock in the
	// very session that runs every migration, so a second server waits, then finds nothing to do.
	cfg := pool.Config()
	cfg.MaxConns, cfg.MinConns, cfg.MinIdleConns = 1, 0, 0
	one, err := pgxpool.NewWithConfig(ctx, cfg)
	if err != nil {
		return fmt.Errorf("notify: migrate: %w", err)
	}
	defer one.Close()
	if _, err := one.Exec(ctx, `SELECT pg_advisory_lock($1)`, migrateLock); err != nil {
		return fmt.Errorf("notify: migrate lock: %w", err)
	}
	defer one.Exec(context.WithoutCancel(ctx), `SELECT pg_advisory_unlock($1)`, migrateLock)

	migrator, err := rivermigrate.New(riverpgxv5.New(one), &rivermigrate.Config{Logger: slog.New(slog.DiscardHandler)})
	if err != nil {
		return fmt.Errorf("notify: migrate: %w", err)
	}
	res, err := migrator.Migrate(ctx, rivermigrate.DirectionUp, nil)
	if err != nil {
		return fmt.Errorf("notify: migrate river: %w", err)
	}
	for _, v := range res.Versions {
		log.Info("river migration applied", "version", v.Version, "name", v.Name, "duration", v.Duration)
	}
	return nil
}

// Pending reports whether River's tables lack a migration, as db.Pending does for the portal's.
func Pending(ctx context.Context, pool *pgxpool.Pool) (bool, error) {
	migrator, err := rivermigrate.New(riverpgxv5.New(pool), &rivermigrate.Config{Logger: slog.New(slog.DiscardHandler)})
	if err != nil {
		return false, fmt.Errorf("notify: migrations: %w", err)
	}
	res, err := migrator.Validate(ctx, nil)
	if err != nil {
		return false, fmt.Errorf("notify: migration status: %w", err)
	}
	return !res.OK, nil
}
