package staff

import (
	"context"
	"fmt"
	"regexp"
	"slices"
	"strings"

	"github.com/google/uuid"
	"github.com/jackc/pgx/v5"
	"github.com/minasidor/minasidor/internal/apperr"
	"github.com/minasidor/minasidor/internal/audit"
	"github.com/minasidor/minasidor/internal/db"
)

// ErrNotAdmin is a change by someone who is not a municipality admin.
var ErrNotAdmin = apperr.New(apperr.Forbidden, "")

// Listed is a staff member as the admin's list shows them.
type Listed struct {
	Member
	Active    bool
	EServices []uuid.UUID // the e-services they handle in person
}

// List returns the municipality's staff, active first, by name.
func (s *Store) List(ctx context.Context, tenantID uuid.UUID) ([]Listed, error) {
	rows, err := s.db.Query(ctx, `
		SELECT s.id, s.employee_id, s.name, coalesce(s.email, ''), s.unit, s.restricted, s.active,
			coalesce(array(SELECT role FROM staff_role r WHERE r.staff_id = s.id ORDER BY role), '{}'),
			coalesce(array(SELECT eservice_id FROM eservice_handler h WHERE h.staff_id = s.id), '{}')
		FROM staff s WHERE s.tenant_id = $1 ORDER BY NOT s.active, s.name`, tenantID)
	if err != nil {
		return nil, fmt.Errorf("staff: list: %w", err)
	}
	return pgx.CollectRows(rows, func(r pgx.CollectableRow) (Listed, error) {
		var l Listed
		l.TenantID = tenantID
		err := r.Scan(&l.ID, &l.EmployeeID, &l.Name, &l.Email, &l.Unit, &l.Restricted, &l.Active, &l.Roles, &l.EServices)
		return l, err
	})
}

var employeeID = regexp.MustCompile(`^[A-Za-z0-9._@-]{1,100}$`)

// AddByAdmin registers a staff member of the admin's municipality, and records the change.
func (s *Store) AddByAdmin(ctx context.Context, admin Member, m Member) (Member, error) {
	if !admin.Has(MunicipalityAdmin) {
		return Member{}, ErrNotAdmin
	}
	var errs apperr.FieldErrors
	m.EmployeeID, m.Name = strings.TrimSpace(m.EmployeeID), strings.TrimSpace(m.Name)
	if !employeeID.MatchString(m.EmployeeID) {
		errs.Add("employee_id", "error.staff.employee")
	}
	if m.Name == "" {
		errs.Add("name", "error.staff.name")
	}
	if len(m.Roles) == 0 {
		errs.Add("roles", "error.staff.roles")
	}
	if err := errs.Err(); err != nil {
		return Member{}, err
	}
	m.TenantID = admin.TenantID
	err := db.Transact(ctx, s.db, func(tx pgx.Tx) error {
		var taken bool
		if err := tx.QueryRow(ctx, `SELECT EXISTS (SELECT 1 FROM staff WHERE tenant_id = $1 AND employee_id = $2)`, m.TenantID, m.EmployeeID).Scan(&taken); err != nil {
			return err
		}
		if taken {
			return apperr.FieldErrors{{Field: "employee_id", Key: "error.staff.taken"}}
		}
		var err error
		if m, err = Add(ctx, tx, m); err != nil {
			return err
		}
		return record(ctx, tx, admin, "staff_added", m.EmployeeID, map[string]any{"roles": m.Roles, "restricted": m.Restricted})
	})
	return m, err
}

// RemoveByAdmin ends a staff member's access (their history stays), and records the change.
func (s *Store) RemoveByAdmin(ctx context.Context, admin Member, id uuid.UUID) error {
	if !admin.Has(MunicipalityAdmin) {
		return ErrNotAdmin
	}
	if id == admin.ID {
		return apperr.New(apperr.Conflict, "error.staff.self")
	}
	return db.Transact(ctx, s.db, func(tx pgx.Tx) error {
		var emp string
		err := tx.QueryRow(ctx, `UPDATE staff SET active = false WHERE id = $1 AND tenant_id = $2 RETURNING employee_id`, id, admin.TenantID).Scan(&emp)
		if err == pgx.ErrNoRows {
			return ErrNotFound
		}
		if err != nil {
			return err
		}
		if _, err := tx.Exec(ctx, `DELETE FROM eservice_handler WHERE staff_id = $1`, id); err != nil {
			return err
		}
		return record(ctx, tx, admin, "staff_removed", emp, nil)
	})
}

// AssignByAdmin sets which of the municipality's e-services a staff member handles in person,
// and records the change.
func (s *Store) AssignByAdmin(ctx context.Context, admin Member, id uuid.UUID, eservices []uuid.UUID) error {
	if !admin.Has(MunicipalityAdmin) {
		return ErrNotAdmin
	}
	slices.SortFunc(eservices, func(a, b uuid.UUID) int { return strings.Compare(a.String(), b.String()) })
	eservices = slices.Compact(eservices)
	return db.Transact(ctx, s.db, func(tx pgx.Tx) error {
		var emp string
		err := tx.QueryRow(ctx, `SELECT employee_id FROM staff WHERE id = $1 AND tenant_id = $2 AND active`, id, admin.TenantID).Scan(&emp)
		if err == pgx.ErrNoRows {
			return ErrNotFound
		}
		if err != nil {
			return err
		}
		if _, err := tx.Exec(ctx, `DELETE FROM eservice_handler WHERE staff_id = $1`, id); err != nil {
			return err
		}
		tag, err := tx.Exec(ctx, `
			INSERT INTO eservice_handler (tenant_id, eservice_id, staff_id)
			SELECT $1, e.id, $2 FROM eservice e WHERE e.tenant_id = $1 AND e.id = ANY ($3)`, admin.TenantID, id, eservices)
		if err != nil {
			return err
		}
		if int(tag.RowsAffected()) != len(eservices) {
			return apperr.New(apperr.Invalid, "error.staff.eservice")
		}
		return record(ctx, tx, admin, "staff_assigned", emp, map[string]any{"eservices": eservices})
	})
}

func record(ctx context.Context, tx pgx.Tx, admin Member, action, target string, detail map[string]any) error {
	return audit.RecordChange(ctx, tx, audit.Change{Actor: admin.Actor(), Action: action, Target: target, Detail: detail})
}
