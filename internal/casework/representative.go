package casework

import (
	"context"
	"errors"
	"fmt"

	"github.com/google/uuid"
	"github.com/jackc/pgx/v5"
	"github.com/minasidor/minasidor/internal/apperr"
	"github.com/minasidor/minasidor/internal/audit"
	"github.com/minasidor/minasidor/internal/db"
)

// Representatives says whether a person may act for an organisation now: a company's authorised
// signatory in the companies register today, an association's declared representative whose
// declaration a caseworker has not refused (organisation.Store). A person who may not is refused
// with an error of kind apperr.Forbidden.
type Representatives interface {
	MayAct(ctx context.Context, accountID uuid.UUID, kind, number string) error
}

// WithRepresentatives returns the store that lets an organisation's current representatives read
// the cases made for it (ForCitizen, CitizenFile, Receipt), besides the account that made them.
func (s *Store) WithRepresentatives(r Representatives) *Store {
	c := *s
	c.reps = r
	return &c
}

// representing reports whether the account may read the case, made for an organisation by
// another account, as a representative of that organisation now; a case that is not such, or
// that has left its account under the retention rules, is not found, and so is one the person
// may not act for.
func (s *Store) representing(ctx context.Context, accountID uuid.UUID, c Case) error {
	if s.reps == nil || accountID == uuid.Nil || c.OrgNumber == "" || c.RemovedFromAccount ||
		(c.AccountID != nil && *c.AccountID == accountID) {
		return ErrNotFound
	}
	err := s.reps.MayAct(ctx, accountID, c.OrgKind, c.OrgNumber)
	var ae *apperr.Error
	if errors.As(err, &ae) && ae.Kind == apperr.Forbidden {
		return ErrNotFound // as a stranger: the case's existence is not told
	}
	return err
}

// CitizenFile returns a file of the case with its content, in one round trip, for the account
// that made the case, or for a person who may act now for the organisation it was made for
// (asking the companies register, for a company); anyone else finds nothing, and so does
// everyone once the case has left its account under the retention rules. A file not scanned
// yet, or found infected, is not served (virusscan.Servable).
func (s *Store) CitizenFile(ctx context.Context, accountID, caseID, fileID uuid.UUID) (File, []byte, error) {
	var c Case
	var f fileContent
	found := false
	b := &pgx.Batch{}
	queueCase(b, `c.id = $1`, []any{caseID}, &c, &found)
	queueFileContent(b, `u.id = $1 AND u.case_id = $2`, []any{fileID, caseID}, &f)
	if err := db.Run(ctx, s.db, b); err != nil {
		return File{}, nil, fmt.Errorf("casework: file: %w", err)
	}
	if !found {
		return File{}, nil, ErrNotFound
	}
	if c.AccountID == nil || *c.AccountID != accountID || c.RemovedFromAccount {
		if err := s.representing(ctx, accountID, c); err != nil {
			return File{}, nil, err
		}
	}
	return f.served()
}

// forRepresentative reads the citizen's page of a case made for an organisation by someone else,
// for a person who may act for it now: the dossier, the staff's reads and who acted; the
// caseworkers' messages stay unread for the one who made it.
func (s *Store) forRepresentative(ctx context.Context, accountID, caseID uuid.UUID) (CitizenDossier, error) {
	if s.reps == nil {
		return CitizenDossier{}, ErrNotFound
	}
	c, err := s.Get(ctx, caseID)
	if err != nil {
		return CitizenDossier{}, err
	}
	if err := s.representing(ctx, accountID, c); err != nil {
		return CitizenDossier{}, err
	}
	d := CitizenDossier{Representative: true}
	found := false
	b := &pgx.Batch{}
	queueCase(b, `c.id = $1 AND c.org_kind = $2 AND c.org_number = $3 AND c.citizen_removed_at IS NULL`, []any{caseID, c.OrgKind, c.OrgNumber}, &d.Case, &found)
	queueDossier(b, caseID, &d.Dossier)
	audit.QueueReadersOfCase(b, caseID, &d.Readers)
	b.Queue(`SELECT coalesce((SELECT a.display_name FROM cases c JOIN account a ON a.id = c.account_id WHERE c.id = $1), '')`, caseID).
		QueryRow(func(row pgx.Row) error { return row.Scan(&d.ActedBy) })
	if err := db.Run(ctx, s.db, b); err != nil {
		return CitizenDossier{}, fmt.Errorf("casework: representative's read: %w", err)
	}
	if !found {
		return CitizenDossier{}, ErrNotFound
	}
	return d, nil
}
