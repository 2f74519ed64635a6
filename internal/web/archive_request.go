package web

import (
	"errors"
	"net/http"
	"strings"

	"github.com/minasidor/minasidor/internal/apperr"
	"github.com/minasidor/minasidor/internal/i18n"
	"github.com/minasidor/minasidor/templates"
)

// archiveRequest asks for the archive package of a closed case, named by its reference; a job
// makes it. A refused request comes back with the reference as typed and why.
func (s *Server) archiveRequest(w http.ResponseWriter, r *http.Request) error {
	ctx := r.Context()
	if err := r.ParseForm(); err != nil {
		return apperr.Wrap(apperr.Invalid, "", err)
	}
	reference := strings.TrimSpace(r.PostForm.Get("reference"))
	m := staffFrom(ctx)
	_, err := s.archive.RequestByReference(ctx, m, reference)
	var refused *apperr.Error
	if errors.As(err, &refused) && (refused.Kind == apperr.NotFound || refused.Kind == apperr.Conflict || refused.Kind == apperr.Invalid) {
		key := refused.Key
		if refused.Kind == apperr.NotFound || key == "" {
			key = "archive.error.reference"
		}
		v, verr := s.archiveView(ctx, "")
		if verr != nil {
			return verr
		}
		v.Reference = reference
		v.Errors = []templates.FieldMessage{{Field: "reference", Message: i18n.T(ctx, key)}}
		p := s.page(r, "archive.heading", "archive")
		p.Title = i18n.T(ctx, "form.errors.title", p.Title)
		return s.render(w, r, http.StatusUnprocessableEntity, templates.ArchivePage(p, v))
	}
	if err != nil {
		return err
	}
	http.Redirect(w, r, archivePath+"?klart=requested", http.StatusSeeOther)
	return nil
}
