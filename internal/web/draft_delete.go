package web

import (
	"net/http"

	"github.com/go-chi/chi/v5"
	"github.com/google/uuid"
	"github.com/minasidor/minasidor/internal/apperr"
)

// draftDelete removes the owner's draft and its files.
func (s *Server) draftDelete(w http.ResponseWriter, r *http.Request) error {
	ctx := r.Context()
	id, err := uuid.Parse(chi.URLParam(r, "draft"))
	if err != nil {
		return apperr.New(apperr.NotFound, "")
	}
	if err := s.drafts.Delete(ctx, id, s.draftOwner(ctx)); err != nil {
		return err
	}
	if s.citizenID(ctx) != uuid.Nil {
		http.Redirect(w, r, "/mina-sidor?raderat=1", http.StatusSeeOther)
		return nil
	}
	http.Redirect(w, r, "/e-tjanster", http.StatusSeeOther)
	return nil
}
