package web

import (
	"net/http"
	"net/url"
	"strconv"

	"github.com/minasidor/minasidor/internal/apperr"
	"github.com/minasidor/minasidor/internal/eservice"
	"github.com/minasidor/minasidor/internal/form"
	"github.com/minasidor/minasidor/internal/i18n"
	"github.com/minasidor/minasidor/templates"
)

// builderSigning is the e-service's signing page: whether the applicant signs with e-ID, which
// co-signers must sign (the child's other guardians, the person a field names, another signatory
// of the company), the field that names the child or the person, and the days to a reminder and
// to the deadline; and whether a caseworker checks the representation of an association a case
// is made for.
func (s *Server) builderSigning(w http.ResponseWriter, r *http.Request) error {
	e, err := s.builderEService(r)
	if err != nil {
		return err
	}
	rule, working, err := s.eservices.SigningSetup(r.Context(), e.ID)
	if err != nil {
		return err
	}
	if !rule.Required() {
		check := rule.AssociationCheck
		rule = eservice.DefaultSigningRule
		rule.AssociationCheck = check
	}
	f := url.Values{"cosigners": {rule.CoSigners}, "field": {rule.Field},
		"remind_days": {strconv.Itoa(rule.RemindDays)}, "deadline_days": {strconv.Itoa(rule.DeadlineDays)}}
	if rule.Applicant {
		f.Set("applicant", "yes")
	}
	if rule.AssociationCheck {
		f.Set("association_check", "yes")
	}
	v := s.signingRuleView(r, e, working, f, nil)
	return s.render(w, r, http.StatusOK, templates.ESSigningPage(s.page(r, "esigning.heading", "eservice_admin"), v))
}

// signingRuleView is the signing page with the form's inputs f, as stored or as posted.
func (s *Server) signingRuleView(r *http.Request, e eservice.Listed, working eservice.Version, f url.Values, errs apperr.FieldErrors) templates.ESSigningView {
	ctx := r.Context()
	h := s.builderHead(r, e)
	v := templates.ESSigningView{Head: h, Errors: fieldMessages(ctx, errs), Applicant: f.Get("applicant") == "yes",
		CoSigners: f.Get("cosigners"), Field: f.Get("field"), Remind: f.Get("remind_days"), Deadline: f.Get("deadline_days"),
		AssociationCheck: f.Get("association_check") == "yes"}
	for _, rule := range eservice.CoSignRules {
		v.Rules = append(v.Rules, templates.Choice{Value: rule, Label: i18n.T(ctx, "esigning.rule."+rule)})
	}
	v.Fields = []templates.Choice{{Value: "", Label: i18n.T(ctx, "esigning.field.none")}}
	found := v.Field == ""
	for _, st := range working.Definition.Steps {
		for _, fd := range st.Fields {
			if fd.Type != form.PersonalNumber {
				continue
			}
			label := fd.Label.In(lang(ctx))
			if label == "" {
				label = fd.Key
			}
			v.Fields = append(v.Fields, templates.Choice{Value: fd.Key, Label: label})
			found = found || fd.Key == v.Field
		}
	}
	if !found { // a field the form no longer has: shown, so that the admin sees what is set
		v.Fields = append(v.Fields, templates.Choice{Value: v.Field, Label: v.Field})
	}
	return v
}
