package web

import (
	"net/http"

	"github.com/go-chi/chi/v5"
	"github.com/google/uuid"
	"github.com/minasidor/minasidor/internal/apperr"
)

// webhookResend sends a delivery of the log again: the same event, signed anew.
func (s *Server) webhookResend(w http.ResponseWriter, r *http.Request) error {
	hookID, err1 := uuid.Parse(chi.URLParam(r, "webhook"))
	deliveryID, err2 := uuid.Parse(chi.URLParam(r, "delivery"))
	if err1 != nil || err2 != nil {
		return apperr.New(apperr.NotFound, "")
	}
	if err := s.webhooks.Resend(r.Context(), staffFrom(r.Context()).TenantID, hookID, deliveryID); err != nil {
		return err
	}
	http.Redirect(w, r, integrationsPath+"/webhooks/"+hookID.String()+"?klart=resent", http.StatusSeeOther)
	return nil
}
