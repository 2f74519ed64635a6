package casework

import (
	"context"
	"strings"

	"github.com/google/uuid"
	"github.com/jackc/pgx/v5"
	"github.com/minasidor/minasidor/internal/apperr"
	"github.com/minasidor/minasidor/internal/message"
	"github.com/minasidor/minasidor/internal/staff"
)

// ErrStatus is a status the case cannot be set to here: unknown, or one of the types that have
// their own action (asking for a supplement, closing with a decision).
var ErrStatus = apperr.New(apperr.Invalid, "error.status")

// SetStatus sets the case to one of its e-service's statuses, with an optional message to the
// citizen, in one transaction: the caseworker must see the case, and a message that cannot be
// sent (too long, say) leaves the status as it was. The citizen is told of the change.
func (s *Store) SetStatus(ctx context.Context, m staff.Member, caseID uuid.UUID, key, text string) error {
	if key == "" {
		return ErrStatus
	}
	return s.asCaseworker(ctx, m, caseID, func(tx pgx.Tx) error {
		mv, err := s.transition(ctx, tx, caseID, move{key: key, actor: m.Name, event: true, notice: true})
		if err != nil {
			return err
		}
		if mv.typ == StatusClosed || mv.typ == StatusWaitingSupplement {
			return ErrStatus
		}
		if strings.TrimSpace(text) == "" {
			return nil
		}
		_, err = message.SendOnLocked(ctx, tx, s.notices, message.Case{ID: caseID, TenantID: mv.tenantID, AccountID: mv.account, NoChannel: mv.noChannel}, m.Name, text)
		return err
	})
}

// overdue holds for an open case that has been in its status longer than the status's handling
// time: its due date (kept by the database, migration 00047) has passed.
const overdue = `c.closed_at IS NULL AND c.due_at < now()`
