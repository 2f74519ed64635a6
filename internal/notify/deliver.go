package notify

import (
	"context"
	"errors"
	"fmt"
	"strings"
	"time"

	"github.com/google/uuid"
	"github.com/jackc/pgx/v5"
	"github.com/minasidor/minasidor/internal/db"
	"github.com/minasidor/minasidor/internal/i18n"
	"github.com/riverqueue/river"
)

// Why a notice was not sent (notice.skipped_reason).
const (
	SkipNoAccount      = "no_account"      // the notice names no account, or it is gone
	SkipNoChannel      = "no_channel"      // the account has chosen no channel
	SkipUnverified     = "unverified"      // the chosen address or number is not confirmed
	SkipSMSUnavailable = "sms_unavailable" // SMS chosen, but no SMS gateway is configured
	SkipUnknownKind    = "unknown_kind"    // no text for the notice's kind
)

// DeliverArgs is the River job that delivers one notice.
type DeliverArgs struct {
	NoticeID uuid.UUID `json:"notice_id"`
}

// Kind names the job in River's tables.
func (DeliverArgs) Kind() string { return "notify_deliver" }

type deliverWorker struct {
	river.WorkerDefaults[DeliverArgs]
	n *Notifier
}

// Work delivers the notice. A send error is returned, so River tries again later with backoff.
func (w *deliverWorker) Work(ctx context.Context, job *river.Job[DeliverArgs]) error {
	return w.n.deliver(ctx, job.Args.NoticeID)
}

// delivery is what a notice needs: whom to tell, how, and what to name.
type delivery struct {
	Kind, Municipality, Reference, EService string
	Place                                   string            // of a booking
	Start                                   *time.Time        // of a booking
	Extra                                   map[string]string // the e-service's text for the kind, by language
	Done                                    bool              // sent or skipped already
	HasAccount                              bool
	RequestID                               *uuid.UUID // of a request for public documents
	RequestEmail, RequestLang               string     // the address a requester gave for the answer
	Email, Phone, Preferred, Language       string
	Given                                   string // an address given for someone without a usable account
	EmailVerified, PhoneVerified            bool
}

// deliver sends the notice at most once per attempt and never again after it is marked done.
//
// E-mail and SMS are not transactional, so the notice is sent first and marked sent after. If the
// server stops between the two, or the mark fails, River retries and the citizen gets the same
// notice twice: at-least-once in that narrow gap, at-most-once otherwise. Doubling a "log in to
// read" notice is harmless; losing one is not.
func (n *Notifier) deliver(ctx context.Context, id uuid.UUID) error {
	d, err := n.loadDelivery(ctx, id)
	if errors.Is(err, pgx.ErrNoRows) {
		return river.JobCancel(fmt.Errorf("notify: notice %s does not exist", id))
	}
	if err != nil {
		return err
	}
	if d.Done {
		return nil
	}
	channel, reason := n.pickChannel(d)
	var attachments []Attachment
	if !d.HasAccount && d.RequestEmail != "" && d.RequestID != nil {
		// The answer to a request goes, with its documents, to the address given for it.
		channel, reason, d.Email, d.Language = ChannelEmail, "", d.RequestEmail, d.RequestLang
		if attachments, err = n.requestAttachments(ctx, *d.RequestID); err != nil {
			return err
		}
	}
	if channel == "" && d.Given != "" {
		// A co-signer without a usable account: the address the applicant gave.
		channel, reason, d.Email = ChannelEmail, "", d.Given
	}
	extra := d.Extra[pickLang(d.Language)]
	if strings.TrimSpace(extra) == "" {
		extra = d.Extra["sv"]
	}
	v := vars{Municipality: d.Municipality, EService: d.EService, Reference: d.Reference, URL: n.loginURL, Extra: extra, Place: d.Place,
		Attached: len(attachments) > 0}
	if d.Start != nil {
		v.Time = i18n.DateTime(*d.Start)
	}
	msg, ok := render(d.Kind, d.Language, v)
	if !ok {
		channel, reason = "", SkipUnknownKind
	}
	switch channel {
	case ChannelEmail:
		err = n.sendEmail(ctx, d.Email, msg, attachments)
	case ChannelSMS:
		err = n.sms.SendSMS(ctx, d.Phone, msg.SMS)
	default:
		n.log.InfoContext(ctx, "notice skipped", "notice_id", id, "kind", d.Kind, "reason", reason)
		if err := n.markDone(ctx, id, "none", reason); err != nil {
			return err // River tries again, and counts it then
		}
		n.observe("skipped", "none")
		return nil
	}
	if err != nil {
		return fmt.Errorf("notify: send notice %s by %s: %w", id, channel, err)
	}
	n.log.InfoContext(ctx, "notice sent", "notice_id", id, "kind", d.Kind, "channel", channel)
	n.observe("sent", channel)
	return n.markDone(ctx, id, channel, "")
}

