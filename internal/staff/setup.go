package staff

import (
	"context"
	"encoding/xml"
	"errors"
	"fmt"
	"strings"

	"github.com/crewjam/saml"
	"github.com/google/uuid"
	"github.com/jackc/pgx/v5"
	"github.com/minasidor/minasidor/internal/apperr"
	"github.com/minasidor/minasidor/internal/audit"
	"github.com/minasidor/minasidor/internal/auth"
	"github.com/minasidor/minasidor/internal/db"
	"github.com/minasidor/minasidor/internal/form"
)

// What the operations team sets up for a municipality, with `minasidor tenant`, before any of its
// staff can log in: the IdP its staff log in through, and its first municipality admin (who then
// registers the rest of the staff in the admin pages).

// SetIdPMetadata sets (or replaces) the IdP the municipality's staff log in through. The metadata
// must describe an IdP a login can use (auth.CheckIdPMetadata); what is stored is that one
// entity's descriptor. A server reads it when it first needs the municipality's staff login and
// keeps it, so a replaced IdP takes effect on a running server at its next start.
func (s *Store) SetIdPMetadata(ctx context.Context, tenantID uuid.UUID, md *saml.EntityDescriptor) error {
	if err := auth.CheckIdPMetadata(md); err != nil {
		return apperr.Wrap(apperr.Invalid, "", err)
	}
	doc, err := xml.MarshalIndent(md, "", "  ")
	if err != nil {
		return fmt.Errorf("staff: IdP metadata: %w", err)
	}
	tag, err := s.db.Exec(ctx, `
		INSERT INTO tenant_staff_idp (tenant_id, metadata)
		SELECT id, $2 FROM tenant WHERE id = $1
		ON CONFLICT (tenant_id) DO UPDATE SET metadata = excluded.metadata, updated_at = now()`,
		tenantID, xml.Header+string(doc))
	if err != nil {
		return fmt.Errorf("staff: set IdP metadata: %w", err)
	}
	if tag.RowsAffected() == 0 {
		return fmt.Errorf("staff: no municipality %s: %w", tenantID, ErrNotFound)
	}
	return nil
}

// SystemActor is the name the admin history shows for a change made by the operations team with
// the command line rather than by a staff member.
const SystemActor = "System (minasidor tenant admin)"

// Why a first municipality admin is refused (both of kind apperr.Conflict). Where there is an
// admin already, further staff and admins are added by an admin, in the admin pages, and
// recorded as theirs.
var (
	ErrAdminExists   = errors.New("already has a municipality admin")
	ErrEmployeeTaken = errors.New("has already registered this employee id")
)

// AddFirstAdmin registers the municipality's first municipality admin, and records it in the
// admin history as done by the system. It is refused while the municipality has an active
// municipality admin, and for an employee id the municipality has registered already.
func (s *Store) AddFirstAdmin(ctx context.Context, tenantID uuid.UUID, m Member) (Member, error) {
	m.EmployeeID, m.Name, m.Email = strings.TrimSpace(m.EmployeeID), strings.TrimSpace(m.Name), strings.TrimSpace(m.Email)
	var problems []string
	if !employeeID.MatchString(m.EmployeeID) {
		problems = append(problems, "the employee id must be 1 to 100 letters, digits, or . _ @ - (as the IdP releases it)")
	}
	if m.Name == "" {
		problems = append(problems, "the name is required")
	}
	if m.Email != "" && !form.ValidEmail(m.Email) {
		problems = append(problems, fmt.Sprintf("%q is not an e-mail address", m.Email))
	}
	if len(problems) > 0 {
		return Member{}, apperr.Wrap(apperr.Invalid, "", errors.New(strings.Join(problems, "; ")))
	}
	m.TenantID, m.Roles, m.Groups, m.Restricted = tenantID, []string{MunicipalityAdmin}, nil, false
	err := db.Transact(ctx, s.db, func(tx pgx.Tx) error {
		// The municipality's row is locked so that two first admins cannot be made at once.
		var slug string
		err := tx.QueryRow(ctx, `SELECT slug FROM tenant WHERE id = $1 FOR UPDATE`, tenantID).Scan(&slug)
		if errors.Is(err, pgx.ErrNoRows) {
			return fmt.Errorf("staff: no municipality %s: %w", tenantID, ErrNotFound)
		}
		if err != nil {
			return err
		}
		var admin, taken string
		err = tx.QueryRow(ctx, `
			SELECT coalesce((SELECT s.employee_id FROM staff s JOIN staff_role r ON r.staff_id = s.id
				WHERE s.tenant_id = $1 AND s.active AND r.role = 'municipality_admin' ORDER BY s.created_at LIMIT 1), ''),
				coalesce((SELECT employee_id FROM staff WHERE tenant_id = $1 AND employee_id = $2), '')`,
			tenantID, m.EmployeeID).Scan(&admin, &taken)
		if err != nil {
			return err
		}
		if admin != "" {
			return apperr.Wrap(apperr.Conflict, "", fmt.Errorf("%s %w (employee id %s), who adds further staff and admins in the admin pages", slug, ErrAdminExists, admin))
		}
		if taken != "" {
			return apperr.Wrap(apperr.Conflict, "", fmt.Errorf("%s %w: %s", slug, ErrEmployeeTaken, taken))
		}
		if m, err = Add(ctx, tx, m); err != nil {
			return err
		}
		return audit.RecordChange(ctx, tx, audit.Change{
			// The admin log names a staff member as the author of every change; no one at the
			// municipality made this one, so the author is shown as the system, with the new
			// admin's own row as the required reference.
			Actor:  audit.Actor{TenantID: tenantID, StaffID: m.ID, Name: SystemActor},
			Action: "staff_added",
			Target: m.EmployeeID,
			Detail: map[string]any{"roles": m.Roles, "restricted": false, "by": "system"},
		})
	})
	if err != nil {
		return Member{}, err
	}
	return m, nil
}
