package casework

import (
	"context"
	"errors"
	"fmt"
	"time"

	"github.com/google/uuid"
	"github.com/jackc/pgx/v5"
	"github.com/minasidor/minasidor/internal/apperr"
	"github.com/minasidor/minasidor/internal/notify"
)

// A case's status is one of its e-service's statuses (eservice owns them): a key, and a type that
// the portal acts on. transition is the one writer of a case's status; every change goes through
// it, in the caller's transaction.

// ErrClosed is a change to a case that is closed.
var ErrClosed = apperr.New(apperr.Conflict, "error.case.closed")

// move is a change of a case's status.
type move struct {
	key      string // a status of the case's e-service; "" takes the first status of typ
	typ      string // the type the status must have; "" with a key: any type
	actor    string // who, as the case's history names them; "" for the citizen
	decision string // with a closed status: the decision the citizen reads
	event    bool   // record the change in the case's history
	notice   bool   // tell the citizen (of a new status, a request or the closing)
	at       time.Time
}

// moved is the case a transition changed.
type moved struct {
	tenantID uuid.UUID
	account  *uuid.UUID
	key, typ string
}

// transition sets the case's status, in tx: the status's key and type, when it changed (its
// handling time starts again), the closing with its decision, the event in its history and the
// citizen's notice. A closed case changes no more. Closing a case that waits for a supplement
// withdraws the request and the citizen's supplement draft, which can no longer be submitted.
func (s *Store) transition(ctx context.Context, tx pgx.Tx, caseID uuid.UUID, m move) (moved, error) {
	var mv moved
	var eserviceID uuid.UUID
	var from string
	var closed bool
	err := tx.QueryRow(ctx, `SELECT tenant_id, eservice_id, account_id, status, closed_at IS NOT NULL FROM cases WHERE id = $1 FOR UPDATE`, caseID).
		Scan(&mv.tenantID, &eserviceID, &mv.account, &from, &closed)
	if errors.Is(err, pgx.ErrNoRows) {
		return mv, ErrNotFound
	}
	if err != nil {
		return mv, fmt.Errorf("casework: status of %s: %w", caseID, err)
	}
	if closed {
		return mv, ErrClosed
	}
	if mv.key, mv.typ, err = statusOf(ctx, tx, eserviceID, m.key, m.typ); err != nil {
		return mv, err
	}
	if m.at.IsZero() {
		m.at = time.Now()
	}
	var decision any
	if mv.typ == StatusClosed {
		decision = m.decision
	}
	if _, err := tx.Exec(ctx, `
		UPDATE cases SET status = $2::text, status_key = $3, status_changed_at = $4::timestamptz, updated_at = $4::timestamptz,
			closed_at = CASE WHEN $2::text = 'closed' THEN $4::timestamptz END, decision = coalesce($5::text, decision)
		WHERE id = $1`, caseID, mv.typ, mv.key, m.at, decision); err != nil {
		return mv, fmt.Errorf("casework: set status: %w", err)
	}
	if from == StatusWaitingSupplement && mv.typ == StatusClosed {
		if err := withdrawSupplement(ctx, tx, caseID, m.at); err != nil {
			return mv, err
		}
	}
	if m.event {
		if _, err := tx.Exec(ctx, `
			INSERT INTO case_event (tenant_id, case_id, kind, actor, at, data)
			VALUES ($1, $2, 'status', $3, $4, jsonb_build_object('status', $5::text, 'key', $6::text))`,
			mv.tenantID, caseID, m.actor, m.at, mv.typ, mv.key); err != nil {
			return mv, fmt.Errorf("casework: status event: %w", err)
		}
	}
	if !m.notice {
		return mv, nil
	}
	kind := notify.KindStatusChanged
	switch mv.typ {
	case StatusClosed:
		kind = notify.KindCaseClosed
	case StatusWaitingSupplement:
		kind = notify.KindSupplementRequested
	}
	return mv, s.notice(ctx, tx, mv.tenantID, caseID, mv.account, kind)
}

// statusOf resolves a status of the e-service: by key (of type typ, when typ is given), or the
// first status of type typ. An unknown key, or one of another type, is ErrStatus.
func statusOf(ctx context.Context, q pgx.Tx, eserviceID uuid.UUID, key, typ string) (string, string, error) {
	var k, t string
	err := q.QueryRow(ctx, `
		SELECT key, type FROM eservice_status
		WHERE eservice_id = $1 AND ($2 = '' OR key = $2) AND ($3 = '' OR type = $3)
		ORDER BY position LIMIT 1`, eserviceID, key, typ).Scan(&k, &t)
	if errors.Is(err, pgx.ErrNoRows) || (key == "" && typ == "") {
		return "", "", ErrStatus
	}
	if err != nil {
		return "", "", fmt.Errorf("casework: status: %w", err)
	}
	return k, t, nil
}

// withdrawSupplement ends the case's open supplement request unanswered, and removes the draft the
// citizen may have started to answer it, with its files.
func withdrawSupplement(ctx context.Context, tx pgx.Tx, caseID uuid.UUID, at time.Time) error {
	if _, err := tx.Exec(ctx, `UPDATE supplement_request SET withdrawn_at = $2 WHERE case_id = $1 AND answered_at IS NULL AND withdrawn_at IS NULL`, caseID, at); err != nil {
		return fmt.Errorf("casework: withdraw supplement request: %w", err)
	}
	if _, err := tx.Exec(ctx, `DELETE FROM upload WHERE draft_id IN (SELECT id FROM draft WHERE case_id = $1)`, caseID); err != nil {
		return fmt.Errorf("casework: withdraw supplement files: %w", err)
	}
	if _, err := tx.Exec(ctx, `DELETE FROM draft WHERE case_id = $1`, caseID); err != nil {
		return fmt.Errorf("casework: withdraw supplement draft: %w", err)
	}
	return nil
}
