package eservice

import (
	"context"
	"errors"
	"fmt"
	"slices"

	"github.com/google/uuid"
	"github.com/jackc/pgx/v5"
	"github.com/minasidor/minasidor/internal/apperr"
	"github.com/minasidor/minasidor/internal/audit"
	"github.com/minasidor/minasidor/internal/db"
	"github.com/minasidor/minasidor/internal/form"
)

// Co-signer rules: who, besides the applicant, must sign a case before it is submitted.
const (
	CoSignNone      = "none"
	CoSignGuardians = "guardians" // the child's other guardians, from the population register's custody data
	CoSignPerson    = "person"    // the person whose personal identity number a field gives
	CoSignSignatory = "signatory" // another authorised signatory of the organisation applied for (jointly)
)

// CoSignRules lists the co-signer rules in the order the builder offers them.
var CoSignRules = []string{CoSignNone, CoSignGuardians, CoSignPerson, CoSignSignatory}

// Limits of a signing rule's days.
const (
	MaxRemindDays   = 60
	MaxDeadlineDays = 90
)

// SigningRule is what signatures an e-service requires before a case is submitted. The zero
// value (and an e-service without a stored rule) requires none.
type SigningRule struct {
	Applicant    bool   // the applicant signs with e-ID
	CoSigners    string // one of CoSignRules; "" is none
	Field        string // for guardians: the child's personal_number field; for person: the co-signer's
	RemindDays   int    // a reminder to co-signers who have not signed after so many days; 0: none
	DeadlineDays int    // after so many days the draft goes back to the applicant
	// AssociationCheck: a caseworker must check the representation of an association a case is
	// made for before the case is decided (kept on the e-service, whether or not it requires
	// signatures).
	AssociationCheck bool
}

// Required reports whether the rule asks for any signature.
func (r SigningRule) Required() bool { return r.Applicant || r.HasCoSigners() }

// HasCoSigners reports whether someone besides the applicant must sign.
func (r SigningRule) HasCoSigners() bool { return r.CoSigners != "" && r.CoSigners != CoSignNone }

// DefaultSigningRule is what the builder's form starts from.
var DefaultSigningRule = SigningRule{CoSigners: CoSignNone, RemindDays: 3, DeadlineDays: 14}

// SigningSetup reads what the builder's signing page shows, in one round trip: the e-service's
// signing rule, and its working version (as Working), whose personal number fields may name the
// co-signer.
func (s *Store) SigningSetup(ctx context.Context, eserviceID uuid.UUID) (SigningRule, Version, error) {
	var rule SigningRule
	var working Version
	return rule, working, db.Read(ctx, s.db, func(b *pgx.Batch) {
		queueSigningRule(b, "$1", eserviceID, &rule)
		queueWorking(b, eserviceID, &working)
	})
}

func signingOf(ctx context.Context, q db.Querier, eserviceID uuid.UUID) (SigningRule, error) {
	return scanSigningRule(q.QueryRow(ctx, signingRuleSQL+`$1`, eserviceID))
}

// signingRuleSQL reads the signing rule of the e-service whose id follows it.
const signingRuleSQL = `SELECT s.applicant, s.cosigners, s.field, s.remind_days, s.deadline_days, e.association_check
	FROM eservice e LEFT JOIN eservice_signing s ON s.eservice_id = e.id WHERE e.id = `

// queueSigningRule queues on b the reading of the signing rule of the e-service whose id is the
// SQL expression id (with arg) into out.
func queueSigningRule(b *pgx.Batch, id string, arg any, out *SigningRule) {
	b.Queue(signingRuleSQL+id, arg).QueryRow(func(row pgx.Row) error {
		r, err := scanSigningRule(row)
		*out = r
		return err
	})
}

// scanSigningRule reads a signing rule as signingRuleSQL gives it.
func scanSigningRule(row pgx.Row) (SigningRule, error) {
	var r SigningRule
	var applicant *bool
	var cosigners, field *string
	var remind, deadline *int
	err := row.Scan(&applicant, &cosigners, &field, &remind, &deadline, &r.AssociationCheck)
	if errors.Is(err, pgx.ErrNoRows) {
		return SigningRule{CoSigners: CoSignNone}, nil
	}
	if err != nil {
		return SigningRule{}, fmt.Errorf("eservice: signing rule: %w", err)
	}
	if applicant == nil { // no signatures required
		r.CoSigners = CoSignNone
		return r, nil
	}
	r.Applicant, r.CoSigners, r.Field, r.RemindDays, r.DeadlineDays = *applicant, *cosigners, *field, *remind, *deadline
	return r, nil
}

