package signing

import (
	"context"
	"fmt"

	"github.com/google/uuid"
	"github.com/jackc/pgx/v5"
	"github.com/minasidor/minasidor/internal/db"
	"github.com/minasidor/minasidor/internal/notify"
	"github.com/minasidor/minasidor/internal/personnummer"
)

// Due does what time asks of signings, for the housekeeping: a draft whose deadline has passed
// goes back to its applicant, who is told (the signing page then names who has not signed); a
// co-signer who has not signed after the e-service's reminder days is reminded once; signings of
// drafts deleted before they were submitted, and signatures started but never finished, are
// removed. It returns how many drafts went back and how many reminders went out.
func (s *Store) Due(ctx context.Context) (returned, reminded int, err error) {
	now := s.now()
	err = db.Transact(ctx, s.db, func(tx pgx.Tx) error {
		rows, err := tx.Query(ctx, `
			UPDATE signing SET state = 'returned', returned_why = 'deadline', returned_at = $1
			WHERE state = 'sent' AND deadline_at <= $1
			RETURNING id, tenant_id, account_id`, now)
		if err != nil {
			return fmt.Errorf("signing: deadlines: %w", err)
		}
		back, err := pgx.CollectRows(rows, func(r pgx.CollectableRow) (Signing, error) {
			var g Signing
			err := r.Scan(&g.ID, &g.TenantID, &g.AccountID)
			return g, err
		})
		if err != nil {
			return fmt.Errorf("signing: deadlines: %w", err)
		}
		for _, g := range back {
			if err := s.notices.Enqueue(ctx, tx, notify.Notice{TenantID: g.TenantID, AccountID: g.AccountID, SigningID: g.ID,
				Kind: notify.KindSigningReturned}); err != nil {
				return err
			}
		}
		returned = len(back)

		rows, err = tx.Query(ctx, `
			UPDATE signing_party p SET reminded_at = $1
			FROM signing g JOIN eservice_signing r ON r.eservice_id = g.eservice_id
			WHERE g.id = p.signing_id AND g.state = 'sent' AND p.role <> 'applicant'
				AND p.declined_at IS NULL AND p.reminded_at IS NULL AND r.remind_days > 0
				AND p.notified_at <= $1::timestamptz - make_interval(days => r.remind_days)
				AND NOT EXISTS (SELECT 1 FROM signature x WHERE x.party_id = p.id AND x.content_hash = g.content_hash)
			RETURNING g.id, g.tenant_id, p.personal_number, coalesce(p.email, '')`, now)
		if err != nil {
			return fmt.Errorf("signing: reminders: %w", err)
		}
		type due struct {
			g     Signing
			pnr   personnummer.Number
			email string
		}
		dues, err := pgx.CollectRows(rows, func(r pgx.CollectableRow) (due, error) {
			var d due
			err := r.Scan(&d.g.ID, &d.g.TenantID, &d.pnr, &d.email)
			return d, err
		})
		if err != nil {
			return fmt.Errorf("signing: reminders: %w", err)
		}
		for _, d := range dues {
			if err := s.notifyPerson(ctx, tx, d.g, uuid.Nil, d.pnr, d.email, notify.KindSigningReminder); err != nil {
				return err
			}
		}
		reminded = len(dues)

		if _, err := tx.Exec(ctx, `DELETE FROM signing WHERE draft_id IS NULL AND case_id IS NULL`); err != nil {
			return fmt.Errorf("signing: orphans: %w", err)
		}
		_, err = tx.Exec(ctx, `DELETE FROM sign_pending WHERE created_at < now() - $1::interval`, PendingLifetime.String())
		return err
	})
	return returned, reminded, err
}
