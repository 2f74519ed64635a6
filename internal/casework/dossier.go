package casework

import (
	"context"
	"encoding/json"
	"fmt"

	"github.com/google/uuid"
	"github.com/jackc/pgx/v5"
	"github.com/minasidor/minasidor/internal/account"
	"github.com/minasidor/minasidor/internal/audit"
	"github.com/minasidor/minasidor/internal/db"
	"github.com/minasidor/minasidor/internal/eservice"
	"github.com/minasidor/minasidor/internal/message"
	"github.com/minasidor/minasidor/internal/staff"
)

// Dossier is everything a case's page shows of it, read in one round trip: the case and its
// answers, the e-service and the version it was submitted on, its statuses, files, history,
// messages, decision and open supplement request.
type Dossier struct {
	Case     Case
	EService eservice.EService
	Version  eservice.Version
	Statuses []eservice.Status
	Files    []File
	Events   []Event
	Messages []message.Message
	Decision string
	Request  *SupplementRequest
	// Signatures are those the case was submitted with, when its e-service requires any.
	Signatures []Signature
}

// CitizenDossier is the citizen's case page: the dossier and who among the staff read the case.
type CitizenDossier struct {
	Dossier
	Readers []audit.Reader
	// Representative: read by another current representative of the organisation the case was
	// made for, not by the account that made it (ActedBy, by name).
	Representative bool
	ActedBy        string
	// Representation is, for the applicant, the association's representation a caseworker is to
	// check; nil when the case needs no check.
	Representation *Representation
}

// CaseworkerDossier is the caseworker's case page: the dossier, the applicant, the revisions of
// the answers (see Supplements), the internal notes, the e-service's message templates, who
// handles the case and who could.
type CaseworkerDossier struct {
	Dossier
	Applicant   *account.Account // nil for an anonymous case
	Revisions   []Revision
	Notes       []Note
	Templates   []eservice.MessageTemplate
	Handling    Handling
	Caseworkers []Caseworker
	// Representation is the association's representation to check; nil when the case needs none.
	Representation *Representation
}

// ForCitizen reads the citizen's page of their own case, and marks the caseworkers' messages on
// it read, in one round trip. A case that is not the account's, or has left it under the
// retention rules, is not found, and nothing of it is marked.
func (s *Store) ForCitizen(ctx context.Context, accountID, caseID uuid.UUID) (CitizenDossier, error) {
	var d CitizenDossier
	found := false
	b := &pgx.Batch{}
	queueCase(b, `c.id = $1 AND c.account_id = $2 AND c.citizen_removed_at IS NULL`, []any{caseID, accountID}, &d.Case, &found)
	queueDossier(b, caseID, &d.Dossier)
	audit.QueueReadersOfCase(b, caseID, &d.Readers)
	queueRepresentation(b, caseID, &d.Representation)
	message.QueueMarkRead(b, caseID, message.Citizen, `EXISTS (SELECT 1 FROM cases WHERE id = $1 AND account_id = $3 AND citizen_removed_at IS NULL)`, accountID)
	if err := db.Run(ctx, s.db, b); err != nil {
		return CitizenDossier{}, err
	}
	if !found {
		return s.forRepresentative(ctx, accountID, caseID)
	}
	return d, nil
}

// ForCaseworker reads the caseworker's page of a case they may see, writes the audit record of
// the read and marks the citizen's messages read, all in the one transaction of one round trip.
// A case they may not see is not found, and nothing is recorded or marked.
func (s *Store) ForCaseworker(ctx context.Context, m staff.Member, caseID uuid.UUID) (CaseworkerDossier, error) {
	var d CaseworkerDossier
	if !m.Has(staff.Caseworker) {
		return d, ErrNotFound
	}
	found := false
	b := &pgx.Batch{}
	queueCase(b, `c.id = $5 AND `+seesAt(m, 1), append(seesArgs(m), caseID), &d.Case, &found)
	queueDossier(b, caseID, &d.Dossier)
	var applicant []account.Account
	account.QueueOfCase(b, caseID, &applicant)
	queueRevisions(b, caseID, &d.Revisions)
	queueNotes(b, caseID, &d.Notes)
	eservice.QueueTemplatesOfCase(b, caseID, &d.Templates)
	queueHandling(b, caseID, m, &d.Handling)
	queueCaseworkers(b, caseID, &d.Caseworkers)
	queueRepresentation(b, caseID, &d.Representation)
	// The record and the read marks only when the caseworker may see the case ($6 is the case's
	// id in the record's parameters, $1 in the read marks').
	audit.QueueWrite(b, audit.Record{TenantID: m.TenantID, StaffID: m.ID, StaffName: m.Name, StaffUnit: m.Unit,
		Role: staff.Caseworker, CaseID: caseID, What: audit.Case, ClientAddr: audit.ClientAddrFrom(ctx)},
		`EXISTS (SELECT 1 FROM cases c WHERE c.id = $6 AND `+seesAt(m, 9)+`)`, seesArgs(m)...)
	message.QueueMarkRead(b, caseID, message.Caseworker, `EXISTS (SELECT 1 FROM cases c WHERE c.id = $1 AND `+seesAt(m, 3)+`)`, seesArgs(m)...)
	if err := db.Run(ctx, s.db, b); err != nil {
		return CaseworkerDossier{}, err
	}
	if !found {
		return CaseworkerDossier{}, ErrNotFound
	}
	if len(applicant) == 1 && !d.Case.Anonymous {
		d.Applicant = &applicant[0]
	}
	return d, nil
}

// queueCase queues the reading of the case where cond holds (with args) into out; found says
// whether it did.
func queueCase(b *pgx.Batch, cond string, args []any, out *Case, found *bool) {
	db.QueueOptional(b, found, func(row pgx.Row) error {
		var answers []byte
		if err := row.Scan(append(caseDest(out), &answers)...); err != nil {
			return fmt.Errorf("casework: %w", err)
		}
		if err := json.Unmarshal(answers, &out.Answers); err != nil {
			return fmt.Errorf("casework: answers of %s: %w", out.ID, err)
		}
		return nil
	}, `SELECT `+caseColumns+`, answers FROM cases c WHERE `+cond, args...)
}

// queueDossier queues the readings every case page has.
func queueDossier(b *pgx.Batch, caseID uuid.UUID, d *Dossier) {
	eservice.QueueOfCase(b, caseID, &d.EService)
	eservice.QueueVersionOfCase(b, caseID, &d.Version)
	eservice.QueueStatusesOfCase(b, caseID, &d.Statuses)
	queueFiles(b, caseID, &d.Files)
	queueEvents(b, caseID, &d.Events)
	message.QueueThread(b, caseID, &d.Messages)
	queueDecision(b, caseID, &d.Decision)
	queueOpenRequest(b, caseID, &d.Request)
	queueSignatures(b, caseID, &d.Signatures)
}
