package web

import (
	"context"

	"github.com/google/uuid"
	"github.com/minasidor/minasidor/internal/audit"
	"github.com/minasidor/minasidor/internal/staff"
)

// audit records a staff member's read of a case, one of its files, or a list of cases. Every read
// in the staff area is a caseworker's (the admin pages read no cases).
func (s *Server) audit(ctx context.Context, m staff.Member, caseID uuid.UUID, what, detail string) error {
	return audit.Write(ctx, s.pool, audit.Record{
		TenantID: m.TenantID, StaffID: m.ID, StaffName: m.Name, StaffUnit: m.Unit,
		Role: staff.Caseworker, CaseID: caseID, What: what, Detail: detail,
	})
}
