package casework

import (
	"context"
	"errors"
	"fmt"
	"strings"
	"time"
	"unicode/utf8"

	"github.com/google/uuid"
	"github.com/jackc/pgx/v5"
	"github.com/minasidor/minasidor/internal/apperr"
	"github.com/minasidor/minasidor/internal/db"
	"github.com/minasidor/minasidor/internal/webhook"
)

// MaxWithdrawReason bounds the reason a citizen may give for withdrawing a case, in characters.
const MaxWithdrawReason = 2000

// Withdraw closes the citizen's own open case at their request (återkallar ärendet). In one
// transaction: the case takes its e-service's first closed status, an open supplement request
// and its draft go, the history records that the applicant withdrew it and why (the reason is
// optional), the times booked for it that are still to come are cancelled (booking.Store.
// CancelForCase), and the webhooks' case_withdrawn event is recorded. A case that is not the
// account's, or has left it under the retention rules, is not found; a closed one is ErrClosed.
// A reason that is too long is a field error of "reason", and nothing changes.
func (s *Store) Withdraw(ctx context.Context, accountID, caseID uuid.UUID, reason string, now time.Time) error {
	reason = strings.TrimSpace(strings.ReplaceAll(reason, "\r\n", "\n"))
	if utf8.RuneCountInString(reason) > MaxWithdrawReason {
		return apperr.FieldErrors{{Field: "reason", Key: "withdraw.error.reason"}}
	}
	return db.Transact(ctx, s.db, func(tx pgx.Tx) error {
		var closed bool
		err := tx.QueryRow(ctx, `SELECT closed_at IS NOT NULL FROM cases
			WHERE id = $1 AND account_id = $2 AND citizen_removed_at IS NULL FOR UPDATE`, caseID, accountID).Scan(&closed)
		if errors.Is(err, pgx.ErrNoRows) {
			return ErrNotFound
		}
		if err != nil {
			return fmt.Errorf("casework: withdraw: %w", err)
		}
		if closed {
			return ErrClosed
		}
		mv, err := s.transition(ctx, tx, caseID, move{typ: StatusClosed, at: now})
		if err != nil {
			return err
		}
		if _, err := tx.Exec(ctx, `INSERT INTO case_event (tenant_id, case_id, kind, at, data) VALUES ($1, $2, 'withdrawn', $3, $4)`,
			mv.tenantID, caseID, now, map[string]any{"reason": reason}); err != nil {
			return fmt.Errorf("casework: withdraw event: %w", err)
		}
		if s.bookings != nil {
			if err := s.bookings.With(tx).CancelForCase(ctx, caseID); err != nil {
				return err
			}
		}
		return webhook.Emit(ctx, tx, webhook.Event{Type: webhook.CaseWithdrawn, CaseID: caseID})
	})
}
