package notify

import (
	"context"
	"errors"
	"fmt"
	"slices"

	"github.com/google/uuid"
	"github.com/jackc/pgx/v5"
	"github.com/minasidor/minasidor/internal/db"
	"github.com/riverqueue/river"
)

// Notice is something to tell an account's holder about one of their cases or bookings, or a
// co-signer about a draft they are asked to sign.
type Notice struct {
	TenantID  uuid.UUID
	AccountID uuid.UUID
	CaseID    uuid.UUID
	BookingID uuid.UUID // a booking's notice has a booking instead of a case
	// RequestID is a request for public documents: its notice has neither case nor booking, and
	// no account when it goes to the e-mail address the requester gave.
	RequestID uuid.UUID
	SigningID uuid.UUID // a notice about a draft being signed has its signing instead
	// Email is an address given for someone who may have no account (a co-signer): used when
	// AccountID is not set or its holder has no confirmed channel.
	Email string
	// EServiceID names the e-service of a notice about a draft (KindDraftExpiring), which has
	// neither case nor booking.
	EServiceID uuid.UUID
	Kind       string // one of the Kind constants
	// NoChannel says that the caller read, in its transaction, that the account's holder has
	// chosen no channel (NoChannelSQL). Such a notice is written as skipped for that reason, as
	// its job would mark it, and no job is queued. A caller that has not read the account leaves
	// it false, and the job finds out.
	NoChannel bool
}

// NoChannelSQL holds, in a statement that reads the account as a, when its holder has chosen no
// channel: the rule the delivery job applies (SkipNoChannel), for a caller that sets NoChannel
// from its own read of the account.
const NoChannelSQL = `a.preferred_channel IS NULL`

// accountOnly are the kinds of notice about the account alone, with neither case nor booking.
var accountOnly = []string{KindDraftExpiring, KindExtractReady}

// Outbox is what a store needs to tell citizens: a notice enqueued in the transaction of the
// event that causes it. *Notifier is one.
type Outbox interface {
	Enqueue(ctx context.Context, tx pgx.Tx, n Notice) error
	QueueOn(b *pgx.Batch, n Notice) (Deliver, error)
}

// Deliver adds, in the transaction the batch ran in, the job that delivers a notice queued on it.
type Deliver func(ctx context.Context, tx pgx.Tx) error

// Add runs d, for a store that queued a notice only on some paths: a nil Deliver (no notice
// queued) adds nothing.
func (d Deliver) Add(ctx context.Context, tx pgx.Tx) error {
	if d == nil {
		return nil
	}
	return d(ctx, tx)
}

// Enqueue writes the notice and the job that delivers it, in the caller's transaction: both
// exist once it commits, and neither if it rolls back. Delivery starts after the commit.
func (n *Notifier) Enqueue(ctx context.Context, tx pgx.Tx, notice Notice) error {
	b := &pgx.Batch{}
	deliver, err := n.QueueOn(b, notice)
	if err != nil {
		return err
	}
	if err := tx.SendBatch(ctx, b).Close(); err != nil {
		return err
	}
	return deliver(ctx, tx)
}

// QueueOn queues the notice's row on b, so that a store writing several rows sends them in one
// round trip; once b has run in tx, the returned Deliver adds the job that delivers it (or, for a
// notice written as skipped, counts it as the job would have, once tx has committed).
func (n *Notifier) QueueOn(b *pgx.Batch, notice Notice) (Deliver, error) {
	if !slices.Contains(Kinds, notice.Kind) {
		return nil, fmt.Errorf("notify: unknown notice kind %q", notice.Kind)
	}
	subjects := 0
	for _, id := range []uuid.UUID{notice.CaseID, notice.BookingID, notice.RequestID, notice.SigningID} {
		if id != uuid.Nil {
			subjects++
		}
	}
	ofAccount := slices.Contains(accountOnly, notice.Kind)
	switch {
	case notice.TenantID == uuid.Nil || (notice.AccountID == uuid.Nil && notice.RequestID == uuid.Nil && notice.Email == ""):
		return nil, errors.New("notify: a notice needs a tenant and an account (but for a request, or with an address given)")
	case ofAccount && (subjects != 0 || notice.AccountID == uuid.Nil || (notice.Kind == KindDraftExpiring) != (notice.EServiceID != uuid.Nil)):
		return nil, fmt.Errorf("notify: a notice of kind %s names an account, no case, booking, request or signing, and an e-service only about a draft", notice.Kind)
	case !ofAccount && (subjects != 1 || notice.EServiceID != uuid.Nil):
		return nil, errors.New("notify: a notice needs a case, a booking, a request or a signing")
	}
	var email any
	if notice.Email != "" {
		email = notice.Email
	}
	id := uuid.New()
	// Without a channel the notice has no one to go to: the address given (Email) is the only
	// other way, and a request's notice (with or without an account) goes where the request says.
	var skipped any
	if notice.NoChannel && notice.AccountID != uuid.Nil && notice.Email == "" && notice.RequestID == uuid.Nil {
		skipped = SkipNoChannel
	}
	b.Queue(`
		INSERT INTO notice (id, tenant_id, account_id, case_id, booking_id, request_id, signing_id, email, eservice_id, kind,
			sent_at, channel, skipped_reason)
		VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10,
			CASE WHEN $11::text IS NOT NULL THEN now() END, CASE WHEN $11::text IS NOT NULL THEN 'none' END, $11)`,
		id, notice.TenantID, nilUUID(notice.AccountID), nilUUID(notice.CaseID), nilUUID(notice.BookingID), nilUUID(notice.RequestID),
		nilUUID(notice.SigningID), email, nilUUID(notice.EServiceID), notice.Kind, skipped)
	if skipped != nil {
		return func(_ context.Context, tx pgx.Tx) error {
			db.AfterCommit(tx, func() { n.observe("skipped", "none") })
			return nil
		}, nil
	}
	return func(ctx context.Context, tx pgx.Tx) error {
		if _, err := n.river.InsertTx(ctx, tx, DeliverArgs{NoticeID: id}, &river.InsertOpts{MaxAttempts: n.maxAttempts}); err != nil {
			return fmt.Errorf("notify: enqueue delivery: %w", err)
		}
		return nil
	}, nil
}

// nilUUID is NULL for uuid.Nil.
func nilUUID(id uuid.UUID) any {
	if id == uuid.Nil {
		return nil
	}
	return id
}
