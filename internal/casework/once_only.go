package casework

import (
	"context"
	"errors"

	"github.com/google/uuid"
	"github.com/jackc/pgx/v5"
	"github.com/minasidor/minasidor/internal/eservice"
	"github.com/minasidor/minasidor/internal/form"
)

// PriorCase checks, before the citizen fills in or goes on, whether an e-service that accepts
// one case per person already has one for the person the answers (the once-only field) or the
// submitter identify: *AlreadySubmittedError when it has, nil when it has not, when the
// e-service takes any number, or when the person is not known yet (the field is not answered).
// Submit makes the same check again under its lock, which is what guarantees one case.
func (s *Store) PriorCase(ctx context.Context, e eservice.EService, answers form.Answers, who Submitter) error {
	if e.OnceOnly == eservice.OnceNone || e.OnceOnly == "" {
		return nil
	}
	if e.OnceOnlyField != "" && len(answers[e.OnceOnlyField]) == 0 {
		return nil // not the submitter's own number: wait for the answer
	}
	key := onceOnlyKey(e, answers, who)
	if key == nil {
		return nil
	}
	var prior Case
	err := s.db.QueryRow(ctx, `SELECT id, reference, account_id FROM cases WHERE eservice_id = $1 AND once_only_key = $2`,
		e.ID, key).Scan(&prior.ID, &prior.Reference, &prior.AccountID)
	if errors.Is(err, pgx.ErrNoRows) {
		return nil
	}
	if err != nil {
		return err
	}
	mine := who.AccountID != uuid.Nil && prior.AccountID != nil && *prior.AccountID == who.AccountID
	return &AlreadySubmittedError{Reference: prior.Reference, CaseID: prior.ID, Mine: mine}
}
