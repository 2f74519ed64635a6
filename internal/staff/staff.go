// Package staff holds the staff of the municipalities: who they are, their roles, and their
// login through the municipality's own IdP. A staff member must be registered (by a municipality
// admin, or the demo data) before they can log in; a citizen's login never makes anyone staff.
package staff

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
)

// Roles.
const (
	Caseworker        = "caseworker"
	EServiceAdmin     = "eservice_admin"
	MunicipalityAdmin = "municipality_admin"
	// Registrar (registrator) handles requests for public documents: finds the cases asked for,
	// reviews their secrecy and releases them. A registrar sees no drafts; a caseworker sees no
	// requests.
	Registrar = "registrar"
)

// Roles lists every role.
var Roles = []string{Caseworker, EServiceAdmin, MunicipalityAdmin, Registrar}

// Member is a staff member of one municipality.
type Member struct {
	ID           uuid.UUID
	TenantID     uuid.UUID
	Municipality string
	EmployeeID   string
	Name         string
	Email        string
	Unit         string
	Groups       []string
	Restricted   bool // sees only the cases assigned to them
	Roles        []string
	LastLoginAt  *time.Time
	// EServices are the e-services the member handled, in person or through a group, when the
	// member was read (ByID). A hint for the planner of a search, whose rows are checked against
	// the handlers of their e-services again as they are read.
	EServices []uuid.UUID
	// APIClient is set on the member that an API client of a case system acts as
	// (internal/apiclient): ID is the client's, and it sees every case of its municipality.
	// Members read from the staff table never have it.
	APIClient bool
}

// Actor is the member as the author of an administrative change.
func (m Member) Actor() audit.Actor {
	return audit.Actor{TenantID: m.TenantID, StaffID: m.ID, Name: m.Name}
}

// Has reports whether the member has the role.
func (m Member) Has(role string) bool { return slices.Contains(m.Roles, role) }

// Errors.
var (
	ErrNotFound = apperr.New(apperr.NotFound, "")
	// ErrUnknown is a login by someone the municipality has not registered as staff, or whose
	// access has ended.
	ErrUnknown = apperr.New(apperr.Forbidden, "error.staff.unknown")
)

// Store reads and writes staff.
type Store struct {
	db db.Querier
}

// NewStore returns a store on q (a pool, or a transaction).
func NewStore(q db.Querier) *Store { return &Store{db: q} }

// Login finds the active staff member the municipality's IdP vouched for, and records what the IdP
// now says of them.
func (s *Store) Login(ctx context.Context, tenantID uuid.UUID, employeeID, name, email string, groups []string) (Member, error) {
	if groups == nil {
		groups = []string{}
	}
	var id uuid.UUID
	err := s.db.QueryRow(ctx, `
		UPDATE staff SET name = coalesce(nullif($3, ''), name), email = coalesce(nullif($4, ''), email),
			groups = $5, last_login_at = now()
		WHERE tenant_id = $1 AND employee_id = $2 AND active
		RETURNING id`, tenantID, employeeID, name, email, groups).Scan(&id)
	if errors.Is(err, pgx.ErrNoRows) {
		return Member{}, ErrUnknown
	}
	if err != nil {
		return Member{}, fmt.Errorf("staff: login: %w", err)
	}
	return s.ByID(ctx, id)
}

// ByID returns an active staff member.
func (s *Store) ByID(ctx context.Context, id uuid.UUID) (Member, error) {
	var m Member
	var email *string
	err := s.db.QueryRow(ctx, `
		SELECT s.id, s.tenant_id, t.name, s.employee_id, s.name, s.email, s.unit, s.groups, s.restricted, s.last_login_at,
			coalesce(array(SELECT role FROM staff_role r WHERE r.staff_id = s.id ORDER BY role), '{}'),
			array(SELECT DISTINCT h.eservice_id FROM eservice_handler h WHERE h.staff_id = s.id OR h.group_name = ANY (s.groups))
		FROM staff s JOIN tenant t ON t.id = s.tenant_id
		WHERE s.id = $1 AND s.active`, id).
		Scan(&m.ID, &m.TenantID, &m.Municipality, &m.EmployeeID, &m.Name, &email, &m.Unit, &m.Groups, &m.Restricted, &m.LastLoginAt, &m.Roles, &m.EServices)
	if errors.Is(err, pgx.ErrNoRows) {
		return Member{}, ErrNotFound
	}
	if err != nil {
		return Member{}, fmt.Errorf("staff: %w", err)
	}
	if email != nil {
		m.Email = *email
	}
	return m, nil
}

// Add registers a staff member of a municipality with roles.
func Add(ctx context.Context, q db.Querier, m Member) (Member, error) {
	for _, r := range m.Roles {
		if !slices.Contains(Roles, r) {
			return Member{}, apperr.New(apperr.Invalid, "error.staff.role")
		}
	}
	if m.Groups == nil {
		m.Groups = []string{}
	}
	err := q.QueryRow(ctx, `
		INSERT INTO staff (tenant_id, employee_id, name, email, unit, restricted, groups)
		VALUES ($1, $2, $3, nullif($4, ''), $5, $6, $7) RETURNING id`,
		m.TenantID, m.EmployeeID, m.Name, m.Email, m.Unit, m.Restricted, m.Groups).Scan(&m.ID)
	if err != nil {
		return Member{}, fmt.Errorf("staff: add %s: %w", m.EmployeeID, err)
	}
	for _, r := range m.Roles {
		if _, err := q.Exec(ctx, `INSERT INTO staff_role (staff_id, role) VALUES ($1, $2)`, m.ID, r); err != nil {
			return Member{}, fmt.Errorf("staff: role: %w", err)
		}
	}
	return m, nil
}

// ErrNoIdP is a municipality whose staff IdP is not set up.
var ErrNoIdP = apperr.New(apperr.NotFound, "error.staff.noidp")

// IdPMetadata returns the metadata document of the IdP the municipality's staff log in through.
func (s *Store) IdPMetadata(ctx context.Context, tenantID uuid.UUID) ([]byte, error) {
	var doc string
	err := s.db.QueryRow(ctx, `SELECT metadata FROM tenant_staff_idp WHERE tenant_id = $1`, tenantID).Scan(&doc)
	if errors.Is(err, pgx.ErrNoRows) {
		return nil, ErrNoIdP
	}
	if err != nil {
		return nil, fmt.Errorf("staff: IdP metadata: %w", err)
	}
	return []byte(doc), nil
}
