package web

import (
	"errors"
	"net/http"

	"github.com/minasidor/minasidor/internal/apperr"
	"github.com/minasidor/minasidor/templates"
)

// builderCreate creates a new e-service from a title and goes on to its form editor; a refused
// form comes back with what was typed.
func (s *Server) builderCreate(w http.ResponseWriter, r *http.Request) error {
	ctx := r.Context()
	if err := r.ParseForm(); err != nil {
		return apperr.Wrap(apperr.Invalid, "", err)
	}
	f := r.PostForm
	e, err := s.eservices.CreateByAdmin(ctx, staffFrom(ctx).Actor(), f.Get("title"), f.Get("slug"), f.Get("category"))
	var invalid apperr.FieldErrors
	if errors.As(err, &invalid) {
		v, verr := s.builderListView(r, templates.BuilderListView{Title: f.Get("title"), Slug: f.Get("slug"), Category: f.Get("category"),
			Errors: fieldMessages(ctx, invalid)})
		if verr != nil {
			return verr
		}
		return s.render(w, r, http.StatusUnprocessableEntity, templates.BuilderListPage(s.page(r, "builder.list.heading", "eservice_admin"), v))
	}
	if err != nil {
		return err
	}
	builderDone(w, r, e.ID, "formular", "created")
	return nil
}
