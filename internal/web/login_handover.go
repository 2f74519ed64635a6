package web

import (
	"net/http"
	"net/url"

	"github.com/minasidor/minasidor/internal/auth"
	"github.com/minasidor/minasidor/templates"
)

// handOver hands a login finished on the portal's own address over to the municipality host it
// started on, with a page that goes on there at once.
func (s *Server) handOver(w http.ResponseWriter, r *http.Request, pending auth.Pending, who auth.Subject) error {
	ctx := r.Context()
	next, err := s.logins.HandOver(ctx, pending, who)
	if err != nil {
		return err
	}
	s.log.InfoContext(ctx, "login handed over", "request_id", requestID(ctx), "provider", pending.Provider, "subject", who.ID)
	p := s.page(r, "login.handover.heading", "")
	p.Refresh = next
	u, _ := url.Parse(next)
	return s.render(w, r, http.StatusOK, templates.LoginHandoverPage(p, next, u.Hostname()))
}
