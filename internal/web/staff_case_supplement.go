package web

import (
	"context"
	"net/http"
	"net/url"

	"github.com/google/uuid"
	"github.com/minasidor/minasidor/internal/staff"
)

// staffCaseSupplement asks the citizen for a supplement; the citizen gets a notice.
func (s *Server) staffCaseSupplement(w http.ResponseWriter, r *http.Request) error {
	return s.staffCaseAction(w, r, "supplement", func(ctx context.Context, m staff.Member, caseID uuid.UUID, form url.Values) error {
		return s.cases.RequestSupplement(ctx, m, caseID, form.Get("text"))
	})
}
