package web

import (
	"errors"
	"net/http"
	"time"

	"github.com/go-chi/chi/v5"
	"github.com/google/uuid"
	"github.com/minasidor/minasidor/internal/apperr"
	"github.com/minasidor/minasidor/internal/casework"
	"github.com/minasidor/minasidor/internal/i18n"
	"github.com/minasidor/minasidor/templates"
)

// caseWithdrawForm asks the citizen to confirm that they withdraw their open case. A closed case
// has nothing to withdraw: its page.
func (s *Server) caseWithdrawForm(w http.ResponseWriter, r *http.Request) error {
	c, err := s.loadOwnCase(r)
	if err != nil {
		return err
	}
	if c.ClosedAt != nil {
		http.Redirect(w, r, "/arenden/"+c.ID.String(), http.StatusSeeOther)
		return nil
	}
	return s.renderWithdraw(w, r, c, http.StatusOK, "", "")
}

// caseWithdraw withdraws the citizen's case and returns to its page, which says so. A reason
// that is too long comes back with the form, as typed.
func (s *Server) caseWithdraw(w http.ResponseWriter, r *http.Request) error {
	if err := r.ParseForm(); err != nil {
		return apperr.Wrap(apperr.Invalid, "", err)
	}
	ctx := r.Context()
	id, err := uuid.Parse(chi.URLParam(r, "case"))
	if err != nil {
		return apperr.New(apperr.NotFound, "")
	}
	reason := r.PostForm.Get("reason")
	err = s.cases.Withdraw(ctx, s.citizenID(ctx), id, reason, time.Now())
	var fe apperr.FieldErrors
	if errors.As(err, &fe) {
		c, err := s.loadOwnCase(r)
		if err != nil {
			return err
		}
		return s.renderWithdraw(w, r, c, http.StatusUnprocessableEntity, reason, i18n.T(ctx, fe[0].Key))
	}
	if err != nil {
		return err
	}
	http.Redirect(w, r, "/arenden/"+id.String()+"?aterkallat=1", http.StatusSeeOther)
	return nil
}

// renderWithdraw shows the form to withdraw the citizen's case c, with the reason given and what
// was wrong with it.
func (s *Server) renderWithdraw(w http.ResponseWriter, r *http.Request, c casework.Case, status int, reason, problem string) error {
	ctx := r.Context()
	e, err := s.eservices.ByID(ctx, c.EServiceID)
	if err != nil {
		return err
	}
	base := "/arenden/" + c.ID.String()
	p := s.page(r, "cases.heading", "mypages")
	p.Title = i18n.T(ctx, "withdraw.heading", c.Reference)
	v := templates.CaseWithdrawView{Reference: c.Reference, EService: e.Title.In(string(i18n.FromContext(ctx).Lang)),
		CaseURL: base, Action: base + "/aterkalla", Reason: reason, Error: problem}
	return s.render(w, r, status, templates.CaseWithdrawPage(p, v))
}
