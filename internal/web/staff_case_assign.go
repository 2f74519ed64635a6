package web

import (
	"context"
	"net/http"
	"net/url"

	"github.com/google/uuid"
	"github.com/minasidor/minasidor/internal/casework"
	"github.com/minasidor/minasidor/internal/staff"
)

// staffCaseAssign assigns the case to the caseworker ("till=mig"), to another caseworker who
// handles the e-service (till=<id>), or to nobody (till empty).
func (s *Server) staffCaseAssign(w http.ResponseWriter, r *http.Request) error {
	return s.staffCaseAction(w, r, "assign", func(ctx context.Context, m staff.Member, caseID uuid.UUID, form url.Values) error {
		to := uuid.Nil
		switch till := form.Get("till"); till {
		case "mig":
			to = m.ID
		case "":
		default:
			id, err := uuid.Parse(till)
			if err != nil {
				return casework.ErrAssignee
			}
			to = id
		}
		return s.cases.Assign(ctx, m, caseID, to)
	})
}
