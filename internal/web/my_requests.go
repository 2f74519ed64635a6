package web

import (
	"net/http"

	"github.com/minasidor/minasidor/internal/i18n"
	"github.com/minasidor/minasidor/templates"
)

// myRequests lists the requests for public documents the citizen follows on Mina sidor, in
// every municipality.
func (s *Server) myRequests(w http.ResponseWriter, r *http.Request) error {
	ctx := r.Context()
	list, err := s.disclosure.OfAccount(ctx, s.citizenID(ctx))
	if err != nil {
		return err
	}
	var v templates.MyRequestsView
	for _, q := range list {
		v.Requests = append(v.Requests, templates.MyRequestRow{
			URL: "/mina-sidor/allmanna-handlingar/" + q.ID.String(), Reference: q.Reference, Municipality: q.Municipality,
			Received: i18n.DateTime(q.CreatedAt), State: i18n.T(ctx, "public.state.requester."+q.State),
		})
	}
	return s.render(w, r, http.StatusOK, templates.MyRequestsPage(s.page(r, "public.mine.heading", "mypages"), v))
}
