package extract

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"log/slog"
	"time"

	"github.com/google/uuid"
	"github.com/jackc/pgx/v5"
	"github.com/jackc/pgx/v5/pgxpool"
	"github.com/minasidor/minasidor/internal/apperr"
	"github.com/minasidor/minasidor/internal/db"
	"github.com/minasidor/minasidor/internal/notify"
	"github.com/riverqueue/river"
)

// States of a request.
const (
	Queued   = "queued"
	Building = "building"
	Ready    = "ready"
	Failed   = "failed"
	Expired  = "expired"
)

// askAgainAfter is how soon after a request a new one builds a new extract.
const askAgainAfter = 5 * time.Minute

// Errors.
var (
	ErrNotFound = apperr.New(apperr.NotFound, "")
	// ErrNotReady is a download of an extract that is not built, or no longer kept.
	ErrNotReady = apperr.New(apperr.NotFound, "rights.extract.gone")
)

// Jobs is what the service needs of the job queue: the notices' outbox and a way to enqueue its
// build job in a transaction (*notify.Notifier is both).
type Jobs interface {
	notify.Outbox
	InsertTx(ctx context.Context, tx pgx.Tx, args river.JobArgs, opts *river.InsertOpts) error
}

// Service takes requests for extracts and builds them.
type Service struct {
	pool     *pgxpool.Pool
	jobs     Jobs
	log      *slog.Logger
	lifetime time.Duration
	now      func() time.Time
}

// New returns the service; extracts can be downloaded for lifetime after they are built. Bind
// gives it the job queue (which runs its job, and so is made after it).
func New(pool *pgxpool.Pool, lifetime time.Duration, log *slog.Logger) *Service {
	if log == nil {
		log = slog.New(slog.DiscardHandler)
	}
	if lifetime <= 0 {
		lifetime = 48 * time.Hour
	}
	return &Service{pool: pool, log: log, lifetime: lifetime, now: time.Now}
}

// Bind sets the job queue.
func (s *Service) Bind(jobs Jobs) { s.jobs = jobs }

// Request is one request for an extract, as its owner sees it.
type Request struct {
	ID          uuid.UUID
	State       string
	Done, Total int
	RequestedAt time.Time
	ReadyAt     *time.Time
	ExpiresAt   *time.Time
	Document    *Document // when ready
}

// Percent is how far the build has come.
func (r Request) Percent() int {
	if r.State == Ready {
		return 100
	}
	if r.Total == 0 {
		return 0
	}
	return r.Done * 100 / r.Total
}

// Ask records a request for the account's extract, made on the municipality's site, and enqueues
// its build, in one transaction. A request still being built, or built in the last few minutes
// (a double click, a reload), is returned instead of a new one.
func (s *Service) Ask(ctx context.Context, tenantID, accountID uuid.UUID) (uuid.UUID, error) {
	var id uuid.UUID
	err := db.Transact(ctx, s.pool, func(tx pgx.Tx) error {
		if _, err := tx.Exec(ctx, `SELECT 1 FROM account WHERE id = $1 FOR UPDATE`, accountID); err != nil {
			return err
		}
		err := tx.QueryRow(ctx, `
			SELECT id FROM extract_request
			WHERE account_id = $1 AND (state IN ('queued', 'building') OR (state = 'ready' AND requested_at > $2::timestamptz - $3::interval))
			ORDER BY requested_at DESC LIMIT 1`, accountID, s.now(), askAgainAfter).Scan(&id)
		if err == nil {
			return nil
		}
		if !errors.Is(err, pgx.ErrNoRows) {
			return err
		}
		if err := tx.QueryRow(ctx, `INSERT INTO extract_request (account_id, tenant_id, requested_at) VALUES ($1, $2, $3) RETURNING id`,
			accountID, tenantID, s.now()).Scan(&id); err != nil {
			return fmt.Errorf("extract: request: %w", err)
		}
		return s.jobs.InsertTx(ctx, tx, BuildArgs{RequestID: id}, &river.InsertOpts{MaxAttempts: 3})
	})
	return id, err
}

// Get returns the account's request with its document when it is ready; anyone else's is not
// found. It writes nothing.
func (s *Service) Get(ctx context.Context, accountID, id uuid.UUID) (Request, error) {
	var r Request
	var doc []byte
	err := s.pool.QueryRow(ctx, `
		SELECT id, state, done, total, requested_at, ready_at, expires_at, CASE WHEN state = 'ready' AND expires_at > $3 THEN document END
		FROM extract_request WHERE id = $1 AND account_id = $2`, id, accountID, s.now()).
		Scan(&r.ID, &r.State, &r.Done, &r.Total, &r.RequestedAt, &r.ReadyAt, &r.ExpiresAt, &doc)
	if errors.Is(err, pgx.ErrNoRows) {
		return r, ErrNotFound
	}
	if err != nil {
		return r, fmt.Errorf("extract: %w", err)
	}
	if r.State == Ready && doc == nil {
		r.State = Expired // past its time; the retention job has not removed it yet
	}
	if doc != nil {
		r.Document = &Document{}
		if err := json.Unmarshal(doc, r.Document); err != nil {
			return r, fmt.Errorf("extract: document: %w", err)
		}
	}
	return r, nil
}

