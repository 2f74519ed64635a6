package web

import (
	"context"
	"errors"
	"net/http"
	"net/url"

	"github.com/go-chi/chi/v5"
	"github.com/google/uuid"
	"github.com/minasidor/minasidor/internal/apperr"
	"github.com/minasidor/minasidor/internal/i18n"
	"github.com/minasidor/minasidor/internal/staff"
	"github.com/minasidor/minasidor/templates"
)

// staffCaseID is the case named in the address; a malformed id is not found.
func staffCaseID(r *http.Request) (uuid.UUID, error) {
	id, err := uuid.Parse(chi.URLParam(r, "case"))
	if err != nil {
		return uuid.Nil, apperr.New(apperr.NotFound, "")
	}
	return id, nil
}

// staffCase is the caseworker's page of a case. Reading it is recorded in the audit log.
func (s *Server) staffCase(w http.ResponseWriter, r *http.Request) error {
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
	v.Done = doneText(ctx, "handle.done", r.URL.Query().Get("klart"))
	if id := r.URL.Query().Get("mall"); id != "" {
		for _, tpl := range d.Templates {
			if tpl.ID.String() == id {
				v.Template, v.MessageText = id, tpl.Body
			}
		}
	}
	return s.renderStaffCase(w, r, http.StatusOK, v)
}

func (s *Server) renderStaffCase(w http.ResponseWriter, r *http.Request, status int, v templates.StaffCaseView) error {
	p := s.page(r, "queue.heading", "staff")
	p.Title = i18n.T(r.Context(), "case.heading", v.Reference)
	return s.render(w, r, status, templates.StaffCasePage(p, v))
}

// staffCaseAction runs one action of a caseworker on a case (the domain call checks that they
// may see it), then returns to the case: with what was done, or, when the action was refused,
// with why, on the case's page read again (and so recorded) with the form as it was sent.
func (s *Server) staffCaseAction(w http.ResponseWriter, r *http.Request, done string, act func(ctx context.Context, m staff.Member, caseID uuid.UUID, form url.Values) error) error {
	ctx := r.Context()
	id, err := staffCaseID(r)
	if err != nil {
		return err
	}
	if err := r.ParseForm(); err != nil {
		return apperr.Wrap(apperr.Invalid, "", err)
	}
	m := staffFrom(ctx)
	err = act(ctx, m, id, r.PostForm)
	var refused *apperr.Error
	if errors.As(err, &refused) && (refused.Kind == apperr.Invalid || refused.Kind == apperr.Conflict) {
		d, err := s.cases.ForCaseworker(ctx, m, id)
		if err != nil {
			return err
		}
		v := s.staffCaseView(ctx, m, d)
		v.Error = i18n.T(ctx, refused.Key)
		keepForm(&v, done, r.PostForm)
		return s.renderStaffCase(w, r, http.StatusUnprocessableEntity, v)
	}
	if err != nil {
		return err
	}
	http.Redirect(w, r, staffPrefix+"/arenden/"+id.String()+"?klart="+done, http.StatusSeeOther)
	return nil
}

// keepForm puts what the caseworker sent back into the form of the action (done names it), so
// that nothing they typed is lost, and names the field the error summary leads to.
func keepForm(v *templates.StaffCaseView, action string, form url.Values) {
	text := form.Get("text")
	switch action {
	case "message":
		v.MessageText, v.ErrorField = text, "message-body"
	case "status":
		v.StatusText, v.ErrorField = text, "status"
	case "supplement":
		v.SupplementText, v.ErrorField = text, "supplement-request"
	case "note":
		v.NoteText, v.ErrorField = text, "note-body"
	case "close":
		v.DecisionText, v.ErrorField = text, "decision"
	case "assign":
		v.ErrorField = "assign-to"
	}
	// A case closed meanwhile has no form for a message, a status, a request or a decision: what
	// was typed is shown with the error instead.
	if v.Closed && action != "note" && action != "assign" {
		v.Unsent, v.ErrorField = text, ""
	}
}
