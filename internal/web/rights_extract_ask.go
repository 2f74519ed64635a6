package web

import (
	"net/http"

	"github.com/minasidor/minasidor/internal/apperr"
)

// rightsExtractAsk records the citizen's request for their register extract, which a job builds,
// and shows its progress.
func (s *Server) rightsExtractAsk(w http.ResponseWriter, r *http.Request) error {
	ctx := r.Context()
	t, ok := tenantFrom(ctx)
	if !ok {
		return apperr.New(apperr.NotFound, "")
	}
	id, err := s.extracts.Ask(ctx, t.ID, s.citizenID(ctx))
	if err != nil {
		return err
	}
	s.log.InfoContext(ctx, "register extract requested", "request_id", requestID(ctx), "extract", id)
	http.Redirect(w, r, extractURL(id), http.StatusSeeOther)
	return nil
}
