package eservice

import (
	"context"
	"errors"
	"fmt"
	"slices"
	"strings"

	"github.com/google/uuid"
	"github.com/jackc/pgx/v5"
	"github.com/minasidor/minasidor/internal/apperr"
	"github.com/minasidor/minasidor/internal/audit"
	"github.com/minasidor/minasidor/internal/form"
)

// The statuses of an e-service, in the order its admin sets. Each has a type that the portal acts
// on (a case starts in the first "submitted" status, a supplement request puts it in the first
// "waiting_supplement" one, closing in the first "closed" one) and an optional handling time. A
// status's key is made from its first label and never changes: cases refer to it.

// Status types.
const (
	StatusSubmitted         = "submitted"
	StatusInProgress        = "in_progress"
	StatusWaitingSupplement = "waiting_supplement"
	StatusClosed            = "closed"
)

// StatusTypes lists the types in their usual order.
var StatusTypes = []string{StatusSubmitted, StatusInProgress, StatusWaitingSupplement, StatusClosed}

// Status is one status of an e-service, as its admin sees it.
type Status struct {
	ID           uuid.UUID
	Key          string
	Label        form.Text
	Type         string
	HandlingDays int // 0: no handling time
	Cases        int // cases in the status, open or closed
}

// StatusInput is a status as the admin writes it. Its field errors name the inputs label_sv,
// label_en, type and handling_days.
type StatusInput struct {
	Label        form.Text
	Type         string
	HandlingDays int // 0: none; 1–3650; anything else is refused
}

// Limits of a status.
const (
	maxStatusLabel  = 100
	MaxHandlingDays = 3650
	maxStatuses     = 50
)

// Errors of the statuses.
var (
	ErrStatusNotFound = apperr.New(apperr.NotFound, "")
	ErrStatusInUse    = apperr.New(apperr.Conflict, "error.esettings.statusInUse")
	ErrStatusLast     = apperr.New(apperr.Conflict, "error.esettings.statusLast")
	ErrTooManyStatus  = apperr.New(apperr.Conflict, "error.esettings.statusTooMany")
)

// Statuses returns the e-service's statuses in order, with how many cases are in each.
func (s *Store) Statuses(ctx context.Context, eserviceID uuid.UUID) ([]Status, error) {
	rows, err := s.db.Query(ctx, `
		SELECT st.id, st.key, st.label, st.type, coalesce(st.handling_days, 0),
			(SELECT count(*) FROM cases c WHERE c.eservice_id = st.eservice_id AND c.status_key = st.key)
		FROM eservice_status st WHERE st.eservice_id = $1 ORDER BY st.position, st.key`, eserviceID)
	if err != nil {
		return nil, fmt.Errorf("eservice: statuses: %w", err)
	}
	return pgx.CollectRows(rows, func(r pgx.CollectableRow) (Status, error) {
		var st Status
		err := r.Scan(&st.ID, &st.Key, &st.Label, &st.Type, &st.HandlingDays, &st.Cases)
		return st, err
	})
}

// StatusOption is a status key with its label, for a filter.
type StatusOption struct {
	Key   string
	Label form.Text
}

func (in StatusInput) clean() (StatusInput, apperr.FieldErrors) {
	var errs apperr.FieldErrors
	in.Label = cleanText(in.Label)
	checkText(&errs, "label", in.Label, true, maxStatusLabel, "error.esettings.statusLabel")
	for _, lang := range []string{"sv", "en"} {
		if strings.ContainsAny(in.Label[lang], "\n\t") {
			errs.Add("label_"+lang, "error.esettings.oneLine")
		}
	}
	if !slices.Contains(StatusTypes, in.Type) {
		errs.Add("type", "error.esettings.statusType")
	}
	if in.HandlingDays < 0 || in.HandlingDays > MaxHandlingDays {
		errs.Add("handling_days", "error.esettings.handlingDays")
	}
	return in, errs
}

// AddStatus adds a status at the end of the e-service's statuses, with a key made from its
// Swedish label.
func (s *Store) AddStatus(ctx context.Context, actor audit.Actor, eserviceID uuid.UUID, in StatusInput) (Status, error) {
	in, errs := in.clean()
	if err := errs.Err(); err != nil {
		return Status{}, err
	}
	st := Status{Label: in.Label, Type: in.Type, HandlingDays: in.HandlingDays}
	err := s.change(ctx, actor, eserviceID, "eservice_status_added", func(tx pgx.Tx, e EService) (map[string]any, error) {
		var keys []string
		if err := tx.QueryRow(ctx, `SELECT coalesce(array_agg(key), '{}') FROM eservice_status WHERE eservice_id = $1`, e.ID).Scan(&keys); err != nil {
			return nil, err
		}
		if len(keys) >= maxStatuses {
			return nil, ErrTooManyStatus
		}
		st.Key = StatusKey(in.Label["sv"], keys)
		err := tx.QueryRow(ctx, `
			INSERT INTO eservice_status (tenant_id, eservice_id, key, label, type, handling_days, position)
			VALUES ($1, $2, $3, $4, $5, nullif($6, 0), coalesce((SELECT max(position) FROM eservice_status WHERE eservice_id = $2), 0) + 1)
			RETURNING id`, e.TenantID, e.ID, st.Key, st.Label, st.Type, st.HandlingDays).Scan(&st.ID)
		if err != nil {
			return nil, fmt.Errorf("eservice: add status: %w", err)
		}
		return map[string]any{"status": st.Key, "type": st.Type}, nil
	})
	return st, err
}

