package eservice

import (
	"context"
	"errors"
	"fmt"
	"slices"
	"time"

	"github.com/google/uuid"
	"github.com/jackc/pgx/v5"
	"github.com/minasidor/minasidor/internal/apperr"
	"github.com/minasidor/minasidor/internal/audit"
	"github.com/minasidor/minasidor/internal/db"
	"github.com/minasidor/minasidor/internal/form"
)

// The builder: e-service admins edit a draft version of an e-service's form and publish it. A
// published version never changes; editing a published e-service starts a new draft version, a
// copy of the current one. Every change is recorded in the admin change log in its transaction.

// Errors of the builder.
var (
	ErrArchived     = apperr.New(apperr.Conflict, "error.builder.archived")
	ErrNothingDraft = apperr.New(apperr.Conflict, "error.builder.noDraft")
	ErrSlugTaken    = apperr.New(apperr.Conflict, "error.builder.slugTaken")
)

// VersionInfo is one version in an e-service's history.
type VersionInfo struct {
	ID          uuid.UUID
	Number      int
	CreatedAt   time.Time
	CreatedBy   string
	UpdatedAt   time.Time
	UpdatedBy   string
	PublishedAt *time.Time
	PublishedBy string
	Current     bool // the version new drafts start on
	Drafts      int  // citizens' drafts on it
	Cases       int  // cases submitted on it
}

// Overview is what the builder's overview shows of an e-service beside its head: its versions,
// newest first, the version the editor works on, and its latest changes.
type Overview struct {
	Versions []VersionInfo
	Working  Version // read only when the overview asks for it
	Changes  []audit.Change
}

// Overview reads the builder's overview of the e-service e in one round trip: with working, the
// working version too (whose problems the overview of a draft shows), and at most changes of its
// changes (its settings, versions, statuses, templates, caseworkers).
func (s *Store) Overview(ctx context.Context, e EService, working bool, changes int) (Overview, error) {
	var o Overview
	return o, db.Read(ctx, s.db, func(b *pgx.Batch) {
		db.QueueRows(b, &o.Versions, func(r pgx.CollectableRow) (VersionInfo, error) {
			var v VersionInfo
			err := r.Scan(&v.ID, &v.Number, &v.CreatedAt, &v.CreatedBy, &v.UpdatedAt, &v.UpdatedBy, &v.PublishedAt, &v.PublishedBy, &v.Current, &v.Drafts, &v.Cases)
			return v, err
		}, `
			SELECT v.id, v.number, v.created_at, v.created_by, v.updated_at, v.updated_by, v.published_at, v.published_by,
				v.id IS NOT DISTINCT FROM e.current_version_id,
				(SELECT count(*) FROM draft d WHERE d.version_id = v.id),
				(SELECT count(*) FROM cases c WHERE c.version_id = v.id)
			FROM eservice_version v JOIN eservice e ON e.id = v.eservice_id
			WHERE v.eservice_id = $1 ORDER BY v.number DESC`, e.ID)
		if working {
			queueWorking(b, e.ID, &o.Working)
		}
		audit.QueueChangesOfEService(b, e.TenantID, e.ID, changes, &o.Changes)
	})
}

// Working returns the version the editor works on: the draft version if there is one, else the
// current published version; ok is false for a new e-service without any version (an empty form).
func (s *Store) Working(ctx context.Context, eserviceID uuid.UUID) (v Version, ok bool, err error) {
	err = db.Read(ctx, s.db, func(b *pgx.Batch) { queueWorking(b, eserviceID, &v) })
	return v, err == nil && v.ID != uuid.Nil, err
}

// queueWorking queues on b the reading of the e-service's working version (as Working) into out,
// an empty form when it has none.
func queueWorking(b *pgx.Batch, eserviceID uuid.UUID, out *Version) {
	*out = Version{EServiceID: eserviceID, Definition: &form.Definition{Steps: []form.Step{}}}
	queueVersionWhere(b, `eservice_id = $1
		AND (published_at IS NULL OR id = (SELECT current_version_id FROM eservice WHERE id = $1))
		ORDER BY published_at IS NULL DESC LIMIT 1`, []any{eserviceID}, out)
}

