package web

import (
	"context"
	"net/http"

	"github.com/minasidor/minasidor/internal/casework"
	"github.com/minasidor/minasidor/internal/staff"
)

// staffCaseSupplement asks the citizen for a supplement; the citizen gets a notice.
func (s *Server) staffCaseSupplement(w http.ResponseWriter, r *http.Request) error {
	return s.staffCaseAction(w, r, "supplement", func(ctx context.Context, m staff.Member, c casework.Case, text string) error {
		return s.cases.RequestSupplement(ctx, c.ID, m.Name, text)
	})
}
