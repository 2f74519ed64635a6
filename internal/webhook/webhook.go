// Package webhook tells a municipality's other systems (a case system, a records system) when
// something happens to one of its cases: an HTTP POST of a small JSON event to the address a
// municipality admin registered, signed with the webhook's secret (HMAC-SHA256 over the
// timestamp, a dot and the body; see Sign and Verify).
//
// An event is written by Emit in the transaction of what happened, with one delivery per webhook
// that wants it and a River job per delivery; a transaction that rolls back sends nothing. The job
// posts the event after the commit and, when the receiver does not answer 2xx, tries again with
// exponential backoff (RetryDelay) up to MaxAttempts times. Every delivery is in the webhook's
// delivery log, where an admin can send it again.
//
// An event names the case (id, reference, e-service) and never carries personal data or
// answers: the receiver fetches what it needs through the API (/api/v1/cases/{id}), where the
// read is audited.
package webhook

import (
	"context"
	"crypto/rand"
	"encoding/base64"
	"errors"
	"fmt"
	"net/url"
	"slices"
	"strings"
	"time"
	"unicode/utf8"

	"github.com/google/uuid"
	"github.com/jackc/pgx/v5"
	"github.com/minasidor/minasidor/internal/apperr"
	"github.com/minasidor/minasidor/internal/audit"
	"github.com/minasidor/minasidor/internal/db"
)

// Event types, as the event's "type" and the Minasidor-Event header name them.
const (
	CaseSubmitted    = "case_submitted"    // a draft became a case (casework.Submit)
	CaseSupplemented = "case_supplemented" // the citizen answered a supplement request (casework.SubmitSupplement)
	MessageReceived  = "message_received"  // the citizen wrote a message on the case (message.Send)
	CaseSigned       = "case_signed"       // a case that needed signatures was submitted with all of them (signing; data: {"signatures": n})
	CaseWithdrawn    = "case_withdrawn"    // the citizen withdrew the case (casework.Withdraw)
)

// Events lists every event type a webhook can ask for, in the order the admin page shows them.
var Events = []string{CaseSubmitted, CaseSupplemented, MessageReceived, CaseSigned, CaseWithdrawn}

// Webhook is an address of a municipality that is told of the events it asked for.
type Webhook struct {
	ID        uuid.UUID
	TenantID  uuid.UUID
	Name      string
	URL       string
	Events    []string
	CreatedBy string
	CreatedAt time.Time
	Removed   bool
}

// Form fields of a new webhook, as the admin page names them.
const (
	FieldName   = "name"
	FieldURL    = "url"
	FieldEvents = "events"
)

// ErrNotFound is a webhook or delivery that does not exist in the municipality.
var ErrNotFound = apperr.New(apperr.NotFound, "")

// Options are the rules for webhook addresses.
type Options struct {
	// RequireHTTPS refuses plain http addresses (production).
	RequireHTTPS bool
}

// Store keeps a municipality's webhooks and their delivery log.
type Store struct {
	db   db.Querier
	opts Options
}

// NewStore returns a store on q (a pool, or a transaction).
func NewStore(q db.Querier, opts Options) *Store { return &Store{db: q, opts: opts} }

// New is a webhook as an admin asks for it.
type New struct {
	Name   string
	URL    string
	Events []string
}

// Check returns what is wrong with the webhook, by form field.
func (s *Store) Check(n New) apperr.FieldErrors {
	var errs apperr.FieldErrors
	if name := strings.TrimSpace(n.Name); name == "" || utf8.RuneCountInString(name) > 100 {
		errs.Add(FieldName, "integration.error.name")
	}
	u, err := url.Parse(strings.TrimSpace(n.URL))
	switch {
	case err != nil || u.Host == "" || (u.Scheme != "https" && u.Scheme != "http") || u.User != nil || u.Fragment != "" || len(n.URL) > 2000:
		errs.Add(FieldURL, "integration.error.url")
	case s.opts.RequireHTTPS && u.Scheme != "https":
		errs.Add(FieldURL, "integration.error.https")
	}
	if len(n.Events) == 0 {
		errs.Add(FieldEvents, "integration.error.events")
	}
	for _, e := range n.Events {
		if !slices.Contains(Events, e) {
			errs.Add(FieldEvents, "integration.error.events")
			break
		}
	}
	return errs
}