// AimedAtOrganisations reports whether the e-service is for companies or associations only: then
// a citizen must act for one to use it.
func (e EService) AimedAtOrganisations() bool {
	return len(e.Audience) > 0 && !slices.Contains(e.Audience, "private")
}

// SetSigning checks and stores the e-service's signing rule, recording the change. The field
// errors name the builder's inputs: applicant, cosigners, field, remind_days, deadline_days.
func (s *Store) SetSigning(ctx context.Context, actor audit.Actor, eserviceID uuid.UUID, r SigningRule) error {
	return db.Transact(ctx, s.db, func(tx pgx.Tx) error {
		e, err := lockForChange(ctx, tx, actor, eserviceID)
		if err != nil {
			return err
		}
		def, err := workingDefinition(ctx, tx, e.ID)
		if err != nil {
			return err
		}
		if err := checkSigning(e, def, &r); err != nil {
			return err
		}
		old, err := signingOf(ctx, tx, e.ID)
		if err != nil {
			return err
		}
		if old == r || (!old.Required() && !r.Required() && old.AssociationCheck == r.AssociationCheck) {
			return nil
		}
		if err := StoreSigning(ctx, tx, e, r); err != nil {
			return err
		}
		return audit.RecordChange(ctx, tx, audit.Change{Actor: actor, Action: "eservice_signing_changed", Target: e.Slug,
			EServiceID: &e.ID, Detail: map[string]any{"applicant": r.Applicant, "cosigners": r.CoSigners, "association_check": r.AssociationCheck}})
	})
}

// StoreSigning stores a checked rule (the demo data's too); a rule that requires no signature
// removes the signatures' part.
func StoreSigning(ctx context.Context, q db.Querier, e EService, r SigningRule) error {
	b := &pgx.Batch{}
	queueSigning(b, e, r)
	if err := db.Run(ctx, q, b); err != nil {
		return fmt.Errorf("eservice: store signing rule: %w", err)
	}
	return nil
}

// queueSigning queues on b the storing of the e-service's signing rule (none removes it).
func queueSigning(b *pgx.Batch, e EService, r SigningRule) {
	b.Queue(`UPDATE eservice SET association_check = $2 WHERE id = $1`, e.ID, r.AssociationCheck)
	if !r.Required() {
		b.Queue(`DELETE FROM eservice_signing WHERE eservice_id = $1`, e.ID)
		return
	}
	b.Queue(`
		INSERT INTO eservice_signing (eservice_id, tenant_id, applicant, cosigners, field, remind_days, deadline_days)
		VALUES ($1, $2, $3, $4, $5, $6, $7)
		ON CONFLICT (eservice_id) DO UPDATE SET applicant = $3, cosigners = $4, field = $5, remind_days = $6,
			deadline_days = $7, updated_at = now()`,
		e.ID, e.TenantID, r.Applicant, r.CoSigners, r.Field, r.RemindDays, r.DeadlineDays)
}

// checkSigning checks a rule against the e-service and its form, and cleans it: a rule without a
// field keeps none.
func checkSigning(e EService, def *form.Definition, r *SigningRule) error {
	var errs apperr.FieldErrors
	if r.CoSigners == "" {
		r.CoSigners = CoSignNone
	}
	if !slices.Contains(CoSignRules, r.CoSigners) {
		errs.Add("cosigners", "error.signing.rule.cosigners")
	}
	if r.CoSigners != CoSignGuardians && r.CoSigners != CoSignPerson {
		r.Field = ""
	} else if f, ok := def.Field(r.Field); !ok || f.Type != form.PersonalNumber {
		errs.Add("field", "error.signing.rule.field")
	}
	if r.Required() {
		if e.LoginRule != LoginRequired {
			errs.Add("applicant", "error.signing.rule.login")
		} else if e.AnonymousAllowed {
			errs.Add("applicant", "error.signing.rule.anonymous")
		}
	}
	if r.CoSigners == CoSignSignatory && !e.AimedAtOrganisations() {
		errs.Add("cosigners", "error.signing.rule.organisation")
	}
	if r.AssociationCheck && !slices.Contains(e.Audience, "association") {
		errs.Add("association_check", "error.orgcheck.rule.audience")
	}
	if r.RemindDays < 0 || r.RemindDays > MaxRemindDays {
		errs.Add("remind_days", "error.signing.rule.remind")
	}
	if r.DeadlineDays < 1 || r.DeadlineDays > MaxDeadlineDays {
		errs.Add("deadline_days", "error.signing.rule.deadline")
	} else if r.RemindDays >= r.DeadlineDays {
		errs.Add("remind_days", "error.signing.rule.remindAfterDeadline")
	}
	return errs.Err()
}
