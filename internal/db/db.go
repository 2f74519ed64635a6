// Package db opens the PostgreSQL pool, runs transactions, applies the embedded migrations and,
// for development and tests, runs a PostgreSQL cluster of its own.
package db

import (
	"context"
	"errors"
	"fmt"
	"strings"
	"time"

	"github.com/jackc/pgx/v5"
	"github.com/jackc/pgx/v5/pgconn"
	"github.com/jackc/pgx/v5/pgxpool"
)

// Open connects a pool to url and checks that the server answers.
func Open(ctx context.Context, url string) (*pgxpool.Pool, error) {
	cfg, err := pgxpool.ParseConfig(url)
	if err != nil {
		return nil, fmt.Errorf("db: parse DATABASE_URL: %w", err)
	}
	cfg.ConnConfig.RuntimeParams["timezone"] = "UTC"
	if _, set := cfg.ConnConfig.RuntimeParams["jit"]; !set {
		// The portal's statements read a page of rows; compiling one (when a plan's estimated cost
		// is high, as a plan made for any parameters' can be) took 20 ms to save nothing.
		cfg.ConnConfig.RuntimeParams["jit"] = "off"
	}
	cfg.ConnConfig.Tracer = tracer{} // counts a request's work when its context asks (CountInto)
	cfg.AfterConnect = func(_ context.Context, c *pgx.Conn) error {
		encodeUUIDs(c.TypeMap())
		return nil
	}
	if !strings.Contains(url, "pool_max_conns") && cfg.MaxConns < 20 {
		cfg.MaxConns = 20 // the job queue keeps one connection listening; the default of 4 is too few
	}
	if cfg.ConnConfig.RuntimeParams["application_name"] == "" {
		cfg.ConnConfig.RuntimeParams["application_name"] = "minasidor"
	}
	pool, err := pgxpool.NewWithConfig(ctx, cfg)
	if err != nil {
		return nil, fmt.Errorf("db: connect: %w", err)
	}
	pingCtx, cancel := context.WithTimeout(ctx, 10*time.Second)
	defer cancel()
	if err := pool.Ping(pingCtx); err != nil {
		pool.Close()
		return nil, fmt.Errorf("db: ping: %w", err)
	}
	return pool, nil
}

// Querier runs SQL. A pool and a transaction both satisfy it, so that a store can work on either,
// and two domain calls can share one transaction (see Transact).
type Querier interface {
	Exec(ctx context.Context, sql string, args ...any) (pgconn.CommandTag, error)
	Query(ctx context.Context, sql string, args ...any) (pgx.Rows, error)
	QueryRow(ctx context.Context, sql string, args ...any) pgx.Row
	Begin(ctx context.Context) (pgx.Tx, error)
	// SendBatch sends several statements in one round trip. Outside a transaction they run in
	// one implicit transaction: all of them take effect, or none.
	SendBatch(ctx context.Context, b *pgx.Batch) pgx.BatchResults
}

// Transact runs fn in a transaction on q and commits it when fn returns nil. On a pool it opens a
// transaction, and a serialization failure or deadlock makes it try again, up to three times in
// all (fn must therefore be safe to repeat). On a transaction it joins it, with a savepoint: the
// work commits with the caller's transaction or not at all.
func Transact(ctx context.Context, q Querier, fn func(pgx.Tx) error) error {
	if tx, inTx := q.(pgx.Tx); inTx {
		return join(ctx, tx, fn)
	}
	const attempts = 3
	var err error
	for i := range attempts {
		err = transactOnce(ctx, q, fn)
		if !retryable(err) {
			return err
		}
		select {
		case <-ctx.Done():
			return err
		case <-time.After(time.Duration(i+1) * 10 * time.Millisecond):
		}
	}
	return err
}

func transactOnce(ctx context.Context, q Querier, fn func(pgx.Tx) error) (err error) {
	// On a pool the connection is taken here, so that it can go back to the pool when fn's last
	// batch has committed the transaction (QueueCommit) without a commit being sent again.
	if pool, ok := q.(*pgxpool.Pool); ok {
		conn, err := pool.Acquire(ctx)
		if err != nil {
			return fmt.Errorf("db: acquire: %w", err)
		}
		defer conn.Release()
		q = conn
	}
	tx, err := q.Begin(ctx)
	if err != nil {
		return fmt.Errorf("db: begin: %w", err)
	}
	defer func() {
		if err != nil {
			_ = tx.Rollback(context.WithoutCancel(ctx))
		}
	}()
	own := ownTx{Tx: tx, after: &[]func(){}}
	if err := fn(own); err != nil {
		return err
	}
	if tx.Conn().PgConn().TxStatus() != 'I' { // not committed by fn's last batch (QueueCommit)
		if err := tx.Commit(ctx); err != nil {
			return fmt.Errorf("db: commit: %w", err)
		}
	}
	for _, after := range *own.after {
		after()
	}
	return nil
}

