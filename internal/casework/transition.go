package casework

import (
	"context"
	"errors"
	"fmt"
	"time"

	"github.com/google/uuid"
	"github.com/jackc/pgx/v5"
	"github.com/minasidor/minasidor/internal/apperr"
	"github.com/minasidor/minasidor/internal/db"
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
	again    error  // returned when the case has the type already; nil: a case may stay in its type
	at       time.Time
}

// moved is the case a transition changed.
type moved struct {
	tenantID  uuid.UUID
	account   *uuid.UUID
	noChannel bool // the account's holder has chosen no channel for notices
	key, typ  string
}

// transition sets the case's status, in tx: the status's key and type, when it changed (its
// handling time starts again), the closing with its decision, the event in its history and the
// citizen's notice. A closed case changes no more. Closing a case that waits for a supplement
// withdraws the request and the citizen's supplement draft, which can no longer be submitted.
// It locks the case and finds the status (and whether the citizen has chosen a channel for
// notices) in one statement, and writes in one batch (then the notice's delivery job, when the
// notice has one).
func (s *Store) transition(ctx context.Context, tx pgx.Tx, caseID uuid.UUID, m move) (moved, error) {
	var mv moved
	var from string
	var closed bool
	err := tx.QueryRow(ctx, `
		SELECT c.tenant_id, c.account_id, `+notify.NoChannelSQL+`, c.status, c.closed_at IS NOT NULL,
			coalesce(s.key, ''), coalesce(s.type, '')
		FROM cases c LEFT JOIN account a ON a.id = c.account_id LEFT JOIN LATERAL (
			SELECT key, type FROM eservice_status
			WHERE eservice_id = c.eservice_id AND ($2 = '' OR key = $2) AND ($3 = '' OR type = $3)
			ORDER BY position LIMIT 1) s ON true
		WHERE c.id = $1 FOR UPDATE OF c`, caseID, m.key, m.typ).
		Scan(&mv.tenantID, &mv.account, &mv.noChannel, &from, &closed, &mv.key, &mv.typ)
	if errors.Is(err, pgx.ErrNoRows) {
		return mv, ErrNotFound
	}
	if err != nil {
		return mv, fmt.Errorf("casework: status of %s: %w", caseID, err)
	}
	if closed {
		return mv, ErrClosed
	}
	if m.again != nil && from == m.typ {
		return mv, m.again
	}
	if mv.key == "" || (m.key == "" && m.typ == "") { // an unknown key, or one of another type
		return mv, ErrStatus
	}
	if m.at.IsZero() {
		m.at = time.Now()
	}
	var decision any
	if mv.typ == StatusClosed {
		decision = m.decision
	}
	b := &pgx.Batch{}
	b.Queue(`
		UPDATE cases SET status = $2::text, status_key = $3, status_changed_at = $4::timestamptz, updated_at = $4::timestamptz,
			closed_at = CASE WHEN $2::text = 'closed' THEN $4::timestamptz END, decision = coalesce($5::text, decision)
		WHERE id = $1`, caseID, mv.typ, mv.key, m.at, decision)
	if from == StatusWaitingSupplement && mv.typ == StatusClosed {
		queueWithdrawSupplement(b, caseID, m.at)
	}
	if m.event {
		b.Queue(`
			INSERT INTO case_event (tenant_id, case_id, kind, actor, at, data)
			VALUES ($1, $2, 'status', $3, $4, jsonb_build_object('status', $5::text, 'key', $6::text))`,
			mv.tenantID, caseID, m.actor, m.at, mv.typ, mv.key)
	}
	var deliver notify.Deliver
	if m.notice && mv.account != nil {
		kind := notify.KindStatusChanged
		switch mv.typ {
		case StatusClosed:
			kind = notify.KindCaseClosed
		case StatusWaitingSupplement:
			kind = notify.KindSupplementRequested
		}
		if deliver, err = s.notices.QueueOn(b, notify.Notice{TenantID: mv.tenantID, AccountID: *mv.account, CaseID: caseID, Kind: kind,
			NoChannel: mv.noChannel}); err != nil {
			return mv, err
		}
	}
	if err := db.Run(ctx, tx, b); err != nil {
		return mv, fmt.Errorf("casework: set status: %w", err)
	}
	return mv, deliver.Add(ctx, tx)
}

// queueWithdrawSupplement queues on b the end of the case's open supplement request unanswered,
// and the removal of the draft the citizen may have started to answer it, with its files.
func queueWithdrawSupplement(b *pgx.Batch, caseID uuid.UUID, at time.Time) {
	b.Queue(`UPDATE supplement_request SET withdrawn_at = $2 WHERE case_id = $1 AND answered_at IS NULL AND withdrawn_at IS NULL`, caseID, at)
	b.Queue(`DELETE FROM upload WHERE draft_id IN (SELECT id FROM draft WHERE case_id = $1)`, caseID)
	b.Queue(`DELETE FROM draft WHERE case_id = $1`, caseID)
}