// Create registers a webhook of the actor's municipality and returns it with its secret, which
// signs every event. The secret is shown to the admin now and never again. The change is recorded
// in the municipality's change log.
func (s *Store) Create(ctx context.Context, by audit.Actor, n New) (Webhook, string, error) {
	if errs := s.Check(n); len(errs) > 0 {
		return Webhook{}, "", errs
	}
	secret, err := newSecret()
	if err != nil {
		return Webhook{}, "", err
	}
	events := slices.Clone(n.Events)
	slices.SortFunc(events, func(a, b string) int { return slices.Index(Events, a) - slices.Index(Events, b) })
	events = slices.Compact(events)
	w := Webhook{TenantID: by.TenantID, Name: strings.TrimSpace(n.Name), URL: strings.TrimSpace(n.URL), Events: events, CreatedBy: by.Name}
	err = db.Transact(ctx, s.db, func(tx pgx.Tx) error {
		err := tx.QueryRow(ctx, `
			INSERT INTO webhook (tenant_id, name, url, secret, events, created_by) VALUES ($1, $2, $3, $4, $5, $6)
			RETURNING id, created_at`, w.TenantID, w.Name, w.URL, secret, w.Events, w.CreatedBy).Scan(&w.ID, &w.CreatedAt)
		if err != nil {
			return fmt.Errorf("webhook: create: %w", err)
		}
		return audit.RecordChange(ctx, tx, audit.Change{Actor: by, Action: "webhook_added", Target: w.Name,
			Detail: map[string]any{"url": w.URL, "events": w.Events}})
	})
	return w, secret, err
}

// newSecret is 256 random bits, as text.
func newSecret() (string, error) {
	b := make([]byte, 32)
	if _, err := rand.Read(b); err != nil {
		return "", fmt.Errorf("webhook: secret: %w", err)
	}
	return "whsec_" + base64.RawURLEncoding.EncodeToString(b), nil
}

const columns = `id, tenant_id, name, url, events, created_by, created_at, removed_at IS NOT NULL`

func scan(r pgx.Row, w *Webhook) error {
	return r.Scan(&w.ID, &w.TenantID, &w.Name, &w.URL, &w.Events, &w.CreatedBy, &w.CreatedAt, &w.Removed)
}

// List returns the municipality's webhooks that are not removed, oldest first.
func (s *Store) List(ctx context.Context, tenantID uuid.UUID) ([]Webhook, error) {
	rows, err := s.db.Query(ctx, `SELECT `+columns+` FROM webhook WHERE tenant_id = $1 AND removed_at IS NULL ORDER BY created_at, id`, tenantID)
	if err != nil {
		return nil, fmt.Errorf("webhook: list: %w", err)
	}
	return pgx.CollectRows(rows, func(r pgx.CollectableRow) (Webhook, error) {
		var w Webhook
		err := scan(r, &w)
		return w, err
	})
}

// Get returns a webhook of the municipality, removed or not.
func (s *Store) Get(ctx context.Context, tenantID, id uuid.UUID) (Webhook, error) {
	var w Webhook
	err := scan(s.db.QueryRow(ctx, `SELECT `+columns+` FROM webhook WHERE id = $1 AND tenant_id = $2`, id, tenantID), &w)
	if errors.Is(err, pgx.ErrNoRows) {
		return Webhook{}, ErrNotFound
	}
	if err != nil {
		return Webhook{}, fmt.Errorf("webhook: %w", err)
	}
	return w, nil
}

// Remove stops the webhook: no new events go to it, and deliveries not yet made are given up. Its
// delivery log stays. The change is recorded.
func (s *Store) Remove(ctx context.Context, by audit.Actor, id uuid.UUID) error {
	return db.Transact(ctx, s.db, func(tx pgx.Tx) error {
		var name string
		err := tx.QueryRow(ctx, `UPDATE webhook SET removed_at = now() WHERE id = $1 AND tenant_id = $2 AND removed_at IS NULL RETURNING name`,
			id, by.TenantID).Scan(&name)
		if errors.Is(err, pgx.ErrNoRows) {
			return ErrNotFound
		}
		if err != nil {
			return fmt.Errorf("webhook: remove: %w", err)
		}
		return audit.RecordChange(ctx, tx, audit.Change{Actor: by, Action: "webhook_removed", Target: name})
	})
}
