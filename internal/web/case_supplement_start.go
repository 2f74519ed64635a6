package web

import (
	"net/http"

	"github.com/minasidor/minasidor/internal/casework"
)

// caseSupplementStart opens the case's answers for a supplement: a draft with a copy of the
// answers on the case's own version, or the one already started.
func (s *Server) caseSupplementStart(w http.ResponseWriter, r *http.Request) error {
	ctx := r.Context()
	c, err := s.loadOwnCase(r)
	if err != nil {
		return err
	}
	req, err := s.cases.OpenRequest(ctx, c.ID)
	if err != nil {
		return err
	}
	if req == nil {
		return casework.ErrNotWaiting
	}
	v, err := s.eservices.Version(ctx, c.VersionID)
	if err != nil {
		return err
	}
	first := v.Definition.VisibleSteps(c.Answers)[0].Key
	d, err := s.drafts.ForSupplement(ctx, c.TenantID, c.EServiceID, c.VersionID, c.ID, *c.AccountID, c.Answers, first)
	if err != nil {
		return err
	}
	http.Redirect(w, r, "/utkast/"+d.ID.String()+"/steg/"+d.CurrentStep, http.StatusSeeOther)
	return nil
}