// lockForChange locks the admin's e-service for a change, refusing an archived one and one of
// another municipality (as not found).
func lockForChange(ctx context.Context, tx pgx.Tx, actor audit.Actor, eserviceID uuid.UUID) (EService, error) {
	e, err := scan(tx.QueryRow(ctx, `SELECT `+columns+` FROM eservice e JOIN tenant t ON t.id = e.tenant_id
		WHERE e.id = $1 AND e.tenant_id = $2 FOR UPDATE OF e`, eserviceID, actor.TenantID))
	if err != nil {
		return EService{}, err
	}
	if e.State == "archived" {
		return EService{}, ErrArchived
	}
	return e, nil
}

// EditDraft changes the form of the e-service's draft version with edit, creating the draft
// version first (a copy of the current version, or an empty form) when there is none. A
// definition that cannot work is refused as the editor would (form.Definition.CheckDraft), and
// nothing is stored; a form that is not finished yet (no steps, an empty step) is kept. The
// change is recorded as action on target (a step or field key).
func (s *Store) EditDraft(ctx context.Context, actor audit.Actor, eserviceID uuid.UUID, action, target string, edit func(*form.Definition) error) (Version, error) {
	var v Version
	err := db.Transact(ctx, s.db, func(tx pgx.Tx) error {
		e, err := lockForChange(ctx, tx, actor, eserviceID)
		if err != nil {
			return err
		}
		var def []byte
		err = tx.QueryRow(ctx, `SELECT id, number, definition FROM eservice_version WHERE eservice_id = $1 AND published_at IS NULL`, e.ID).
			Scan(&v.ID, &v.Number, &def)
		switch {
		case errors.Is(err, pgx.ErrNoRows):
			def = []byte(`{"steps": []}`)
			if e.CurrentVersionID != nil {
				if err := tx.QueryRow(ctx, `SELECT definition FROM eservice_version WHERE id = $1`, *e.CurrentVersionID).Scan(&def); err != nil {
					return err
				}
			}
		case err != nil:
			return err
		}
		d, err := form.ParseDraft(def)
		if err != nil {
			return err
		}
		if err := edit(d); err != nil {
			return err
		}
		if err := d.CheckDraft(); err != nil {
			return err
		}
		b, err := d.JSON()
		if err != nil {
			return err
		}
		if v.ID == uuid.Nil {
			err = tx.QueryRow(ctx, `
				INSERT INTO eservice_version (tenant_id, eservice_id, number, definition, created_by, updated_by)
				VALUES ($1, $2, coalesce((SELECT max(number) FROM eservice_version WHERE eservice_id = $2), 0) + 1, $3, $4, $4)
				RETURNING id, number`, e.TenantID, e.ID, b, actor.Name).Scan(&v.ID, &v.Number)
		} else {
			_, err = tx.Exec(ctx, `UPDATE eservice_version SET definition = $2, updated_at = now(), updated_by = $3 WHERE id = $1`, v.ID, b, actor.Name)
		}
		if err != nil {
			return fmt.Errorf("eservice: edit draft: %w", err)
		}
		v.EServiceID, v.Definition = e.ID, d
		return audit.RecordChange(ctx, tx, audit.Change{Actor: actor, Action: action, Target: target, EServiceID: &e.ID,
			Detail: map[string]any{"version": v.Number}})
	})
	return v, err
}

