package web

import (
	"context"
	"net/http"

	"github.com/google/uuid"
	"github.com/minasidor/minasidor/internal/apperr"
	"github.com/minasidor/minasidor/internal/staff"
)

// registryLink links a case the registrar found to the request.
func (s *Server) registryLink(w http.ResponseWriter, r *http.Request) error {
	return s.registryCaseAction(w, r, "linked", s.disclosure.Link)
}

// registryCaseAction runs a registrar's action on a request and a case named in the form
// ("arende"), then returns to the request with what was done.
func (s *Server) registryCaseAction(w http.ResponseWriter, r *http.Request, done string, act func(ctx context.Context, m staff.Member, requestID, caseID uuid.UUID) error) error {
	id, err := registryRequestID(r)
	if err != nil {
		return err
	}
	caseID, err := uuid.Parse(r.PostFormValue("arende"))
	if err != nil {
		return apperr.New(apperr.NotFound, "")
	}
	if err := act(r.Context(), staffFrom(r.Context()), id, caseID); err != nil {
		return err
	}
	http.Redirect(w, r, staffPrefix+"/registratur/"+id.String()+"?klart="+done, http.StatusSeeOther)
	return nil
}
