package web

import (
	"net/http"
	"time"

	"github.com/minasidor/minasidor/internal/apperr"
	"github.com/minasidor/minasidor/templates"
)

// privacyPage is the portal's own privacy notice: what Mina sidor keeps, for how long (client
// addresses included), and the citizen's rights.
func (s *Server) privacyPage(w http.ResponseWriter, r *http.Request) error {
	ctx := r.Context()
	t, ok := tenantFrom(ctx)
	if !ok {
		return apperr.New(apperr.NotFound, "")
	}
	set, err := s.retention.Settings(ctx, t.ID)
	if err != nil {
		return err
	}
	v := templates.PrivacyView{AddressDays: int(s.retention.AddressRetention() / (24 * time.Hour)), DraftDays: set.DraftDays,
		AuditMonths: set.AuditMonths, Municipality: t.Name}
	if ts, ok := tenantSettings(ctx); ok {
		v.DPO = templates.DPOView{Name: ts.DPO.Name, Email: ts.DPO.Email, Phone: ts.DPO.Phone}
	}
	return s.render(w, r, http.StatusOK, templates.PrivacyPage(s.page(r, "rights.privacy.page", ""), v))
}
