// Package notify tells citizens by e-mail or SMS that something happened in one of their cases.
//
// A notice is written in the same transaction as its cause (Enqueue), together with a River job
// that delivers it after the commit; a transaction that rolls back leaves neither. A notice never
// carries case content or message text: it names the municipality, the e-service and the
// reference and asks the citizen to log in to read. It goes only to the channel the citizen
// prefers, and only when that address or number has been confirmed with a one-time code
// (SendCode, Verify).
package notify

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"net/url"
	"strings"
	"sync/atomic"
	"time"

	"github.com/jackc/pgx/v5"
	"github.com/jackc/pgx/v5/pgxpool"
	"github.com/riverqueue/river"
	"github.com/riverqueue/river/riverdriver/riverpgxv5"
	"github.com/riverqueue/river/rivertype"
)

// Kinds of notice.
const (
	KindCaseSubmitted       = "case_submitted"
	KindNewMessage          = "new_message"
	KindStatusChanged       = "status_changed"
	KindSupplementRequested = "supplement_requested"
	KindCaseClosed          = "case_closed"
	// Of a booking (Notice.BookingID): made or moved, a reminder before it, cancelled by staff,
	// cancelled by the citizen.
	KindBookingConfirmed          = "booking_confirmed"
	KindBookingReminder           = "booking_reminder"
	KindBookingCancelled          = "booking_cancelled"
	KindBookingCancelledByCitizen = "booking_citizen_cancelled"
	// Of a request for public documents (Notice.RequestID): it is answered. To a requester on Mina
	// sidor like any notice; to the e-mail address a requester gave for the answer, with the
	// answer attached.
	KindRequestAnswered = "request_answered"
	// Of a draft being signed (Notice.SigningID): to a co-signer, asked to sign and reminded;
	// to the applicant, a co-signer declined or the deadline passed. And to a co-signer, the case
	// they signed was submitted (Notice.CaseID).
	KindSigningRequested = "signing_requested"
	KindSigningReminder  = "signing_reminder"
	KindSigningDeclined  = "signing_declined"
	KindSigningReturned  = "signing_returned"
	KindSigningSubmitted = "signing_submitted"
	// A caseworker refused the representation of the association the citizen made a case for.
	KindRepresentationRefused = "representation_refused"
	// Of the account alone: a draft will be deleted under the retention rules (Notice.EServiceID
	// names its e-service), a register extract is ready to download.
	KindDraftExpiring = "draft_expiring"
	KindExtractReady  = "extract_ready"
)

// Channels of delivery, as stored in account.preferred_channel and contact_code.channel.
const (
	ChannelEmail = "email"
	ChannelSMS   = "sms"
)

// Config configures a Notifier.
type Config struct {
	BaseURL string // the portal's public address, e.g. https://minasidor.alingsas.se
	SMTP    SMTPConfig
	SMS     SMSConfig
	// Dev stores e-mail and SMS in the dev_mailbox table instead of sending them, each unless
	// its SMTP host or SMS gateway URL is set.
	Dev   bool
	Queue QueueConfig
	// Observe hears of each delivery's outcome (sent, skipped, failed: to be retried, discarded:
	// failed for good) and channel, for the metrics; nil: nobody.
	Observe func(outcome, channel string)
	// Jobs registers other kinds of job on the same queue (the virus rescan, webhook deliveries,
	// archive packages), so that one queue on PostgreSQL works every job. Periodic work is
	// added with Notifier.Every.
	Jobs func(*river.Workers) error
}

// QueueConfig tunes the delivery queue; the zero value suits production.
type QueueConfig struct {
	MaxWorkers   int                             // deliveries at once; default 4
	MaxAttempts  int                             // tries of one notice; default 12 (about 11 hours)
	PollInterval time.Duration                   // fallback poll for new jobs; default River's (1s)
	RetryDelay   func(attempt int) time.Duration // nil: River's backoff, attempt⁴ seconds
}

// Notifier enqueues and delivers notices and confirms contact data.
type Notifier struct {
	pool        *pgxpool.Pool
	river       *river.Client[pgx.Tx]
	email       EmailSender
	sms         SMSSender // nil when no SMS gateway is configured (outside development)
	loginURL    string
	maxAttempts int
	log         *slog.Logger
	observe     func(outcome, channel string)
	clock       atomic.Pointer[func() time.Time] // times codes and their limits; nil: time.Now (SetClock)
	periodic    map[string]Periodic              // by name; set by Every before Start
}

