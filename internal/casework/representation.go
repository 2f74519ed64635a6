package casework

import (
	"context"
	"errors"
	"fmt"
	"time"

	"github.com/google/uuid"
	"github.com/jackc/pgx/v5"
	"github.com/minasidor/minasidor/internal/apperr"
	"github.com/minasidor/minasidor/internal/audit"
	"github.com/minasidor/minasidor/internal/db"
	"github.com/minasidor/minasidor/internal/notify"
	"github.com/minasidor/minasidor/internal/staff"
)

// An e-service may require that a caseworker check the representation of an association a case
// is made for (eservice.SigningRule.AssociationCheck): that the person who made it may act for
// the association, as they declared. The check is kept on the declaration: a confirmed one counts
// for the person's later cases for that association; a refused one means they can no longer act
// for it (organisation.Store.Act).

// Representation is the declaration behind a case made for an association whose e-service
// requires a caseworker's check.
type Representation struct {
	Name      string // the representative, as their account names them
	Role      string // as they declared it: ordförande, say
	OrgName   string
	OrgNumber string
	CheckedAt *time.Time // nil: unchecked
	CheckedBy string
	CheckedOn *uuid.UUID // the case it was checked on (nil: unchecked, or that case is gone)
	Refused   bool
}

// Confirmed reports whether a caseworker has confirmed the representation.
func (r Representation) Confirmed() bool { return r.CheckedAt != nil && !r.Refused }

// Errors of the check.
var (
	// ErrRepresentationUnchecked: a case whose association's representation must be checked is
	// closed before a caseworker confirmed it.
	ErrRepresentationUnchecked = apperr.New(apperr.Conflict, "error.orgcheck.unchecked")
	// ErrNoRepresentation: the case needs no check (not an association's, or its e-service does
	// not require one), or the declaration is gone.
	ErrNoRepresentation = apperr.New(apperr.Conflict, "error.orgcheck.none")
	// ErrRepresentationChecked: the representation was checked already (by another caseworker, say).
	ErrRepresentationChecked = apperr.New(apperr.Conflict, "error.orgcheck.checked")
)

// The case's events of a check, on its timeline.
const (
	EventRepresentationConfirmed = "representation_confirmed"
	EventRepresentationRefused   = "representation_refused"
)

// representationSQL reads the representation behind case $1, when its e-service requires a check.
const representationSQL = `
	SELECT coalesce(a.display_name, ''), r.role, r.name, r.org_number, r.checked_at, coalesce(r.checked_by, ''), r.checked_case, r.refused
	FROM cases c JOIN eservice e ON e.id = c.eservice_id
	JOIN association_representative r ON r.account_id = c.account_id AND r.org_number = c.org_number
	JOIN account a ON a.id = c.account_id
	WHERE c.id = $1 AND c.org_kind = 'association' AND e.association_check`

func representationDest(r *Representation) []any {
	return []any{&r.Name, &r.Role, &r.OrgName, &r.OrgNumber, &r.CheckedAt, &r.CheckedBy, &r.CheckedOn, &r.Refused}
}

// queueRepresentation queues the reading of the case's representation to check into out (nil
// when the case needs none).
func queueRepresentation(b *pgx.Batch, caseID uuid.UUID, out **Representation) {
	db.QueueOptional(b, nil, func(row pgx.Row) error {
		var r Representation
		if err := row.Scan(representationDest(&r)...); err != nil {
			return fmt.Errorf("casework: representation: %w", err)
		}
		*out = &r
		return nil
	}, representationSQL, caseID)
}

// mustBeRepresented refuses, in tx, to decide a case whose association's representation must be
// checked and has not been confirmed.
func mustBeRepresented(ctx context.Context, tx pgx.Tx, caseID uuid.UUID) error {
	var r Representation
	err := tx.QueryRow(ctx, representationSQL, caseID).Scan(representationDest(&r)...)
	if errors.Is(err, pgx.ErrNoRows) {
		// No check required; or required, with the declaration gone: then nothing can confirm it.
		var required bool
		if err := tx.QueryRow(ctx, `
			SELECT EXISTS (SELECT 1 FROM cases c JOIN eservice e ON e.id = c.eservice_id
			WHERE c.id = $1 AND c.org_kind = 'association' AND e.association_check)`, caseID).Scan(&required); err != nil {
			return fmt.Errorf("casework: representation: %w", err)
		}
		if required {
			return ErrRepresentationUnchecked
		}
		return nil
	}
	if err != nil {
		return fmt.Errorf("casework: representation: %w", err)
	}
	if !r.Confirmed() {
		return ErrRepresentationUnchecked
	}
	return nil
}

// CheckRepresentation records a caseworker's check of the representation behind a case made for
// an association (confirm, or refuse), in one transaction: that they may handle the case, the
// check on the declaration, the record of the change, the case's event on its timeline, and, when
// refused, the notice to the person that made the case.
func (s *Store) CheckRepresentation(ctx context.Context, by staff.Member, caseID uuid.UUID, confirm bool) error {
	return s.asCaseworker(ctx, by, caseID, func(tx pgx.Tx) error {
		var r Representation
		err := tx.QueryRow(ctx, representationSQL+` FOR UPDATE OF r`, caseID).Scan(representationDest(&r)...)
		if errors.Is(err, pgx.ErrNoRows) {
			return ErrNoRepresentation
		}
		if err != nil {
			return fmt.Errorf("casework: representation: %w", err)
		}
		if r.CheckedAt != nil {
			return ErrRepresentationChecked
		}
		var tenantID uuid.UUID
		var accountID *uuid.UUID
		var reference string
		if err := tx.QueryRow(ctx, `
			UPDATE association_representative r SET checked_at = now(), checked_by = $2, refused = $3, checked_case = c.id
			FROM cases c WHERE c.id = $1 AND r.account_id = c.account_id AND r.org_number = c.org_number
			RETURNING c.tenant_id, c.account_id, c.reference`, caseID, by.Name, !confirm).Scan(&tenantID, &accountID, &reference); err != nil {
			return fmt.Errorf("casework: check representation: %w", err)
		}
		kind := EventRepresentationConfirmed
		if !confirm {
			kind = EventRepresentationRefused
		}
		if _, err := tx.Exec(ctx, `INSERT INTO case_event (tenant_id, case_id, kind, actor) VALUES ($1, $2, $3, $4)`,
			tenantID, caseID, kind, by.Name); err != nil {
			return fmt.Errorf("casework: representation event: %w", err)
		}
		if err := audit.RecordChange(ctx, tx, audit.Change{Actor: by.Actor(), Action: kind, Target: reference,
			Detail: map[string]any{"case": caseID.String(), "org_number": r.OrgNumber}}); err != nil {
			return err
		}
		if confirm {
			return nil
		}
		return s.notice(ctx, tx, tenantID, caseID, accountID, notify.KindRepresentationRefused)
	})
}