// UpdateStatus changes a status's labels, type and handling time; its key stays. The type of a
// status that cases are in stays too (a case's type is kept with it), and the last status of
// the types "submitted" and "closed" keeps its type.
func (s *Store) UpdateStatus(ctx context.Context, actor audit.Actor, eserviceID, statusID uuid.UUID, in StatusInput) error {
	in, errs := in.clean()
	if err := errs.Err(); err != nil {
		return err
	}
	return s.change(ctx, actor, eserviceID, "eservice_status_changed", func(tx pgx.Tx, e EService) (map[string]any, error) {
		st, err := lockStatus(ctx, tx, e.ID, statusID)
		if err != nil {
			return nil, err
		}
		if in.Type != st.Type {
			if st.Cases > 0 {
				return nil, apperr.FieldErrors{{Field: "type", Key: "error.esettings.statusTypeInUse"}}
			}
			if last, err := lastOfType(ctx, tx, e.ID, st.Type); err != nil || last {
				if err == nil {
					err = apperr.FieldErrors{{Field: "type", Key: "error.esettings.statusTypeLast"}}
				}
				return nil, err
			}
		}
		_, err = tx.Exec(ctx, `UPDATE eservice_status SET label = $2, type = $3, handling_days = nullif($4, 0) WHERE id = $1`,
			st.ID, in.Label, in.Type, in.HandlingDays)
		if err != nil {
			return nil, fmt.Errorf("eservice: change status: %w", err)
		}
		return map[string]any{"status": st.Key, "type": in.Type}, nil
	})
}

// MoveStatus moves a status one place up (earlier) or down, as the form editor moves steps and
// fields.
func (s *Store) MoveStatus(ctx context.Context, actor audit.Actor, eserviceID, statusID uuid.UUID, dir form.Direction) error {
	if !dir.Valid() {
		return form.ErrCannotMove
	}
	return s.change(ctx, actor, eserviceID, "eservice_status_moved", func(tx pgx.Tx, e EService) (map[string]any, error) {
		st, err := lockStatus(ctx, tx, e.ID, statusID)
		if err != nil {
			return nil, err
		}
		var ids []uuid.UUID
		if err := tx.QueryRow(ctx, `SELECT array_agg(id ORDER BY position, key) FROM eservice_status WHERE eservice_id = $1`, e.ID).Scan(&ids); err != nil {
			return nil, err
		}
		i := slices.Index(ids, st.ID)
		j := i + int(dir)
		if j < 0 || j >= len(ids) {
			return nil, apperr.New(apperr.Conflict, "error.esettings.statusMove")
		}
		ids[i], ids[j] = ids[j], ids[i]
		if _, err := tx.Exec(ctx, `
			UPDATE eservice_status st SET position = o.n FROM unnest($1::uuid[]) WITH ORDINALITY AS o (id, n)
			WHERE st.id = o.id`, ids); err != nil {
			return nil, fmt.Errorf("eservice: move status: %w", err)
		}
		direction := "down"
		if dir == form.Up {
			direction = "up"
		}
		return map[string]any{"status": st.Key, "direction": direction, "position": j + 1}, nil
	})
}

// RemoveStatus removes a status that no case is in, unless it is the last of the types
// "submitted" or "closed", which the portal needs.
func (s *Store) RemoveStatus(ctx context.Context, actor audit.Actor, eserviceID, statusID uuid.UUID) error {
	return s.change(ctx, actor, eserviceID, "eservice_status_removed", func(tx pgx.Tx, e EService) (map[string]any, error) {
		st, err := lockStatus(ctx, tx, e.ID, statusID)
		if err != nil {
			return nil, err
		}
		if st.Cases > 0 {
			return nil, ErrStatusInUse
		}
		if last, err := lastOfType(ctx, tx, e.ID, st.Type); err != nil || last {
			if err == nil {
				err = ErrStatusLast
			}
			return nil, err
		}
		if _, err := tx.Exec(ctx, `DELETE FROM eservice_status WHERE id = $1`, st.ID); err != nil {
			return nil, fmt.Errorf("eservice: remove status: %w", err)
		}
		return map[string]any{"status": st.Key}, nil
	})
}

// lockStatus locks one of the e-service's statuses and counts the cases in it.
func lockStatus(ctx context.Context, tx pgx.Tx, eserviceID, statusID uuid.UUID) (Status, error) {
	var st Status
	err := tx.QueryRow(ctx, `
		SELECT id, key, label, type, coalesce(handling_days, 0) FROM eservice_status
		WHERE id = $1 AND eservice_id = $2 FOR UPDATE`, statusID, eserviceID).
		Scan(&st.ID, &st.Key, &st.Label, &st.Type, &st.HandlingDays)
	if errors.Is(err, pgx.ErrNoRows) {
		return Status{}, ErrStatusNotFound
	}
	if err != nil {
		return Status{}, fmt.Errorf("eservice: status: %w", err)
	}
	err = tx.QueryRow(ctx, `SELECT count(*) FROM cases WHERE eservice_id = $1 AND status_key = $2`, eserviceID, st.Key).Scan(&st.Cases)
	return st, err
}

// lastOfType reports whether the e-service has only one status of the type, when the type is
// one the portal cannot do without.
func lastOfType(ctx context.Context, tx pgx.Tx, eserviceID uuid.UUID, typ string) (bool, error) {
	if typ != StatusSubmitted && typ != StatusClosed {
		return false, nil
	}
	var n int
	err := tx.QueryRow(ctx, `SELECT count(*) FROM eservice_status WHERE eservice_id = $1 AND type = $2`, eserviceID, typ).Scan(&n)
	return n <= 1, err
}

// StatusKey makes a status's key from its label, unique among taken: "Väntar på beslut" becomes
// "vantar_pa_beslut", and "vantar_pa_beslut_2" when that is taken.
func StatusKey(label string, taken []string) string {
	return form.SuggestKey(label, "status", func(k string) bool { return slices.Contains(taken, k) })
}
