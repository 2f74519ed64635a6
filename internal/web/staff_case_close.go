package web

import (
	"context"
	"net/http"
	"net/url"

	"github.com/google/uuid"
	"github.com/minasidor/minasidor/internal/apperr"
	"github.com/minasidor/minasidor/internal/casework"
	"github.com/minasidor/minasidor/internal/i18n"
	"github.com/minasidor/minasidor/internal/staff"
	"github.com/minasidor/minasidor/templates"
)

// staffCaseClose closes the case with a decision, in two steps that need no script: the first
// post (the decision alone) asks once more, on a page of its own that keeps the decision to
// check; the second (confirm=1) closes the case, and the citizen reads the decision and gets a
// notice. "back" from the question returns to the case page with the decision still in its
// field. Nothing the caseworker typed is lost on the way.
func (s *Server) staffCaseClose(w http.ResponseWriter, r *http.Request) error {
	if err := r.ParseForm(); err != nil {
		return apperr.Wrap(apperr.Invalid, "", err)
	}
	if r.PostForm.Get("confirm") == "1" {
		return s.staffCaseAction(w, r, "close", func(ctx context.Context, m staff.Member, caseID uuid.UUID, form url.Values) error {
			return s.cases.Close(ctx, m, caseID, form.Get("text"))
		})
	}
	ctx := r.Context()
	id, err := staffCaseID(r)
	if err != nil {
		return err
	}
	m := staffFrom(ctx)
	d, err := s.cases.ForCaseworker(ctx, m, id)
	if err != nil {
		return err
	}
	v := s.staffCaseView(ctx, m, d)
	keepForm(&v, "close", r.PostForm)
	switch {
	case r.PostForm.Get("back") == "1":
		v.ErrorField = ""
		return s.renderStaffCase(w, r, http.StatusOK, v)
	case v.Closed:
		v.Error = i18n.T(ctx, casework.ErrClosed.Key)
		return s.renderStaffCase(w, r, http.StatusConflict, v)
	}
	if err := casework.CheckDecision(v.DecisionText); err != nil {
		v.Error = i18n.T(ctx, casework.ErrDecisionEmpty.Key)
		return s.renderStaffCase(w, r, http.StatusUnprocessableEntity, v)
	}
	p := s.page(r, "queue.heading", "staff")
	p.Title = i18n.T(ctx, "casepage.close.confirm.title", v.Reference)
	return s.render(w, r, http.StatusOK, templates.StaffCaseClosePage(p, v))
}
