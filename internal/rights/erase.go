package rights

import (
	"context"
	"errors"
	"fmt"

	"github.com/google/uuid"
	"github.com/jackc/pgx/v5"
	"github.com/minasidor/minasidor/internal/db"
)

// Erasure is what the citizen asks the portal to erase at once.
type Erasure struct {
	Contact bool // the e-mail address and phone number, with their confirmations and the channel
	Drafts  bool // every saved draft, with its files
	Account bool // the account itself (and so everything above), when no case needs it
}

// Erased is what an erasure removed.
type Erased struct {
	Contact bool
	Drafts  int
	Account bool
}

// Needs is what keeps an account: its cases (public documents that name it as the applicant)
// and its requests for public documents answered on Mina sidor, and its coming bookings (cancel
// them first).
type Needs struct {
	Cases    int
	Bookings int
}

// Needed reports whether anything keeps the account.
func (n Needs) Needed() bool { return n.Cases > 0 || n.Bookings > 0 }

// NeedsOf returns what keeps the account.
func (s *Store) NeedsOf(ctx context.Context, accountID uuid.UUID) (Needs, error) {
	return needsOf(ctx, s.db, accountID)
}

func needsOf(ctx context.Context, q db.Querier, accountID uuid.UUID) (Needs, error) {
	var n Needs
	err := q.QueryRow(ctx, `
		SELECT (SELECT count(*) FROM cases WHERE account_id = $1) + (SELECT count(*) FROM disclosure_request WHERE account_id = $1),
			(SELECT count(*) FROM booking b JOIN booking_slot s ON s.id = b.slot_id
			 WHERE b.account_id = $1 AND b.state = 'booked' AND s.ends_at > now())`, accountID).Scan(&n.Cases, &n.Bookings)
	if err != nil {
		return n, fmt.Errorf("rights: needs: %w", err)
	}
	return n, nil
}

// Erase erases what the citizen chose, in one transaction, and records each erasure (without
// the data erased). Erasing the account erases its contact data, drafts, past bookings, notices,
// codes and extracts with it; an account that a case or a coming booking needs is refused with
// ErrAccountNeeded, and nothing is erased.
func (s *Store) Erase(ctx context.Context, accountID uuid.UUID, what Erasure) (Erased, error) {
	var out Erased
	err := db.Transact(ctx, s.db, func(tx pgx.Tx) error {
		out = Erased{}
		var exists bool
		if err := tx.QueryRow(ctx, `SELECT true FROM account WHERE id = $1 FOR UPDATE`, accountID).Scan(&exists); err != nil {
			if errors.Is(err, pgx.ErrNoRows) {
				return ErrNotFound
			}
			return err
		}
		if what.Account {
			n, err := needsOf(ctx, tx, accountID)
			if err != nil {
				return err
			}
			if n.Needed() {
				return ErrAccountNeeded
			}
			what.Contact, what.Drafts = true, true
		}
		if what.Drafts {
			var n int
			err := tx.QueryRow(ctx, `
				WITH gone AS (DELETE FROM draft WHERE account_id = $1 RETURNING tenant_id),
				counted AS (SELECT tenant_id, count(*) AS n FROM gone GROUP BY tenant_id),
				recorded AS (
					INSERT INTO deletion_record (tenant_id, kind, rule, count)
					SELECT tenant_id, 'drafts_erased', 'self_service', n FROM counted)
				SELECT coalesce(sum(n), 0) FROM counted`, accountID).Scan(&n)
			if err != nil {
				return fmt.Errorf("rights: erase drafts: %w", err)
			}
			out.Drafts = n
		}
		if what.Contact {
			if _, err := tx.Exec(ctx, `DELETE FROM contact_code WHERE account_id = $1`, accountID); err != nil {
				return err
			}
			tag, err := tx.Exec(ctx, `
				UPDATE account SET email = NULL, phone = NULL, preferred_channel = NULL, email_verified_at = NULL,
					phone_verified_at = NULL, updated_at = now()
				WHERE id = $1 AND (email IS NOT NULL OR phone IS NOT NULL OR preferred_channel IS NOT NULL)`, accountID)
			if err != nil {
				return fmt.Errorf("rights: erase contact: %w", err)
			}
			if out.Contact = tag.RowsAffected() > 0; out.Contact && !what.Account {
				if _, err := tx.Exec(ctx, `INSERT INTO deletion_record (kind, rule) VALUES ('contact_erased', 'self_service')`); err != nil {
					return err
				}
			}
		}
		if !what.Account {
			return nil
		}
		for _, stmt := range []string{
			`DELETE FROM notice WHERE account_id = $1`,
			`UPDATE booking_slot s SET booked = s.booked - n.n
			 FROM (SELECT slot_id, count(*) AS n FROM booking WHERE account_id = $1 AND state = 'booked' GROUP BY slot_id) n
			 WHERE s.id = n.slot_id`,
			`DELETE FROM booking WHERE account_id = $1`,
			`DELETE FROM account WHERE id = $1`,
		} {
			if _, err := tx.Exec(ctx, stmt, accountID); err != nil {
				return fmt.Errorf("rights: erase account: %w", err)
			}
		}
		out.Account = true
		_, err := tx.Exec(ctx, `INSERT INTO deletion_record (kind, rule) VALUES ('account_erased', 'self_service')`)
		return err
	})
	return out, err
}