// New builds a Notifier and its River client. It does not start delivering: call Start.
func New(pool *pgxpool.Pool, cfg Config, log *slog.Logger) (*Notifier, error) {
	if log == nil {
		log = slog.New(slog.DiscardHandler)
	}
	base, err := url.Parse(cfg.BaseURL)
	if err != nil || (base.Scheme != "https" && base.Scheme != "http") || base.Host == "" {
		return nil, errors.New("notify: BaseURL must be an absolute http(s) address")
	}
	n := &Notifier{
		pool:        pool,
		loginURL:    strings.TrimRight(base.String(), "/") + "/mina-sidor",
		maxAttempts: cmpOr(cfg.Queue.MaxAttempts, 12),
		log:         log,
		periodic:    map[string]Periodic{},
		observe:     cfg.Observe,
	}
	if n.observe == nil {
		n.observe = func(string, string) {}
	}

	dev := devMailbox{pool: pool, log: log}
	switch {
	case cfg.SMTP.Host != "":
		if n.email, err = newSMTPSender(cfg.SMTP); err != nil {
			return nil, err
		}
	case cfg.Dev:
		n.email = dev
	default:
		return nil, errors.New("notify: an SMTP host is required outside development")
	}
	switch {
	case cfg.SMS.URL != "":
		if n.sms, err = newSMSClient(cfg.SMS); err != nil {
			return nil, err
		}
	case cfg.Dev:
		n.sms = dev
	}

	workers := river.NewWorkers()
	if err := river.AddWorkerSafely(workers, &deliverWorker{n: n}); err != nil {
		return nil, fmt.Errorf("notify: %w", err)
	}
	if err := river.AddWorkerSafely(workers, &periodicWorker{n: n}); err != nil {
		return nil, fmt.Errorf("notify: %w", err)
	}
	if cfg.Jobs != nil {
		if err := cfg.Jobs(workers); err != nil {
			return nil, fmt.Errorf("notify: %w", err)
		}
	}
	rc := &river.Config{
		Logger:            log.With("component", "river"),
		Queues:            map[string]river.QueueConfig{river.QueueDefault: {MaxWorkers: cmpOr(cfg.Queue.MaxWorkers, 4)}},
		Workers:           workers,
		FetchPollInterval: cfg.Queue.PollInterval,
		ErrorHandler:      errorLogger{log, n.observe},
	}
	if cfg.Queue.PollInterval > 0 && cfg.Queue.PollInterval < 100*time.Millisecond {
		rc.FetchCooldown = cfg.Queue.PollInterval // River wants the cooldown no longer than the poll
	}
	if cfg.Queue.RetryDelay != nil {
		rc.RetryPolicy = retryPolicy(cfg.Queue.RetryDelay)
	}
	if n.river, err = river.NewClient(riverpgxv5.New(pool), rc); err != nil {
		return nil, fmt.Errorf("notify: river client: %w", err)
	}
	return n, nil
}

// Start begins delivering notices in the background. Cancelling ctx stops the delivery at once;
// call Stop for a graceful end.
func (n *Notifier) Start(ctx context.Context) error {
	if err := n.river.Start(ctx); err != nil {
		return fmt.Errorf("notify: start: %w", err)
	}
	return nil
}

// Stop lets deliveries in progress finish and stops fetching new ones. When ctx ends first, the
// unfinished jobs are retried later, by this or another server.
func (n *Notifier) Stop(ctx context.Context) error {
	if err := n.river.Stop(ctx); err != nil {
		return fmt.Errorf("notify: stop: %w", err)
	}
	return nil
}

// InsertTx enqueues a job of another package (see Config.Jobs) in the caller's transaction: it
// runs after the commit, and never if the transaction rolls back.
func (n *Notifier) InsertTx(ctx context.Context, tx pgx.Tx, args river.JobArgs, opts *river.InsertOpts) error {
	if _, err := n.river.InsertTx(ctx, tx, args, opts); err != nil {
		return fmt.Errorf("notify: enqueue %s: %w", args.Kind(), err)
	}
	return nil
}

// SMSEnabled reports whether SMS can be sent, so that the profile page offers the channel.
func (n *Notifier) SMSEnabled() bool { return n.sms != nil }

// LoginURL is the address that every notice asks the citizen to log in at.
func (n *Notifier) LoginURL() string { return n.loginURL }

// errorLogger logs failed jobs, which River itself keeps only in the job's row.
type errorLogger struct {
	log     *slog.Logger
	observe func(outcome, channel string)
}

func (h errorLogger) HandleError(ctx context.Context, job *rivertype.JobRow, err error) *river.ErrorHandlerResult {
	if job.Kind != (DeliverArgs{}).Kind() { // another job on the same client: a periodic one, a webhook's delivery, an archive package, a rescan
		level := slog.LevelWarn
		if job.Attempt >= job.MaxAttempts {
			level = slog.LevelError
		}
		h.log.Log(ctx, level, "job failed", "kind", job.Kind, "job_id", job.ID, "attempt", job.Attempt, "max_attempts", job.MaxAttempts, "err", err)
		return nil
	}
	level, msg, outcome := slog.LevelWarn, "notice delivery failed; it will be retried", "failed"
	if job.Attempt >= job.MaxAttempts {
		level, msg, outcome = slog.LevelError, "notice delivery failed for good", "discarded"
	}
	h.observe(outcome, "")
	h.log.Log(ctx, level, msg, "job_id", job.ID, "attempt", job.Attempt, "max_attempts", job.MaxAttempts, "err", err)
	return nil
}

func (h errorLogger) HandlePanic(ctx context.Context, job *rivertype.JobRow, panicVal any, trace string) *river.ErrorHandlerResult {
	h.log.ErrorContext(ctx, "job panicked", "job_id", job.ID, "kind", job.Kind, "panic", panicVal, "trace", trace)
	return nil
}

// retryPolicy waits the given delay after each failed attempt.
type retryPolicy func(attempt int) time.Duration

func (p retryPolicy) NextRetry(job *rivertype.JobRow) time.Time {
	return time.Now().Add(p(job.Attempt))
}

func cmpOr(v, def int) int {
	if v > 0 {
		return v
	}
	return def
}
