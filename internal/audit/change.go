package audit

import (
	"context"
	"fmt"
	"regexp"
	"time"

	"github.com/google/uuid"
	"github.com/jackc/pgx/v5"
	"github.com/minasidor/minasidor/internal/db"
)

// Actor is the staff member making an administrative change.
type Actor struct {
	TenantID uuid.UUID
	StaffID  uuid.UUID
	Name     string
}

// Change is one administrative change, kept in the append-only admin_event log: of staff, of an
// e-service (EServiceID set), or of the municipality's settings.
type Change struct {
	ID         uuid.UUID
	Actor      Actor
	Action     string         // what was done, e.g. "eservice_published"; [a-z_]
	Target     string         // what it was done to: an employee id, an e-service's slug, a field key
	EServiceID *uuid.UUID     // the e-service changed, if any
	Detail     map[string]any // what changed; never personal data of citizens
	At         time.Time      // set by the database
}

var actionPattern = regexp.MustCompile(`^[a-z][a-z_]{1,60}$`)

// RecordChange appends a change to the log; call it in the transaction of the change itself, so
// that both commit or neither does.
func RecordChange(ctx context.Context, q db.Querier, c Change) error {
	b := &pgx.Batch{}
	if err := QueueChange(b, c); err != nil {
		return err
	}
	if err := db.Run(ctx, q, b); err != nil {
		return fmt.Errorf("audit: change %s: %w", c.Action, err)
	}
	return nil
}

// QueueChange queues on b the appending of a change to the log, for a batch of the change itself.
func QueueChange(b *pgx.Batch, c Change) error {
	if c.Actor.TenantID == uuid.Nil || c.Actor.StaffID == uuid.Nil || !actionPattern.MatchString(c.Action) {
		return fmt.Errorf("%w: change %q", ErrInvalidRecord, c.Action)
	}
	if c.Detail == nil {
		c.Detail = map[string]any{}
	}
	b.Queue(`
		INSERT INTO admin_event (tenant_id, staff_id, staff_name, action, target, eservice_id, detail)
		VALUES ($1, $2, $3, $4, $5, $6, $7)`,
		c.Actor.TenantID, c.Actor.StaffID, c.Actor.Name, c.Action, c.Target, c.EServiceID, c.Detail)
	return nil
}

// ChangesOfEService returns the changes of one e-service, newest first.
func ChangesOfEService(ctx context.Context, q db.Querier, tenantID, eserviceID uuid.UUID, limit int) ([]Change, error) {
	var out []Change
	return out, db.Read(ctx, q, func(b *pgx.Batch) { QueueChangesOfEService(b, tenantID, eserviceID, limit, &out) })
}

// QueueChangesOfEService queues on b the reading of the e-service's changes (as
// ChangesOfEService) into out.
func QueueChangesOfEService(b *pgx.Batch, tenantID, eserviceID uuid.UUID, limit int, out *[]Change) {
	queueChanges(b, out, `WHERE tenant_id = $1 AND eservice_id = $2 ORDER BY at DESC, id LIMIT $3`, tenantID, eserviceID, limit)
}

// ChangesOfMunicipality returns the municipality's changes that concern no e-service (staff and
// settings), newest first.
func ChangesOfMunicipality(ctx context.Context, q db.Querier, tenantID uuid.UUID, limit int) ([]Change, error) {
	var out []Change
	return out, db.Read(ctx, q, func(b *pgx.Batch) {
		queueChanges(b, &out, `WHERE tenant_id = $1 AND eservice_id IS NULL ORDER BY at DESC, id LIMIT $2`, tenantID, limit)
	})
}

func queueChanges(b *pgx.Batch, out *[]Change, where string, args ...any) {
	db.QueueRows(b, out, func(r pgx.CollectableRow) (Change, error) {
		var c Change
		err := r.Scan(&c.ID, &c.Actor.TenantID, &c.Actor.StaffID, &c.Actor.Name, &c.Action, &c.Target, &c.EServiceID, &c.Detail, &c.At)
		return c, err
	}, `SELECT id, tenant_id, staff_id, staff_name, action, target, eservice_id, detail, at FROM admin_event `+where, args...)
}
