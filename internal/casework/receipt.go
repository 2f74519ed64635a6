package casework

import (
	"context"
	"slices"

	"github.com/google/uuid"
	"github.com/jackc/pgx/v5"
	"github.com/minasidor/minasidor/internal/db"
	"github.com/minasidor/minasidor/internal/eservice"
)

// Receipt is what the receipt of a submitted case shows: the case as submitted, its e-service and
// the version it was submitted on, its files, its signatures, and whether its submitter's account
// gets notices (it has a channel for them).
type Receipt struct {
	Case       Case
	EService   eservice.EService
	Version    eservice.Version
	Files      []File
	Signatures []Signature
	Notified   bool
}

// ReceiptReader is who asks for a receipt: the citizen's account (uuid.Nil for a visitor), the
// session's key that a visitor's drafts are kept by, and the cases whose receipts the session
// may show, by id (it submitted them anonymously while logged in).
type ReceiptReader struct {
	AccountID  uuid.UUID
	SessionKey []byte
	Receipts   []string
}

// Submitted reports whether the reader submitted the case: its account, the visitor's session
// that submitted it, or the session that kept its receipt.
func (s ReceiptReader) Submitted(c Case) bool {
	return (c.AccountID != nil && *c.AccountID == s.AccountID) || c.SubmittedBy(s.SessionKey) ||
		slices.Contains(s.Receipts, c.ID.String())
}

// Receipt reads the receipt of the case for its submitter, in one round trip. Another current
// representative of the organisation it was made for may read it too (asking the companies
// register, for a company); anyone else finds nothing, and so does everyone once the case has
// left its account under the retention rules.
func (s *Store) Receipt(ctx context.Context, who ReceiptReader, caseID uuid.UUID) (Receipt, error) {
	var rc Receipt
	found := false
	b := &pgx.Batch{}
	queueCase(b, `c.id = $1`, []any{caseID}, &rc.Case, &found)
	eservice.QueueOfCase(b, caseID, &rc.EService)
	eservice.QueueVersionOfCase(b, caseID, &rc.Version)
	queueFiles(b, caseID, &rc.Files)
	queueSignatures(b, caseID, &rc.Signatures)
	db.QueueOptional(b, nil, func(row pgx.Row) error { return row.Scan(&rc.Notified) },
		`SELECT coalesce(a.preferred_channel, '') <> '' FROM cases c JOIN account a ON a.id = c.account_id WHERE c.id = $1`, caseID)
	if err := db.Run(ctx, s.db, b); err != nil {
		return Receipt{}, err
	}
	if !found {
		return Receipt{}, ErrNotFound
	}
	if !who.Submitted(rc.Case) || rc.Case.RemovedFromAccount {
		if err := s.representing(ctx, who.AccountID, rc.Case); err != nil {
			return Receipt{}, err // not found, or the companies register cannot answer now
		}
	}
	return rc, nil
}
