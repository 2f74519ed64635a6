package retention

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

// Settings are a municipality's own retention settings.
type Settings struct {
	DraftDays   int // drafts untouched this many days are deleted (the owner is told a week before)
	AuditMonths int // audit records are kept this many months
}

// Limits and defaults of the settings, as the schema has them.
const (
	DefaultDraftDays   = 90
	DefaultAuditMonths = 24
	MinDraftDays       = 8 // a week's notice and a day
	MaxDraftDays       = 3650
	MinAuditMonths     = 12
	MaxAuditMonths     = 240
)

// Fields of the settings form.
const (
	FieldDraftDays   = "draft_days"
	FieldAuditMonths = "audit_months"
)

// ErrNotFound is a municipality that does not exist.
var ErrNotFound = apperr.New(apperr.NotFound, "")

// SettingsOf returns the municipality's retention settings.
func SettingsOf(ctx context.Context, q db.Querier, tenantID uuid.UUID) (Settings, error) {
	var s Settings
	return s, db.Read(ctx, q, func(b *pgx.Batch) { queueSettings(b, tenantID, &s) })
}

// queueSettings queues on b the reading of the municipality's retention settings into out.
func queueSettings(b *pgx.Batch, tenantID uuid.UUID, out *Settings) {
	b.Queue(`SELECT draft_retention_days, audit_retention_months FROM tenant WHERE id = $1`, tenantID).
		QueryRow(func(row pgx.Row) error {
			err := row.Scan(&out.DraftDays, &out.AuditMonths)
			if errors.Is(err, pgx.ErrNoRows) {
				return ErrNotFound
			}
			return err
		})
}

// Check returns the field errors of settings out of bounds.
func (s Settings) Check() error {
	var errs apperr.FieldErrors
	if s.DraftDays < MinDraftDays || s.DraftDays > MaxDraftDays {
		errs.Add(FieldDraftDays, "rights.admin.error.draftDays")
	}
	if s.AuditMonths < MinAuditMonths || s.AuditMonths > MaxAuditMonths {
		errs.Add(FieldAuditMonths, "rights.admin.error.auditMonths")
	}
	return errs.Err()
}

// UpdateSettings stores the actor's municipality's retention settings and records the change in
// the change log, in one transaction. Settings out of bounds are apperr.FieldErrors and store
// nothing; settings that change nothing record nothing.
func UpdateSettings(ctx context.Context, q db.Querier, actor audit.Actor, in Settings) error {
	if err := in.Check(); err != nil {
		return err
	}
	return db.Transact(ctx, q, func(tx pgx.Tx) error {
		var old Settings
		err := tx.QueryRow(ctx, `SELECT draft_retention_days, audit_retention_months FROM tenant WHERE id = $1 FOR UPDATE`, actor.TenantID).
			Scan(&old.DraftDays, &old.AuditMonths)
		if errors.Is(err, pgx.ErrNoRows) {
			return ErrNotFound
		}
		if err != nil {
			return fmt.Errorf("retention: settings: %w", err)
		}
		if old == in {
			return nil
		}
		if _, err := tx.Exec(ctx, `UPDATE tenant SET draft_retention_days = $2, audit_retention_months = $3, updated_at = now() WHERE id = $1`,
			actor.TenantID, in.DraftDays, in.AuditMonths); err != nil {
			return fmt.Errorf("retention: settings: %w", err)
		}
		return audit.RecordChange(ctx, tx, audit.Change{Actor: actor, Action: "retention_settings_changed", Target: "municipality",
			Detail: map[string]any{
				"draft_days":   map[string]int{"from": old.DraftDays, "to": in.DraftDays},
				"audit_months": map[string]int{"from": old.AuditMonths, "to": in.AuditMonths},
			}})
	})
}
