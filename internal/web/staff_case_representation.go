package web

import (
	"context"
	"net/http"
	"net/url"

	"github.com/google/uuid"
	"github.com/minasidor/minasidor/internal/apperr"
	"github.com/minasidor/minasidor/internal/staff"
)

// staffCaseRepresentation records the caseworker's check of the representation of the
// association the case was made for: decision=confirm, or decision=refuse (the person can then no
// longer act for it, and is told).
func (s *Server) staffCaseRepresentation(w http.ResponseWriter, r *http.Request) error {
	check := func(confirm bool) func(ctx context.Context, m staff.Member, caseID uuid.UUID, _ url.Values) error {
		return func(ctx context.Context, m staff.Member, caseID uuid.UUID, _ url.Values) error {
			return s.cases.CheckRepresentation(ctx, m, caseID, confirm)
		}
	}
	switch r.PostFormValue("decision") {
	case "confirm":
		return s.staffCaseAction(w, r, "representation_confirmed", check(true))
	case "refuse":
		return s.staffCaseAction(w, r, "representation_refused", check(false))
	}
	return apperr.New(apperr.Invalid, "")
}
