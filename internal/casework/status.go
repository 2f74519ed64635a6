package casework

import (
	"context"
	"errors"
	"fmt"

	"github.com/google/uuid"
	"github.com/jackc/pgx/v5"
	"github.com/minasidor/minasidor/internal/apperr"
	"github.com/minasidor/minasidor/internal/db"
	"github.com/minasidor/minasidor/internal/form"
	"github.com/minasidor/minasidor/internal/notify"
	"github.com/minasidor/minasidor/internal/staff"
)

// Status is one of an e-service's statuses.
type Status struct {
	Key          string
	Label        form.Text
	Type         string // StatusSubmitted, StatusInProgress, StatusWaitingSupplement or StatusClosed
	HandlingDays int    // 0: no handling time
}

// Statuses returns the e-service's statuses in order.
func (s *Store) Statuses(ctx context.Context, eserviceID uuid.UUID) ([]Status, error) {
	rows, err := s.pool.Query(ctx, `
		SELECT key, label, type, coalesce(handling_days, 0) FROM eservice_status WHERE eservice_id = $1 ORDER BY position`, eserviceID)
	if err != nil {
		return nil, fmt.Errorf("casework: statuses: %w", err)
	}
	return pgx.CollectRows(rows, func(r pgx.CollectableRow) (Status, error) {
		var st Status
		err := r.Scan(&st.Key, &st.Label, &st.Type, &st.HandlingDays)
		return st, err
	})
}

// ErrStatus is a status the case cannot be set to here: unknown, or one of the types that have
// their own action (asking for a supplement, closing with a decision).
var ErrStatus = apperr.New(apperr.Invalid, "error.status")

// SetStatusKey sets the case to one of its e-service's statuses, as an event of its history, and
// tells the citizen.
func (s *Store) SetStatusKey(ctx context.Context, caseID uuid.UUID, key string, by staff.Member) error {
	return db.Transact(ctx, s.pool, func(tx pgx.Tx) error {
		var tenantID uuid.UUID
		var account *uuid.UUID
		var typ string
		err := tx.QueryRow(ctx, `
			SELECT c.tenant_id, c.account_id, st.type FROM cases c
			JOIN eservice_status st ON st.eservice_id = c.eservice_id AND st.key = $2
			WHERE c.id = $1 AND c.closed_at IS NULL FOR UPDATE OF c`, caseID, key).Scan(&tenantID, &account, &typ)
		if errors.Is(err, pgx.ErrNoRows) || typ == StatusClosed || typ == StatusWaitingSupplement {
			return ErrStatus
		}
		if err != nil {
			return err
		}
		if _, err := tx.Exec(ctx, `UPDATE cases SET status = $2, status_key = $3, updated_at = now() WHERE id = $1`, caseID, typ, key); err != nil {
			return err
		}
		if _, err := tx.Exec(ctx, `INSERT INTO case_event (tenant_id, case_id, kind, actor, data) VALUES ($1, $2, 'status', $3, jsonb_build_object('status', $4::text, 'key', $5::text))`,
			tenantID, caseID, by.Name, typ, key); err != nil {
			return err
		}
		return s.notice(ctx, tx, tenantID, caseID, account, notify.KindStatusChanged)
	})
}

// overdue holds for an open case that has been in its status longer than the status's handling
// time.
const overdue = `c.closed_at IS NULL AND EXISTS (SELECT 1 FROM eservice_status es
	WHERE es.eservice_id = c.eservice_id AND es.key = c.status_key AND es.handling_days IS NOT NULL
	  AND c.status_changed_at + es.handling_days * interval '1 day' < now())`

// MessageTemplate is a ready text a caseworker can start a message from.
type MessageTemplate struct {
	ID    uuid.UUID
	Title string
	Body  string
}

// MessageTemplates returns the e-service's message templates in order.
func (s *Store) MessageTemplates(ctx context.Context, eserviceID uuid.UUID) ([]MessageTemplate, error) {
	rows, err := s.pool.Query(ctx, `SELECT id, title, body FROM eservice_message_template WHERE eservice_id = $1 ORDER BY position, title`, eserviceID)
	if err != nil {
		return nil, fmt.Errorf("casework: message templates: %w", err)
	}
	return pgx.CollectRows(rows, func(r pgx.CollectableRow) (MessageTemplate, error) {
		var t MessageTemplate
		err := r.Scan(&t.ID, &t.Title, &t.Body)
		return t, err
	})
}
