package signing

import (
	"context"
	"encoding/hex"
	"fmt"
	"time"

	"github.com/google/uuid"
	"github.com/jackc/pgx/v5"
	"github.com/minasidor/minasidor/internal/personnummer"
	"github.com/minasidor/minasidor/internal/signature"
	"github.com/minasidor/minasidor/internal/staff"
)

// Kept is a signature of a case with its evidence, checked again.
type Kept struct {
	Role           string
	Name           string
	PersonalNumber personnummer.Number
	SignedAt       time.Time
	ContentHash    string // hex
	Message        string
	Evidence       signature.Evidence
	Check          signature.Check
}

// ForCaseworker returns the signatures the case was submitted with, each with its evidence
// checked again against the IdP's certificates, to a caseworker who may see the case; the read is
// recorded in the audit log in the same transaction.
func (s *Store) ForCaseworker(ctx context.Context, m staff.Member, caseID uuid.UUID) ([]Kept, error) {
	var out []Kept
	err := s.cases.ReadAsCaseworker(ctx, m, caseID, "signatures", func(tx pgx.Tx) error {
		rows, err := tx.Query(ctx, `
			SELECT p.role, x.name, x.personal_number, x.signed_at, x.content_hash, x.sign_message, x.response, x.issuer,
				x.certificate, x.loa, x.assertion_id
			FROM signing g JOIN signing_party p ON p.signing_id = g.id
			JOIN LATERAL (SELECT * FROM signature y WHERE y.party_id = p.id AND y.content_hash = g.content_hash
				ORDER BY y.signed_at DESC LIMIT 1) x ON true
			WHERE g.case_id = $1 ORDER BY p.position`, caseID)
		if err != nil {
			return fmt.Errorf("signing: evidence: %w", err)
		}
		out, err = pgx.CollectRows(rows, func(r pgx.CollectableRow) (Kept, error) {
			var k Kept
			var hash []byte
			err := r.Scan(&k.Role, &k.Name, &k.PersonalNumber, &k.SignedAt, &hash, &k.Message, &k.Evidence.Response,
				&k.Evidence.Issuer, &k.Evidence.Certificate, &k.Evidence.LoA, &k.Evidence.AssertionID)
			k.ContentHash = hex.EncodeToString(hash)
			k.Evidence.PersonalNumber, k.Evidence.Name, k.Evidence.SignedAt = k.PersonalNumber, k.Name, k.SignedAt
			return k, err
		})
		return err
	})
	if err != nil {
		return nil, err
	}
	for i := range out {
		out[i].Check = s.eid.Check(out[i].Evidence, out[i].Message)
		if out[i].Check.Valid && out[i].Check.Signer != out[i].PersonalNumber {
			out[i].Check = signature.Check{Problem: "the signed assertion names another person than the one recorded"}
		}
	}
	return out, nil
}