// PublishDraft publishes the draft version after the full check (the form, the once-only
// field, a complete privacy notice: Publishable): it becomes the version new
// drafts start on, and the e-service is published. Drafts and cases already started keep their
// own version.
func (s *Store) PublishDraft(ctx context.Context, actor audit.Actor, eserviceID uuid.UUID) (Version, error) {
	var v Version
	err := db.Transact(ctx, s.db, func(tx pgx.Tx) error {
		e, err := lockForChange(ctx, tx, actor, eserviceID)
		if err != nil {
			return err
		}
		var def []byte
		err = tx.QueryRow(ctx, `SELECT id, number, definition FROM eservice_version WHERE eservice_id = $1 AND published_at IS NULL`, e.ID).
			Scan(&v.ID, &v.Number, &def)
		if errors.Is(err, pgx.ErrNoRows) {
			return ErrNothingDraft
		}
		if err != nil {
			return err
		}
		if v.Definition, err = form.Parse(def); err != nil {
			return err
		}
		if _, ok := v.Definition.Field(e.OnceOnlyField); e.OnceOnlyField != "" && !ok {
			return apperr.New(apperr.Invalid, "error.builder.onceOnlyField")
		}
		if err := e.Publishable(); err != nil {
			return err
		}
		if err := tx.QueryRow(ctx, `UPDATE eservice_version SET published_at = now(), published_by = $2 WHERE id = $1 RETURNING published_at`,
			v.ID, actor.Name).Scan(&v.PublishedAt); err != nil {
			return fmt.Errorf("eservice: publish: %w", err)
		}
		if _, err := tx.Exec(ctx, `UPDATE eservice SET current_version_id = $2, state = 'published', updated_at = now() WHERE id = $1`, e.ID, v.ID); err != nil {
			return fmt.Errorf("eservice: publish: %w", err)
		}
		v.EServiceID = e.ID
		return audit.RecordChange(ctx, tx, audit.Change{Actor: actor, Action: "eservice_published", Target: e.Slug, EServiceID: &e.ID,
			Detail: map[string]any{"version": v.Number}})
	})
	return v, err
}

// DiscardDraft removes the draft version, going back to the published one. Citizens' drafts
// are never on a draft version, so none is lost.
func (s *Store) DiscardDraft(ctx context.Context, actor audit.Actor, eserviceID uuid.UUID) error {
	return s.change(ctx, actor, eserviceID, "eservice_draft_discarded", func(tx pgx.Tx, e EService) (map[string]any, error) {
		var n int
		err := tx.QueryRow(ctx, `DELETE FROM eservice_version WHERE eservice_id = $1 AND published_at IS NULL RETURNING number`, e.ID).Scan(&n)
		if errors.Is(err, pgx.ErrNoRows) {
			return nil, ErrNothingDraft
		}
		return map[string]any{"version": n}, err
	})
}

// Unpublish takes the e-service out of the catalogue: no new drafts start, while drafts and cases
// already started go on. Publishing again brings it back.
func (s *Store) Unpublish(ctx context.Context, actor audit.Actor, eserviceID uuid.UUID) error {
	return s.setState(ctx, actor, eserviceID, "unpublished", "eservice_unpublished", "published")
}

// Republish brings an unpublished e-service back on its current version. It also publishes an
// e-service in another system (an external address, no form) for the first time.
func (s *Store) Republish(ctx context.Context, actor audit.Actor, eserviceID uuid.UUID) error {
	return s.setState(ctx, actor, eserviceID, "published", "eservice_republished", "unpublished", "draft")
}

// Archive removes the e-service from the admins' list and the catalogue for good; its cases stay.
func (s *Store) Archive(ctx context.Context, actor audit.Actor, eserviceID uuid.UUID) error {
	return s.setState(ctx, actor, eserviceID, "archived", "eservice_archived", "draft", "published", "unpublished")
}

// ErrState is a change the e-service's state does not allow.
var ErrState = apperr.New(apperr.Conflict, "error.builder.state")

