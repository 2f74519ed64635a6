package webtest

import (
	"context"
	"testing"

	"github.com/google/uuid"
	"github.com/minasidor/minasidor/internal/staff"
)

// StaffMember is a demo staff member (by employee id, e.g. "ali-1001") as a login through the
// development IdP makes them, with their groups, for tests that act as caseworkers through the
// domain packages.
func (p *Portal) StaffMember(t testing.TB, employeeID string) staff.Member {
	t.Helper()
	ctx := context.Background()
	var id uuid.UUID
	if err := p.Pool.QueryRow(ctx, `SELECT id FROM staff WHERE employee_id = $1`, employeeID).Scan(&id); err != nil {
		t.Fatalf("staff member %s: %v", employeeID, err)
	}
	m, err := staff.NewStore(p.Pool).ByID(ctx, id)
	if err != nil {
		t.Fatal(err)
	}
	for _, tm := range staff.TestStaff {
		if tm.EmployeeID == employeeID {
			m.Groups = tm.Groups
		}
	}
	return m
}
