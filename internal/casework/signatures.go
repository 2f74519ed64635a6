package casework

import (
	"context"
	"time"

	"github.com/google/uuid"
	"github.com/jackc/pgx/v5"
	"github.com/minasidor/minasidor/internal/audit"
	"github.com/minasidor/minasidor/internal/db"
	"github.com/minasidor/minasidor/internal/staff"
)

// Signature is a signature a case was submitted with (package signing makes them): who signed,
// in which role, and when.
type Signature struct {
	Role     string // applicant, guardian, person or signatory
	Name     string
	SignedAt time.Time
}

// queueSignatures queues the reading of the signatures the case was submitted with: for each
// party, the signature of the content as submitted, in the parties' order.
func queueSignatures(b *pgx.Batch, caseID uuid.UUID, out *[]Signature) {
	db.QueueRows(b, out, func(r pgx.CollectableRow) (Signature, error) {
		var s Signature
		err := r.Scan(&s.Role, &s.Name, &s.SignedAt)
		return s, err
	}, `
		SELECT p.role, s.name, s.signed_at
		FROM signing g JOIN signing_party p ON p.signing_id = g.id
		JOIN LATERAL (SELECT x.name, x.signed_at FROM signature x
			WHERE x.party_id = p.id AND x.content_hash = g.content_hash ORDER BY x.signed_at DESC LIMIT 1) s ON true
		WHERE g.case_id = $1
		ORDER BY p.position`, caseID)
}

// ReadAsCaseworker runs read in one transaction once the caseworker may see the case, and
// records the read (of the case, with detail) in the audit log in the same transaction. A case
// they may not see is not found, and nothing is read or recorded.
func (s *Store) ReadAsCaseworker(ctx context.Context, m staff.Member, caseID uuid.UUID, detail string, read func(tx pgx.Tx) error) error {
	return s.asCaseworker(ctx, m, caseID, func(tx pgx.Tx) error {
		if err := read(tx); err != nil {
			return err
		}
		return record(ctx, tx, m, caseID, audit.Case, detail)
	})
}
