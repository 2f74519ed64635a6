package web

import (
	"net/http"

	"github.com/go-chi/chi/v5"
	"github.com/google/uuid"
	"github.com/minasidor/minasidor/internal/apperr"
	"github.com/minasidor/minasidor/internal/extract"
	"github.com/minasidor/minasidor/internal/i18n"
	"github.com/minasidor/minasidor/templates"
)

// rightsExtractShow is one of the citizen's register extracts: how far its build has come, and
// once it is ready, everything in it as a readable page with its downloads. Only its owner sees
// it; it writes nothing.
func (s *Server) rightsExtractShow(w http.ResponseWriter, r *http.Request) error {
	ctx := r.Context()
	x, err := s.ownExtract(r)
	if err != nil {
		return err
	}
	self := extractURL(x.ID)
	v := templates.ExtractView{State: x.State, StateText: i18n.T(ctx, "rights.extract.state."+x.State+".text"),
		Done: x.Done, Total: max(x.Total, 1), Percent: x.Percent(), RequestedAt: i18n.DateTime(x.RequestedAt),
		SelfURL: self, PDFURL: self + "/utdrag.pdf", JSONURL: self + "/utdrag.json", ZIPURL: self + "/utdrag.zip"}
	if x.ExpiresAt != nil {
		v.ExpiresAt = i18n.DateTime(*x.ExpiresAt)
	}
	if x.Document != nil {
		v.Sections = extractSections(ctx, *x.Document)
	}
	return s.render(w, r, http.StatusOK, templates.ExtractPage(s.page(r, "rights.extract.page", "mypages"), v))
}

// ownExtract is the extract named in the address, if it is the logged-in citizen's.
func (s *Server) ownExtract(r *http.Request) (extract.Request, error) {
	id, err := uuid.Parse(chi.URLParam(r, "extract"))
	if err != nil {
		return extract.Request{}, apperr.New(apperr.NotFound, "")
	}
	return s.extracts.Get(r.Context(), s.citizenID(r.Context()), id)
}
