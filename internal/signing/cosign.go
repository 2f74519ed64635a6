package signing

import (
	"context"
	"fmt"
	"strings"
	"unicode/utf8"

	"github.com/google/uuid"
	"github.com/jackc/pgx/v5"
	"github.com/minasidor/minasidor/internal/apperr"
	"github.com/minasidor/minasidor/internal/db"
	"github.com/minasidor/minasidor/internal/notify"
)

// StartInput is a co-signer's "sign with e-ID".
type StartInput struct {
	PartyID   uuid.UUID
	AccountID uuid.UUID // who is logged in
	Origin    string    // scheme://host they are on
	Direct    bool      // the origin is the installation's host
	Lang      string
}

// Start starts the co-signer's signature of the content as they read it: only the party's own
// person, while the draft is out for signing, unchanged since it was sent, and not signed or
// declined by them. Anyone else gets a *ProblemError saying why.
func (s *Store) Start(ctx context.Context, in StartInput) (Next, error) {
	v, err := s.ForSigner(ctx, in.PartyID, in.AccountID)
	if err != nil {
		return Next{}, err
	}
	if v.Problem != nil {
		return Next{}, v.Problem
	}
	if !v.CanSign {
		return Next{}, problem("signing.problem.notOpen")
	}
	msg := s.message(in.Lang, *v.Content, v.Party, v.Applicant)
	var next Next
	err = db.Transact(ctx, s.db, func(tx pgx.Tx) error {
		next, err = s.pending(ctx, tx, v.Party, in.AccountID, *v.Content, msg, in.Origin, "/signera/"+v.Party.ID.String(), in.Direct)
		return err
	})
	return next, err
}

// Decline records that the co-signer will not sign, with their reason: the draft goes back to
// the applicant, who is told. The field error names the input reason.
func (s *Store) Decline(ctx context.Context, partyID, accountID uuid.UUID, reason string) error {
	reason = strings.TrimSpace(strings.ReplaceAll(reason, "\r\n", "\n"))
	switch {
	case reason == "":
		return apperr.FieldErrors{{Field: "reason", Key: "error.signing.reason"}}
	case utf8.RuneCountInString(reason) > MaxReason:
		return apperr.FieldErrors{{Field: "reason", Key: "error.signing.reasonLong"}}
	}
	v, err := s.ForSigner(ctx, partyID, accountID)
	if err != nil {
		return err
	}
	if v.Problem != nil {
		return v.Problem
	}
	if v.Signing.State != StateSent || v.Party.DeclinedAt != nil {
		return problem("signing.problem.notOpen")
	}
	return db.Transact(ctx, s.db, func(tx pgx.Tx) error {
		tag, err := tx.Exec(ctx, `
			UPDATE signing SET state = 'returned', returned_why = 'declined', returned_at = $2
			WHERE id = $1 AND state = 'sent'`, v.Signing.ID, s.now())
		if err != nil {
			return fmt.Errorf("signing: decline: %w", err)
		}
		if tag.RowsAffected() == 0 {
			return problem("signing.problem.notOpen")
		}
		if _, err := tx.Exec(ctx, `UPDATE signing_party SET declined_at = $2, decline_reason = $3 WHERE id = $1`,
			partyID, s.now(), reason); err != nil {
			return fmt.Errorf("signing: decline: %w", err)
		}
		return s.notices.Enqueue(ctx, tx, notify.Notice{TenantID: v.Signing.TenantID, AccountID: v.Signing.AccountID,
			SigningID: v.Signing.ID, Kind: notify.KindSigningDeclined})
	})
}