// pickChannel returns the account's preferred channel if its address or number is confirmed, or
// else the reason to skip the notice.
func (n *Notifier) pickChannel(d delivery) (channel, skipReason string) {
	switch {
	case !d.HasAccount:
		return "", SkipNoAccount
	case d.Preferred == ChannelEmail && d.Email != "" && d.EmailVerified:
		return ChannelEmail, ""
	case d.Preferred == ChannelSMS && n.sms == nil:
		return "", SkipSMSUnavailable
	case d.Preferred == ChannelSMS && d.Phone != "" && d.PhoneVerified:
		return ChannelSMS, ""
	case d.Preferred == ChannelEmail || d.Preferred == ChannelSMS:
		return "", SkipUnverified
	}
	return "", SkipNoChannel
}

// planOnceAsWritten makes the rest of a batch's statements plan once, for any parameters, and
// join their tables in the order written.
const planOnceAsWritten = `SELECT set_config('plan_cache_mode', 'force_generic_plan', true), set_config('join_collapse_limit', '1', true)`

func (n *Notifier) loadDelivery(ctx context.Context, id uuid.UUID) (delivery, error) {
	var d delivery
	// Eleven tables joined by their keys from one notice, in the order written: the planner
	// weighing every order took ten times the lookup itself (and 160 ms for a plan made for any
	// notice). In the order written it takes half a millisecond, and the plan serves every notice.
	b := &pgx.Batch{}
	b.Queue(planOnceAsWritten)
	b.Queue(`
		SELECT n.kind, n.sent_at IS NOT NULL, t.name, coalesce(c.reference, bc.reference, q.reference, ''),
			coalesce(e.title ->> a.language, e.title ->> 'sv', r.name ->> a.language, r.name ->> 'sv', ''),
			coalesce(r.place ->> a.language, r.place ->> 'sv', ''),
			CASE WHEN n.kind = 'draft_expiring' THEN n.created_at + interval '7 days' ELSE sl.starts_at END,
			a.id IS NOT NULL, coalesce(a.email, ''), coalesce(a.phone, ''), coalesce(a.preferred_channel, ''),
			coalesce(a.language, 'sv'), a.email_verified_at IS NOT NULL, a.phone_verified_at IS NOT NULL,
			coalesce(e.notice_texts -> n.kind, '{}'),
			n.request_id, coalesce(q.email, ''), coalesce(q.lang, 'sv'), coalesce(n.email, '')
		FROM notice n
		JOIN tenant t ON t.id = n.tenant_id
		LEFT JOIN cases c ON c.id = n.case_id
		LEFT JOIN signing sg ON sg.id = n.signing_id
		LEFT JOIN eservice e ON e.id = coalesce(c.eservice_id, sg.eservice_id, n.eservice_id)
		LEFT JOIN booking b ON b.id = n.booking_id
		LEFT JOIN booking_slot sl ON sl.id = b.slot_id
		LEFT JOIN booking_resource r ON r.id = b.resource_id
		LEFT JOIN cases bc ON bc.id = b.case_id
		LEFT JOIN account a ON a.id = n.account_id
		LEFT JOIN disclosure_request q ON q.id = n.request_id AND q.delivery = 'email'
		WHERE n.id = $1`, id).QueryRow(func(row pgx.Row) error {
		return row.Scan(&d.Kind, &d.Done, &d.Municipality, &d.Reference,
			&d.EService, &d.Place, &d.Start, &d.HasAccount, &d.Email, &d.Phone, &d.Preferred,
			&d.Language, &d.EmailVerified, &d.PhoneVerified, &d.Extra, &d.RequestID, &d.RequestEmail, &d.RequestLang, &d.Given)
	})
	err := db.Run(ctx, n.pool, b)
	if err != nil && !errors.Is(err, pgx.ErrNoRows) {
		return d, fmt.Errorf("notify: load notice %s: %w", id, err)
	}
	return d, err
}

func (n *Notifier) markDone(ctx context.Context, id uuid.UUID, channel, reason string) error {
	var skipped *string
	if reason != "" {
		skipped = &reason
	}
	_, err := n.pool.Exec(ctx, `
		UPDATE notice SET sent_at = now(), channel = $2, skipped_reason = $3
		WHERE id = $1 AND sent_at IS NULL`, id, channel, skipped)
	if err != nil {
		return fmt.Errorf("notify: mark notice %s: %w", id, err)
	}
	return nil
}
