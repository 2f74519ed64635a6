package web

import (
	"net/http"

	"github.com/minasidor/minasidor/internal/apperr"
	"github.com/minasidor/minasidor/internal/web/formread"
)

// builderStatusMove moves a status one place up or down (riktning=upp or ner).
func (s *Server) builderStatusMove(w http.ResponseWriter, r *http.Request) error {
	ctx := r.Context()
	e, err := s.builderEService(r)
	if err != nil {
		return err
	}
	id, err := statusID(r)
	if err != nil {
		return err
	}
	if err := r.ParseForm(); err != nil {
		return apperr.Wrap(apperr.Invalid, "", err)
	}
	dir, err := formread.Direction(r.PostForm)
	if err != nil {
		return err
	}
	if err := s.eservices.MoveStatus(ctx, staffFrom(ctx).Actor(), e.ID, id, dir); err != nil {
		return err
	}
	builderDone(w, r, e.ID, "statusar", "statusmoved")
	return nil
}