func (s *Store) setState(ctx context.Context, actor audit.Actor, eserviceID uuid.UUID, state, action string, from ...string) error {
	return s.change(ctx, actor, eserviceID, action, func(tx pgx.Tx, e EService) (map[string]any, error) {
		if !slices.Contains(from, e.State) || (state == "published" && e.CurrentVersionID == nil && e.ExternalURL == "") {
			return nil, ErrState
		}
		if state == "published" {
			if err := e.Publishable(); err != nil {
				return nil, err
			}
		}
		_, err := tx.Exec(ctx, `UPDATE eservice SET state = $2, updated_at = now() WHERE id = $1`, e.ID, state)
		return map[string]any{"from": e.State, "to": state}, err
	})
}

// SetAvailability sets when the published e-service is shown in the catalogue and can be started:
// from and until, either open.
func (s *Store) SetAvailability(ctx context.Context, actor audit.Actor, eserviceID uuid.UUID, from, until *time.Time) error {
	if from != nil && until != nil && !until.After(*from) {
		return apperr.FieldErrors{{Field: "available_until", Key: "error.builder.availability"}}
	}
	return s.change(ctx, actor, eserviceID, "eservice_availability_changed", func(tx pgx.Tx, e EService) (map[string]any, error) {
		_, err := tx.Exec(ctx, `UPDATE eservice SET available_from = $2, available_until = $3, updated_at = now() WHERE id = $1`, e.ID, from, until)
		return map[string]any{"from": from, "until": until}, err
	})
}

// change runs fn on the locked e-service in a transaction and records the change with its detail.
func (s *Store) change(ctx context.Context, actor audit.Actor, eserviceID uuid.UUID, action string, fn func(pgx.Tx, EService) (map[string]any, error)) error {
	return db.Transact(ctx, s.db, func(tx pgx.Tx) error {
		e, err := lockForChange(ctx, tx, actor, eserviceID)
		if err != nil {
			return err
		}
		detail, err := fn(tx, e)
		if err != nil {
			return err
		}
		return audit.RecordChange(ctx, tx, audit.Change{Actor: actor, Action: action, Target: e.Slug, EServiceID: &e.ID, Detail: detail})
	})
}

// Listed is an e-service as the admins' list and its administration's pages show it.
type Listed struct {
	EService
	Version   int  // the number of the current published version; 0 for none
	HasDraft  bool // a draft version is being edited
	UpdatedAt time.Time
}

// listed reads the municipality's ($1) e-services that are not archived, as Listed.
const listed = `
	SELECT ` + columns + `, coalesce(cv.number, 0),
		EXISTS (SELECT 1 FROM eservice_version d WHERE d.eservice_id = e.id AND d.published_at IS NULL), e.updated_at
	FROM eservice e JOIN tenant t ON t.id = e.tenant_id
	LEFT JOIN eservice_version cv ON cv.id = e.current_version_id
	WHERE e.tenant_id = $1 AND e.state <> 'archived'`

func scanListed(r pgx.Row) (Listed, error) {
	var l Listed
	e, err := scanWith(r, func(dest ...any) []any { return append(dest, &l.Version, &l.HasDraft, &l.UpdatedAt) })
	l.EService = e
	return l, err
}

// ForAdmin returns the municipality's e-services that are not archived, with their versions, by
// title.
func (s *Store) ForAdmin(ctx context.Context, tenantID uuid.UUID) ([]Listed, error) {
	rows, err := s.db.Query(ctx, listed+` ORDER BY e.title ->> 'sv'`, tenantID)
	if err != nil {
		return nil, fmt.Errorf("eservice: admin list: %w", err)
	}
	return pgx.CollectRows(rows, func(r pgx.CollectableRow) (Listed, error) { return scanListed(r) })
}

// Administered reads one of the municipality's e-services for its administration's pages, in
// one statement; another municipality's, and an archived one, is not found.
func (s *Store) Administered(ctx context.Context, tenantID, id uuid.UUID) (Listed, error) {
	return scanListed(s.db.QueryRow(ctx, listed+` AND e.id = $2`, tenantID, id))
}
