package web

import (
	"context"
	"errors"
	"net/http"
	"net/url"

	"github.com/go-chi/chi/v5"
	"github.com/google/uuid"
	"github.com/minasidor/minasidor/internal/apperr"
	"github.com/minasidor/minasidor/internal/casework"
	"github.com/minasidor/minasidor/internal/i18n"
	"github.com/minasidor/minasidor/internal/organisation"
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

func (s *Server) staffCaseView(ctx context.Context, m staff.Member, d casework.CaseworkerDossier) templates.StaffCaseView {
	c := d.Case
	cv := s.caseView(ctx, d.Dossier, true) // answers, files, the whole timeline, the thread
	base := staffPrefix + "/arenden/" + c.ID.String()
	v := templates.StaffCaseView{
		Base: base, Reference: c.Reference, EService: cv.EService, Status: cv.Status, Closed: cv.Closed,
		Steps: cv.Steps, Timeline: cv.Timeline, Messages: cv.Messages,
	}
	for _, f := range cv.Files {
		f.URL = base + "/filer/" + f.ID
		v.Files = append(v.Files, f)
	}
	for i := range v.Messages {
		v.Messages[i].FromMe = !v.Messages[i].FromMe // the staff side: the caseworkers' messages are "mine"
		for j := range v.Messages[i].Files {
			v.Messages[i].Files[j].URL = base + "/filer/" + v.Messages[i].Files[j].ID
		}
	}
	v.Decision = cv.Decision
	v.Signatures = cv.Signatures
	lang := string(i18n.FromContext(ctx).Lang)
	for _, st := range d.Statuses {
		if st.Type == casework.StatusSubmitted || st.Type == casework.StatusInProgress {
			v.Statuses = append(v.Statuses, templates.Choice{Value: st.Key, Label: st.Label.In(lang)})
		}
	}
	v.StatusKey = c.StatusKey
	for _, tpl := range d.Templates {
		v.Templates = append(v.Templates, templates.Choice{Value: tpl.ID.String(), Label: tpl.Title})
	}
	h := d.Handling
	v.Flagged, v.AssignedToMe, v.Assignee = h.Flagged, h.AssigneeID == m.ID, h.AssigneeName
	if h.AssigneeID != uuid.Nil {
		v.AssigneeID = h.AssigneeID.String()
	}
	for _, cw := range d.Caseworkers {
		v.Caseworkers = append(v.Caseworkers, templates.Choice{Value: cw.ID.String(), Label: cw.Name})
	}
	if v.Assignee == "" {
		v.Assignee = i18n.T(ctx, "queue.nobody")
	}
	if acct := d.Applicant; acct != nil {
		v.Protected = acct.Protected
		v.Citizen = []templates.Fact{
			{Label: i18n.T(ctx, "profile.name"), Text: acct.DisplayName},
			{Label: i18n.T(ctx, "profile.pnr"), Text: acct.PersonalNumber.Formatted()},
		}
		if acct.Email != "" {
			v.Citizen = append(v.Citizen, templates.Fact{Label: i18n.T(ctx, "profile.email"), Text: acct.Email})
		}
		if acct.Phone != "" {
			v.Citizen = append(v.Citizen, templates.Fact{Label: i18n.T(ctx, "profile.phone"), Text: acct.Phone})
		}
	}
	if c.OrgNumber != "" {
		// The applicant acted for an organisation: who acted is the applicant above.
		key := "org.staff.company"
		if c.OrgKind == organisation.Association {
			key = "org.staff.association"
		}
		v.Citizen = append(v.Citizen, templates.Fact{Label: i18n.T(ctx, "org.staff.label"),
			Text: i18n.T(ctx, key, c.OrgName, organisation.FormatNumber(c.OrgNumber))})
	}
	for _, n := range d.Notes {
		v.Notes = append(v.Notes, templates.MessageView{Author: n.Author, When: i18n.DateTime(n.At), Body: n.Body})
	}
	return v
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
		v.MessageText = r.PostForm.Get("text")
		return s.renderStaffCase(w, r, http.StatusUnprocessableEntity, v)
	}
	if err != nil {
		return err
	}
	http.Redirect(w, r, staffPrefix+"/arenden/"+id.String()+"?klart="+done, http.StatusSeeOther)
	return nil
}
