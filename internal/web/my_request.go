package web

import (
	"net/http"

	"github.com/go-chi/chi/v5"
	"github.com/google/uuid"
	"github.com/minasidor/minasidor/internal/apperr"
	"github.com/minasidor/minasidor/internal/disclosure"
	"github.com/minasidor/minasidor/templates"
)

// mine is the logged-in requester's access to the request in the address.
func (s *Server) mine(r *http.Request) (disclosure.Requester, error) {
	id, err := uuid.Parse(chi.URLParam(r, "request"))
	if err != nil {
		return disclosure.Requester{}, apperr.New(apperr.NotFound, "")
	}
	return disclosure.Requester{AccountID: s.citizenID(r.Context()), RequestID: id}, nil
}

// myRequest is a request the citizen follows on Mina sidor.
func (s *Server) myRequest(w http.ResponseWriter, r *http.Request) error {
	ctx := r.Context()
	who, err := s.mine(r)
	if err != nil {
		return err
	}
	st, err := s.disclosure.ForRequester(ctx, who)
	if err != nil {
		return err
	}
	base := "/mina-sidor/allmanna-handlingar/" + who.RequestID.String()
	v := requesterView(ctx, st, base+"/handlingar.pdf", func(id string) string { return base + "/filer/" + id })
	v.Done = doneText(ctx, "public.done", r.URL.Query().Get("klart"))
	return s.render(w, r, http.StatusOK, templates.PublicStatusPage(s.page(r, "public.status.title", "mypages"), v))
}