// Latest returns the account's newest requests, at most n, without documents.
func (s *Service) Latest(ctx context.Context, accountID uuid.UUID, n int) ([]Request, error) {
	rows, err := s.pool.Query(ctx, `
		SELECT id, CASE WHEN state = 'ready' AND expires_at <= $3 THEN 'expired' ELSE state END, done, total, requested_at, ready_at, expires_at
		FROM extract_request WHERE account_id = $1 ORDER BY requested_at DESC, id LIMIT $2`, accountID, n, s.now())
	if err != nil {
		return nil, fmt.Errorf("extract: %w", err)
	}
	return pgx.CollectRows(rows, func(row pgx.CollectableRow) (Request, error) {
		var r Request
		return r, row.Scan(&r.ID, &r.State, &r.Done, &r.Total, &r.RequestedAt, &r.ReadyAt, &r.ExpiresAt)
	})
}

// Archive returns the ZIP of the account's ready extract.
func (s *Service) Archive(ctx context.Context, accountID, id uuid.UUID) ([]byte, error) {
	var zip []byte
	err := s.pool.QueryRow(ctx, `
		SELECT archive FROM extract_request WHERE id = $1 AND account_id = $2 AND state = 'ready' AND expires_at > $3`,
		id, accountID, s.now()).Scan(&zip)
	if errors.Is(err, pgx.ErrNoRows) {
		return nil, ErrNotReady
	}
	return zip, err
}

// BuildArgs is the River job that builds one extract.
type BuildArgs struct {
	RequestID uuid.UUID `json:"request_id"`
}

// Kind names the job in River's tables.
func (BuildArgs) Kind() string { return "extract_build" }

type buildWorker struct {
	river.WorkerDefaults[BuildArgs]
	s *Service
}

// Work builds the extract. A failure is tried again; after the last try the request is failed.
func (w *buildWorker) Work(ctx context.Context, job *river.Job[BuildArgs]) error {
	err := w.s.Build(ctx, job.Args.RequestID)
	if err != nil && job.Attempt >= job.MaxAttempts {
		w.s.log.ErrorContext(ctx, "register extract failed", "request", job.Args.RequestID, "err", err)
		_, _ = w.s.pool.Exec(context.WithoutCancel(ctx), `UPDATE extract_request SET state = 'failed' WHERE id = $1`, job.Args.RequestID)
	}
	return err
}

// Timeout lets a large extract take its time.
func (w *buildWorker) Timeout(*river.Job[BuildArgs]) time.Duration { return 30 * time.Minute }

// AddWorkers adds the build job's worker to the job queue (notify.Jobs).
func (s *Service) AddWorkers(w *river.Workers) error {
	return river.AddWorkerSafely(w, &buildWorker{s: s})
}

// Build builds the request's extract: the document part by part (its progress stored as it
// goes), then the ZIP, stored with the document, and the owner's notice, in one transaction.
func (s *Service) Build(ctx context.Context, id uuid.UUID) error {
	var accountID, tenantID uuid.UUID
	var state string
	err := s.pool.QueryRow(ctx, `SELECT account_id, state, tenant_id FROM extract_request WHERE id = $1`, id).
		Scan(&accountID, &state, &tenantID)
	if errors.Is(err, pgx.ErrNoRows) {
		return river.JobCancel(fmt.Errorf("extract: request %s does not exist", id))
	}
	if err != nil {
		return fmt.Errorf("extract: %w", err)
	}
	if state != Queued && state != Building {
		return nil // built already, or failed for good
	}
	if _, err := s.pool.Exec(ctx, `UPDATE extract_request SET state = 'building' WHERE id = $1`, id); err != nil {
		return err
	}
	doc, err := Read(ctx, s.pool, accountID, s.now(), func(ctx context.Context, done, total int) error {
		_, err := s.pool.Exec(ctx, `UPDATE extract_request SET done = $2, total = $3 WHERE id = $1`, id, done, total)
		return err
	})
	if err != nil {
		return err
	}
	body, err := json.MarshalIndent(doc, "", "  ")
	if err != nil {
		return err
	}
	archive, err := zipOf(ctx, s.pool, doc, body)
	if err != nil {
		return err
	}
	now := s.now()
	return db.Transact(ctx, s.pool, func(tx pgx.Tx) error {
		tag, err := tx.Exec(ctx, `
			UPDATE extract_request SET state = 'ready', done = total, document = $2, archive = $3, ready_at = $4, expires_at = $5
			WHERE id = $1 AND state = 'building'`, id, body, archive, now, now.Add(s.lifetime))
		if err != nil || tag.RowsAffected() == 0 {
			return err
		}
		return s.jobs.Enqueue(ctx, tx, notify.Notice{TenantID: tenantID, AccountID: accountID, Kind: notify.KindExtractReady})
	})
}
