package web

import (
	"errors"
	"net/http"
	"strings"

	"github.com/go-chi/chi/v5"
	"github.com/google/uuid"
	"github.com/minasidor/minasidor/internal/apperr"
	"github.com/minasidor/minasidor/internal/disclosure"
)

// registryDocumentSave stores the registrar's decisions on the parts of a linked case: release,
// mask or withhold, with a ground for the two last. A refused decision shows the review again
// with every choice as sent.
func (s *Server) registryDocumentSave(w http.ResponseWriter, r *http.Request) error {
	ctx := r.Context()
	id, err := registryRequestID(r)
	if err != nil {
		return err
	}
	caseID, err := uuid.Parse(chi.URLParam(r, "case"))
	if err != nil {
		return apperr.New(apperr.NotFound, "")
	}
	if err := r.ParseForm(); err != nil {
		return apperr.Wrap(apperr.Invalid, "", err)
	}
	in := disclosure.Decide{}
	for k := range r.PostForm {
		if part, ok := strings.CutPrefix(k, "beslut-"); ok {
			in[part] = disclosure.PartDecision{Decision: r.PostForm.Get(k), Ground: r.PostForm.Get("grund-" + part)}
		}
	}
	err = s.disclosure.DecideParts(ctx, staffFrom(ctx), id, caseID, in)
	var invalid apperr.FieldErrors
	if errors.As(err, &invalid) {
		return s.renderRegistryDocument(w, r, http.StatusUnprocessableEntity, r.PostForm, invalid)
	}
	if err != nil {
		return err
	}
	http.Redirect(w, r, staffPrefix+"/registratur/"+id.String()+"?klart=saved", http.StatusSeeOther)
	return nil
}
