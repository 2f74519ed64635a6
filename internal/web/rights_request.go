package web

import (
	"net/http"

	"github.com/minasidor/minasidor/internal/apperr"
	"github.com/minasidor/minasidor/internal/i18n"
	"github.com/minasidor/minasidor/internal/rights"
	"github.com/minasidor/minasidor/templates"
)

// rightsRequest is the form of a request under the data protection regulation: rectification,
// erasure, restriction, objection or a withdrawn consent, to the municipality's data protection
// function. ?typ= chooses the kind beforehand, ?arende= the case.
func (s *Server) rightsRequest(w http.ResponseWriter, r *http.Request) error {
	q := r.URL.Query()
	return s.renderRightsRequest(w, r, http.StatusOK, rights.Request{Kind: q.Get("typ"), Case: q.Get("arende")}, nil)
}

// renderRightsRequest shows the form with what the citizen chose and typed, and its errors.
func (s *Server) renderRightsRequest(w http.ResponseWriter, r *http.Request, status int, in rights.Request, errs apperr.FieldErrors) error {
	ctx := r.Context()
	t, _ := tenantFrom(ctx)
	v := templates.RightsRequestView{Municipality: t.Name, Kind: in.Kind, Case: in.Case, Details: in.Details,
		Errors: fieldMessages(ctx, errs)}
	for _, k := range rights.Kinds {
		v.Kinds = append(v.Kinds, templates.Choice{Value: k, Label: i18n.T(ctx, "rights.kind."+k+".long")})
	}
	cases, err := s.rights.CasesOf(ctx, s.citizenID(ctx))
	if err != nil {
		return err
	}
	v.Cases = []templates.Choice{{Value: "", Label: i18n.T(ctx, "rights.request.case.none")}}
	found := in.Case == ""
	for _, c := range cases {
		v.Cases = append(v.Cases, templates.Choice{Value: c.Reference, Label: c.Reference + " " + c.Title.In(lang(ctx))})
		found = found || c.Reference == in.Case
	}
	if !found {
		v.Cases = append(v.Cases, templates.Choice{Value: in.Case, Label: in.Case})
	}
	p := s.page(r, "rights.request.page", "mypages")
	if len(errs) > 0 {
		p.Title = i18n.T(ctx, "form.errors.title", p.Title)
	}
	return s.render(w, r, status, templates.RightsRequestPage(p, v))
}
