package eservice

import (
	"context"
	"fmt"
	"slices"
	"strings"
	"unicode"
	"unicode/utf8"

	"github.com/google/uuid"
	"github.com/jackc/pgx/v5"
	"github.com/minasidor/minasidor/internal/apperr"
	"github.com/minasidor/minasidor/internal/audit"
	"github.com/minasidor/minasidor/internal/db"
)

// The caseworkers of an e-service are who sees and handles its cases: caseworkers of the
// municipality in person, and everyone in a group the municipality's IdP releases (as the
// staff member's groups at login). The table is eservice_handler, and a change is recorded as
// eservice_handlers_changed: names kept in the database and in the change log.

// Limits of the caseworkers.
const (
	maxGroups    = 100
	maxGroupName = 200
)

// Candidate is an active caseworker of the municipality, and whether they handle the e-service
// in person.
type Candidate struct {
	ID         uuid.UUID
	Name       string
	EmployeeID string
	Unit       string
	Handles    bool
}

// Caseworkers returns the municipality's active caseworkers, by name, each marked when they handle
// the e-service in person, and the IdP groups that handle it, by name.
func (s *Store) Caseworkers(ctx context.Context, e EService) ([]Candidate, []string, error) {
	var staff []Candidate
	var groups []string
	b := &pgx.Batch{}
	db.QueueRows(b, &staff, func(r pgx.CollectableRow) (Candidate, error) {
		var c Candidate
		err := r.Scan(&c.ID, &c.Name, &c.EmployeeID, &c.Unit, &c.Handles)
		return c, err
	}, `
		SELECT s.id, s.name, s.employee_id, s.unit,
			EXISTS (SELECT 1 FROM eservice_handler h WHERE h.eservice_id = $2 AND h.staff_id = s.id)
		FROM staff s
		WHERE s.tenant_id = $1 AND s.active AND EXISTS (SELECT 1 FROM staff_role r WHERE r.staff_id = s.id AND r.role = 'caseworker')
		ORDER BY s.name, s.employee_id`, e.TenantID, e.ID)
	b.Queue(`
		SELECT coalesce(array_agg(group_name ORDER BY group_name), '{}') FROM eservice_handler
		WHERE eservice_id = $1 AND group_name IS NOT NULL`, e.ID).QueryRow(func(row pgx.Row) error { return row.Scan(&groups) })
	if err := db.Run(ctx, s.db, b); err != nil {
		return nil, nil, fmt.Errorf("eservice: caseworkers: %w", err)
	}
	return staff, groups, nil
}

// ParseGroups reads IdP group names written one a line: blank lines are skipped, and each name
// is kept once.
func ParseGroups(text string) []string {
	var groups []string
	for line := range strings.Lines(text) {
		if g := strings.TrimSpace(line); g != "" && !slices.Contains(groups, g) {
			groups = append(groups, g)
		}
	}
	return groups
}

// SetCaseworkers replaces who handles the e-service: the caseworkers (active, of the municipality,
// with the caseworker role) and the IdP groups. Its field errors name the inputs caseworkers and
// groups.
func (s *Store) SetCaseworkers(ctx context.Context, actor audit.Actor, eserviceID uuid.UUID, staffIDs []uuid.UUID, groups []string) error {
	staffIDs = slices.Clone(staffIDs)
	slices.SortFunc(staffIDs, func(a, b uuid.UUID) int { return strings.Compare(a.String(), b.String()) })
	staffIDs = slices.Compact(staffIDs)
	var errs apperr.FieldErrors
	clean := []string{}
	for _, g := range groups {
		g = strings.TrimSpace(g)
		if g == "" || slices.Contains(clean, g) {
			continue
		}
		if utf8.RuneCountInString(g) > maxGroupName || strings.ContainsFunc(g, unicode.IsControl) {
			errs.Add("groups", "error.esettings.group")
			break
		}
		clean = append(clean, g)
	}
	if len(clean) > maxGroups {
		errs.Add("groups", "error.esettings.groupsTooMany")
	}
	if err := errs.Err(); err != nil {
		return err
	}
	slices.Sort(clean)
	return s.change(ctx, actor, eserviceID, "eservice_handlers_changed", func(tx pgx.Tx, e EService) (map[string]any, error) {
		var employees []string
		err := tx.QueryRow(ctx, `
			SELECT coalesce(array_agg(s.employee_id ORDER BY s.employee_id), '{}') FROM staff s
			WHERE s.id = ANY ($2) AND s.tenant_id = $1 AND s.active
			  AND EXISTS (SELECT 1 FROM staff_role r WHERE r.staff_id = s.id AND r.role = 'caseworker')`,
			e.TenantID, staffIDs).Scan(&employees)
		if err != nil {
			return nil, err
		}
		if len(employees) != len(staffIDs) {
			return nil, apperr.FieldErrors{{Field: "caseworkers", Key: "error.esettings.caseworker"}}
		}
		if _, err := tx.Exec(ctx, `DELETE FROM eservice_handler WHERE eservice_id = $1`, e.ID); err != nil {
			return nil, fmt.Errorf("eservice: caseworkers: %w", err)
		}
		if _, err := tx.Exec(ctx, `
			INSERT INTO eservice_handler (tenant_id, eservice_id, staff_id) SELECT $1, $2, unnest($3::uuid[])`,
			e.TenantID, e.ID, staffIDs); err != nil {
			return nil, fmt.Errorf("eservice: caseworkers: %w", err)
		}
		if _, err := tx.Exec(ctx, `
			INSERT INTO eservice_handler (tenant_id, eservice_id, group_name) SELECT $1, $2, unnest($3::text[])`,
			e.TenantID, e.ID, clean); err != nil {
			return nil, fmt.Errorf("eservice: caseworkers: %w", err)
		}
		return map[string]any{"staff": employees, "groups": clean}, nil
	})
}
