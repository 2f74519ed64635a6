package webhook

import (
	"context"
	"errors"
	"fmt"
	"time"

	"github.com/google/uuid"
	"github.com/jackc/pgx/v5"
	"github.com/minasidor/minasidor/internal/apperr"
	"github.com/minasidor/minasidor/internal/db"
)

// Delivery states.
const (
	StatePending   = "pending"   // not yet delivered; a job will try (again)
	StateDelivered = "delivered" // the receiver answered 2xx
	StateFailed    = "failed"    // given up after MaxAttempts tries, or the webhook was removed
)

// Delivery is one event to one webhook, as the delivery log shows it.
type Delivery struct {
	ID            uuid.UUID
	EventID       uuid.UUID
	Type          string
	Reference     string // the case's; "" once the case is gone
	CreatedAt     time.Time
	State         string
	Attempts      int
	LastAttemptAt *time.Time
	LastStatus    *int
	LastError     string
	DeliveredAt   *time.Time
}

// DeliveryPage is one page of a delivery log, newest first.
type DeliveryPage struct {
	Deliveries []Delivery
	Next       string // the cursor of the next page; "" on the last
}

// Deliveries returns a page of the webhook's delivery log, newest first, paged by key (after is
// the cursor of the previous page).
func (s *Store) Deliveries(ctx context.Context, tenantID, webhookID uuid.UUID, after string, limit int) (DeliveryPage, error) {
	if limit <= 0 || limit > 100 {
		limit = 50
	}
	args := []any{webhookID, tenantID, limit + 1}
	cursor := ""
	if t, id, ok := db.DecodeCursor(after); ok {
		args = append(args, t, id)
		cursor = `AND (dl.created_at, dl.id) < ($4, $5)`
	}
	rows, err := s.db.Query(ctx, `
		SELECT dl.id, dl.event_id, ev.type, coalesce(c.reference, ''), dl.created_at, dl.state, dl.attempts,
			dl.last_attempt_at, dl.last_status, dl.last_error, dl.delivered_at
		FROM webhook_delivery dl
		JOIN webhook_event ev ON ev.id = dl.event_id
		LEFT JOIN cases c ON c.id = ev.case_id
		WHERE dl.webhook_id = $1 AND dl.tenant_id = $2 `+cursor+`
		ORDER BY dl.created_at DESC, dl.id DESC
		LIMIT $3`, args...)
	if err != nil {
		return DeliveryPage{}, fmt.Errorf("webhook: deliveries: %w", err)
	}
	list, err := pgx.CollectRows(rows, func(r pgx.CollectableRow) (Delivery, error) {
		var d Delivery
		err := r.Scan(&d.ID, &d.EventID, &d.Type, &d.Reference, &d.CreatedAt, &d.State, &d.Attempts,
			&d.LastAttemptAt, &d.LastStatus, &d.LastError, &d.DeliveredAt)
		return d, err
	})
	if err != nil {
		return DeliveryPage{}, fmt.Errorf("webhook: deliveries: %w", err)
	}
	p := DeliveryPage{Deliveries: list}
	if len(list) > limit {
		p.Deliveries = list[:limit]
		last := p.Deliveries[limit-1]
		p.Next = db.EncodeCursor(last.CreatedAt, last.ID)
	}
	return p, nil
}

// ErrRemoved is a resend to a removed webhook.
var ErrRemoved = apperr.New(apperr.Conflict, "integration.error.removed")

// Resend sends a delivery of the municipality's webhook again, whatever became of it: the same
// event, with the same body and delivery id, signed anew, with a fresh set of tries.
func (s *Store) Resend(ctx context.Context, tenantID, webhookID, deliveryID uuid.UUID) error {
	return db.Transact(ctx, s.db, func(tx pgx.Tx) error {
		var removed bool
		err := tx.QueryRow(ctx, `
			UPDATE webhook_delivery dl SET state = 'pending', delivered_at = NULL
			FROM webhook w
			WHERE dl.id = $1 AND dl.webhook_id = $2 AND dl.tenant_id = $3 AND w.id = dl.webhook_id
			RETURNING w.removed_at IS NOT NULL`, deliveryID, webhookID, tenantID).Scan(&removed)
		if errors.Is(err, pgx.ErrNoRows) {
			return ErrNotFound
		}
		if err != nil {
			return fmt.Errorf("webhook: resend: %w", err)
		}
		if removed {
			return ErrRemoved
		}
		return enqueue(ctx, tx, deliveryID)
	})
}
