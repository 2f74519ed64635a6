package web

import (
	"context"
	"net/http"

	"github.com/minasidor/minasidor/internal/apperr"
	"github.com/minasidor/minasidor/internal/i18n"
	"github.com/minasidor/minasidor/templates"
)

// rightsErase is where the citizen erases what the portal may erase on its own, and reads what
// stays as a public record and why.
func (s *Server) rightsErase(w http.ResponseWriter, r *http.Request) error {
	return s.renderErase(w, r, http.StatusOK, nil)
}

func (s *Server) renderErase(w http.ResponseWriter, r *http.Request, status int, errs apperr.FieldErrors) error {
	ctx := r.Context()
	v, err := s.eraseView(ctx)
	if err != nil {
		return err
	}
	v.Errors = fieldMessages(ctx, errs)
	p := s.page(r, "rights.erase.page", "mypages")
	if len(errs) > 0 {
		p.Title = i18n.T(ctx, "form.errors.title", p.Title)
	}
	return s.render(w, r, status, templates.ErasePage(p, v))
}

func (s *Server) eraseView(ctx context.Context) (templates.EraseView, error) {
	id := s.citizenID(ctx)
	acct, err := s.accounts.ByID(ctx, id)
	if err != nil {
		return templates.EraseView{}, err
	}
	needs, err := s.rights.NeedsOf(ctx, id)
	if err != nil {
		return templates.EraseView{}, err
	}
	drafts, err := s.drafts.ForAccount(ctx, id)
	if err != nil {
		return templates.EraseView{}, err
	}
	return templates.EraseView{HasContact: acct.Email != "" || acct.Phone != "" || acct.PreferredChannel != "",
		Drafts: len(drafts), Cases: needs.Cases, Bookings: needs.Bookings, AccountFree: !needs.Needed()}, nil
}
