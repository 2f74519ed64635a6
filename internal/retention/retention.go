// Package retention enforces how long the portal keeps what it holds (gallring), and records every
// deletion it makes without the personal data it removed.
//
// One run (Service.Run), by a River periodic job that one server at a time does:
//   - closed cases whose e-service's retention time from closing has passed leave the citizen's
//     account (Mina sidor no longer shows them), and leave the portal entirely when the
//     e-service's disposal setting says so: at once ("delete"), or once exported to the
//     municipality's records system ("after_export"); "keep" keeps them here for the municipality.
//     A case's messages, files, revisions, events and notices go with it (foreign keys cascade);
//     a case that an undecided request for public documents names is kept until it is decided;
//   - drafts not touched for the municipality's number of days are deleted, a week after their
//     owner was told (a draft touched after the notice starts over); their files go with them;
//     visitors' drafts, which no one can reach once the visitor's session has ended, go without;
//   - audit records older than the municipality's audit retention are deleted (the database
//     refuses any younger one), client addresses older than the configured time are removed from
//     audit records and security events, and register extracts past their time are removed.
package retention

import (
	"context"
	"fmt"
	"log/slog"
	"time"

	"github.com/jackc/pgx/v5/pgxpool"
	"github.com/minasidor/minasidor/internal/notify"
)

// Config is how long the installation keeps what is not set per municipality.
type Config struct {
	// AddressRetention is how long a client's IP address is kept in the audit records and the
	// security events (ADDRESS_RETENTION, 30 days by default).
	AddressRetention time.Duration
	// VisitorDraftAge is when a visitor's draft is deleted: its session has certainly ended.
	VisitorDraftAge time.Duration
	// Interval is how often the job runs.
	Interval time.Duration
}

// Defaults of Config.
const (
	DefaultAddressRetention = 30 * 24 * time.Hour
	DefaultInterval         = time.Hour
	// SecurityEventsKept is how long a security event is kept (its address goes sooner).
	SecurityEventsKept = 365 * 24 * time.Hour
	// NoticeAhead is how long before its deletion the owner of a draft is told.
	NoticeAhead = 7 * 24 * time.Hour
)

// Service runs the retention rules.
type Service struct {
	pool    *pgxpool.Pool
	outbox  notify.Outbox
	log     *slog.Logger
	cfg     Config
	clock   func() time.Time
	batchSz int
}

// New returns the service. Bind gives it the outbox the drafts' notices go through.
func New(pool *pgxpool.Pool, cfg Config, log *slog.Logger) *Service {
	if cfg.AddressRetention <= 0 {
		cfg.AddressRetention = DefaultAddressRetention
	}
	if cfg.VisitorDraftAge <= 0 {
		cfg.VisitorDraftAge = 48 * time.Hour
	}
	if cfg.Interval <= 0 {
		cfg.Interval = DefaultInterval
	}
	if log == nil {
		log = slog.New(slog.DiscardHandler)
	}
	return &Service{pool: pool, log: log, cfg: cfg, clock: time.Now, batchSz: 500}
}

// Bind sets the outbox of the drafts' notices (the notifier, which runs this service's job and so
// is made after it).
func (s *Service) Bind(outbox notify.Outbox) { s.outbox = outbox }

// WithClock returns the service on another clock, for tests of what happens after months.
func (s *Service) WithClock(now func() time.Time) *Service {
	c := *s
	c.clock = now
	return &c
}

// Report is what one run did.
type Report struct {
	Skipped          bool // another server's run was under way
	CasesRemoved     int  // closed cases that left their citizen's account
	CasesDeleted     int
	DraftsNoticed    int
	DraftsDeleted    int
	AuditDeleted     int
	AddressesRemoved int
	EventsDeleted    int
	ExtractsExpired  int
}

// lockKey is the advisory lock that makes runs one at a time across servers.
const lockKey = 0x6d696e617372_01 // "minasr" 1

// Run applies every rule once, as at the service's clock's time. Only one run at a time goes on
// in the installation: a run that finds another under way does nothing (Report.Skipped).
func (s *Service) Run(ctx context.Context) (Report, error) {
	var r Report
	conn, err := s.pool.Acquire(ctx)
	if err != nil {
		return r, fmt.Errorf("retention: %w", err)
	}
	defer conn.Release()
	var locked bool
	if err := conn.QueryRow(ctx, `SELECT pg_try_advisory_lock($1)`, int64(lockKey)).Scan(&locked); err != nil {
		return r, fmt.Errorf("retention: lock: %w", err)
	}
	if !locked {
		r.Skipped = true
		return r, nil
	}
	defer func() {
		_, _ = conn.Exec(context.WithoutCancel(ctx), `SELECT pg_advisory_unlock($1)`, int64(lockKey))
	}()
	now := s.clock()
	for _, pass := range []struct {
		name string
		run  func(context.Context, time.Time, *Report) error
	}{
		{"cases", s.cases},
		{"drafts", s.drafts},
		{"audit", s.audit},
		{"addresses", s.addresses},
		{"extracts", s.extracts},
	} {
		if err := pass.run(ctx, now, &r); err != nil {
			return r, fmt.Errorf("retention: %s: %w", pass.name, err)
		}
	}
	s.log.InfoContext(ctx, "retention run", "cases_removed", r.CasesRemoved, "cases_deleted", r.CasesDeleted,
		"drafts_noticed", r.DraftsNoticed, "drafts_deleted", r.DraftsDeleted, "audit_deleted", r.AuditDeleted,
		"addresses_removed", r.AddressesRemoved, "events_deleted", r.EventsDeleted, "extracts_expired", r.ExtractsExpired)
	return r, nil
}

// repeat runs a batch statement until it affects fewer rows than a batch, adding up the counts.
func (s *Service) repeat(ctx context.Context, n *int, batch func() (int, error)) error {
	for {
		k, err := batch()
		if err != nil {
			return err
		}
		*n += k
		if k < s.batchSz {
			return nil
		}
		if err := ctx.Err(); err != nil {
			return err
		}
	}
}
