package web

import (
	"context"
	"net/http"
	"net/url"

	"github.com/go-chi/chi/v5"
	"github.com/google/uuid"
	"github.com/minasidor/minasidor/internal/apperr"
	"github.com/minasidor/minasidor/internal/disclosure"
	"github.com/minasidor/minasidor/internal/i18n"
	"github.com/minasidor/minasidor/templates"
)

// registryDocument is a case linked to a request as the registrar reviews it: each answer, file
// and message with what is decided on it. Reading it is recorded in the audit log.
func (s *Server) registryDocument(w http.ResponseWriter, r *http.Request) error {
	return s.renderRegistryDocument(w, r, http.StatusOK, nil, nil)
}

// renderRegistryDocument shows the review, with the decisions as posted and their errors.
func (s *Server) renderRegistryDocument(w http.ResponseWriter, r *http.Request, status int, posted url.Values, errs apperr.FieldErrors) error {
	ctx := r.Context()
	id, err := registryRequestID(r)
	if err != nil {
		return err
	}
	caseID, err := uuid.Parse(chi.URLParam(r, "case"))
	if err != nil {
		return apperr.New(apperr.NotFound, "")
	}
	lang := string(i18n.FromContext(ctx).Lang)
	d, err := s.disclosure.ReadDocument(ctx, staffFrom(ctx), id, caseID, lang)
	if err != nil {
		return err
	}
	back := staffPrefix + "/registratur/" + id.String()
	v := templates.RegistryDocumentView{
		Action: back + "/handlingar/" + caseID.String(), Back: back, Reference: d.Reference, Request: d.Request.Reference,
		EService: d.EService, Submitted: i18n.DateTime(d.SubmittedAt), Protected: d.Protected, Anonymous: d.Anonymous,
		Editable: d.Request.State == disclosure.StateReceived, Errors: fieldMessages(ctx, errs),
	}
	for _, g := range d.Settings.Grounds {
		v.Grounds = append(v.Grounds, templates.Choice{Value: g.Code, Label: g.Text()})
	}
	groups := map[string]int{}
	for _, part := range d.Parts {
		title := part.Group
		switch part.Kind {
		case disclosure.PartFile:
			title = i18n.T(ctx, "public.pdf.files")
		case disclosure.PartMessage:
			title = i18n.T(ctx, "public.pdf.messages")
		}
		gi, ok := groups[title]
		if !ok {
			gi = len(v.Groups)
			groups[title] = gi
			v.Groups = append(v.Groups, templates.DisclosureGroup{Title: title})
		}
		pv := partView(ctx, part)
		if posted != nil {
			pv.Decision, pv.Ground = posted.Get("beslut-"+part.ID()), posted.Get("grund-"+part.ID())
		}
		v.Groups[gi].Parts = append(v.Groups[gi].Parts, pv)
	}
	p := s.page(r, "public.registry.heading", "registry")
	p.Title = i18n.T(ctx, "public.registry.document.heading", d.Reference)
	return s.render(w, r, status, templates.RegistryDocumentPage(p, v))
}

// partView is a part with its choices in words.
func partView(ctx context.Context, part disclosure.Part) templates.DisclosurePart {
	label := part.Label
	if part.Kind == disclosure.PartMessage {
		label += ", " + i18n.DateTime(part.At)
	}
	pv := templates.DisclosurePart{ID: part.ID(), InputID: part.InputID(), Label: label, Values: part.Values,
		Decision: part.Decision, Ground: part.Ground, Default: part.Default}
	if part.Kind == disclosure.PartFile && part.FromUser {
		pv.Note = i18n.T(ctx, "public.registry.from.applicant")
	}
	for _, o := range part.Options() {
		pv.Options = append(pv.Options, templates.Choice{Value: o, Label: i18n.T(ctx, "public.decision."+o)})
	}
	pv.DecisionText = i18n.T(ctx, "public.decision."+part.Decision)
	if part.Ground != "" {
		pv.DecisionText += " (" + part.Ground + ")"
	}
	return pv
}