// join runs fn in a savepoint of the caller's transaction tx. When Transact began tx, what fn
// leaves to run after the commit (AfterCommit) goes to tx's list, unless the savepoint is undone.
func join(ctx context.Context, tx pgx.Tx, fn func(pgx.Tx) error) error {
	own, ok := tx.(ownTx)
	if !ok {
		return pgx.BeginFunc(ctx, tx, fn)
	}
	kept := len(*own.after)
	err := pgx.BeginFunc(ctx, tx, func(sp pgx.Tx) error { return fn(ownTx{Tx: sp, after: own.after, savepoint: true}) })
	if err != nil {
		*own.after = (*own.after)[:kept]
	}
	return err
}

// ownTx is a transaction Transact began itself, or a savepoint it made in one. Only the
// transaction, not a savepoint, may be committed by a batch (QueueCommit). after is what runs
// once the transaction has committed (AfterCommit).
type ownTx struct {
	pgx.Tx
	after     *[]func()
	savepoint bool
}

// AfterCommit runs fn once the work done in tx has committed, for what must not count work that
// may still be undone, such as a metric: after the commit of the transaction Transact began (not
// at all if it is rolled back, or the savepoint fn was in is; once when Transact tries again). In
// a transaction Transact did not begin, whose commit it does not see, fn runs at once.
func AfterCommit(tx pgx.Tx, fn func()) {
	if own, ok := tx.(ownTx); ok {
		*own.after = append(*own.after, fn)
		return
	}
	fn()
}

// QueueCommit queues the commit of tx at the end of b when Transact began tx itself, so that
// the batch's statements and the commit take one round trip, and a row lock the batch takes is
// held for no round trip more. Transact sees that the transaction has ended and does not commit
// it again; nothing may be sent in tx after b. When Transact joined a caller's transaction (a
// savepoint), it queues nothing: the caller's transaction commits.
func QueueCommit(b *pgx.Batch, tx pgx.Tx) {
	if own, ok := tx.(ownTx); ok && !own.savepoint {
		b.Queue("COMMIT")
	}
}

func retryable(err error) bool {
	var pgErr *pgconn.PgError
	if !errors.As(err, &pgErr) {
		return false
	}
	return pgErr.Code == "40001" || pgErr.Code == "40P01"
}

// Run sends the batch in one round trip and waits for every result: the callbacks its queries
// were queued with (QueuedQuery.Query, QueryRow, Exec) run, and the first error is returned.
// Stores queue their statements on one batch so that a page reads what it needs at once.
func Run(ctx context.Context, q Querier, b *pgx.Batch) error {
	return q.SendBatch(ctx, b).Close()
}

// QueueRows queues on b a query whose rows are collected into out with scan.
func QueueRows[T any](b *pgx.Batch, out *[]T, scan func(pgx.CollectableRow) (T, error), sql string, args ...any) {
	b.Queue(sql, args...).Query(func(rows pgx.Rows) error {
		list, err := pgx.CollectRows(rows, scan)
		if err != nil {
			return fmt.Errorf("db: %w", err)
		}
		*out = list
		return nil
	})
}

// QueueOptional queues on b a query of at most one row: scan reads the row when there is one,
// and found, when not nil, tells whether there was.
func QueueOptional(b *pgx.Batch, found *bool, scan func(pgx.Row) error, sql string, args ...any) {
	b.Queue(sql, args...).Query(func(rows pgx.Rows) error {
		for rows.Next() {
			if err := scan(rows); err != nil {
				return err
			}
			if found != nil {
				*found = true
			}
		}
		return rows.Err()
	})
}

// PlanOnce and PlanEachTime set, for the rest of a batch's transaction, how PostgreSQL plans
// its prepared statements: once, for any parameters, where the best plan does not depend on
// them (a queue's statements, whose choices of index are in their text; a lookup by keys that
// joins many tables, whose planning costs more than its execution), or for each call's own
// values (a search, where a common and a rare word want different plans). PostgreSQL's own
// choice plans a statement afresh each time when that looks cheaper, however dear the planning.
const (
	PlanOnce     = `SELECT set_config('plan_cache_mode', 'force_generic_plan', true)`
	PlanEachTime = `SELECT set_config('plan_cache_mode', 'force_custom_plan', true)`
)

// Read runs the statements queue puts on a batch, in one round trip.
func Read(ctx context.Context, q Querier, queue func(b *pgx.Batch)) error {
	b := &pgx.Batch{}
	queue(b)
	return Run(ctx, q, b)
}
