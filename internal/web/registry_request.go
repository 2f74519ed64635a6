package web

import (
	"context"
	"net/http"
	"net/url"
	"strings"

	"github.com/go-chi/chi/v5"
	"github.com/google/uuid"
	"github.com/minasidor/minasidor/internal/apperr"
	"github.com/minasidor/minasidor/internal/disclosure"
	"github.com/minasidor/minasidor/internal/i18n"
	"github.com/minasidor/minasidor/templates"
)

// registryRequestID is the request named in the address; a malformed id is not found.
func registryRequestID(r *http.Request) (uuid.UUID, error) {
	id, err := uuid.Parse(chi.URLParam(r, "request"))
	if err != nil {
		return uuid.Nil, apperr.New(apperr.NotFound, "")
	}
	return id, nil
}

// registryRequest is a request as the registrar handles it: what was asked and how to deliver,
// the cases linked to it, a search among the municipality's cases (each search an audit
// record), the decision, and the request's log.
func (s *Server) registryRequest(w http.ResponseWriter, r *http.Request) error {
	v := registryForm{done: doneText(r.Context(), "public.done", r.URL.Query().Get("klart"))}
	return s.renderRegistryRequest(w, r, http.StatusOK, v)
}

// registryForm is what a page of a request shows besides the request: a confirmation, or the
// decision form as sent with its errors.
type registryForm struct {
	done, err string
	errs      apperr.FieldErrors
	form      url.Values
}

func (s *Server) renderRegistryRequest(w http.ResponseWriter, r *http.Request, status int, f registryForm) error {
	ctx := r.Context()
	id, err := registryRequestID(r)
	if err != nil {
		return err
	}
	m := staffFrom(ctx)
	h, err := s.disclosure.Handle(ctx, m, id)
	if err != nil {
		return err
	}
	lang := string(i18n.FromContext(ctx).Lang)
	q := h.Request
	base := staffPrefix + "/registratur/" + q.ID.String()
	v := templates.RegistryRequestView{
		Base: base, Reference: q.Reference, Done: f.done, Error: f.err, Errors: fieldMessages(ctx, f.errs),
		State: q.State, StateText: i18n.T(ctx, "public.state.registry."+q.State),
		SecondRegistrar: h.Settings.SecondRegistrar, AnswerURL: base + "/svar.pdf",
		CanApprove: q.State == disclosure.StateProposed && h.DecidedBy != m.ID,
	}
	v.Facts = append(v.Facts,
		templates.Fact{Label: i18n.T(ctx, "public.status.received"), Text: i18n.DateTime(q.CreatedAt)},
		templates.Fact{Label: i18n.T(ctx, "public.registry.waited"), Text: waitedText(ctx, s.now().Sub(q.CreatedAt))},
		templates.Fact{Label: i18n.T(ctx, "public.status.state"), Text: v.StateText})
	v.Facts = append(v.Facts, askedFacts(ctx, q, lang)...)
	v.Facts = append(v.Facts, templates.Fact{Label: i18n.T(ctx, "public.status.delivery"), Text: i18n.T(ctx, "public.delivery."+q.Delivery)})
	if q.Email != "" {
		v.Facts = append(v.Facts, templates.Fact{Label: i18n.T(ctx, "public.ask.email"), Text: q.Email})
	}
	if q.PostalAddress != "" {
		v.Facts = append(v.Facts, templates.Fact{Label: i18n.T(ctx, "public.ask.address"), Text: q.PostalAddress})
	}
	if q.State == disclosure.StateDecided {
		v.Outcome = i18n.T(ctx, "public.outcome."+q.Outcome)
		if q.Delivery == disclosure.DeliveryPost {
			v.PostTo = q.PostalAddress
		}
	}
	for _, d := range h.Documents {
		v.Documents = append(v.Documents, templates.RegistryDocument{
			ID: d.CaseID.String(), URL: base + "/handlingar/" + d.CaseID.String(), Reference: d.Reference,
			EService: d.EService.In(lang), Submitted: i18n.DateTime(d.SubmittedAt), Decided: d.Decided,
		})
	}
	for _, e := range h.EServices {
		v.EServices = append(v.EServices, templates.Choice{Value: e.ID.String(), Label: e.Title.In(lang)})
	}
	for _, g := range h.Settings.Grounds {
		v.Grounds = append(v.Grounds, templates.Choice{Value: g.Code, Label: g.Text()})
	}
	for i := len(h.Events) - 1; i >= 0; i-- {
		v.Events = append(v.Events, eventView(ctx, h.Events[i], false))
	}
	if f.form != nil {
		v.RefuseAll, v.RefuseGround, v.Reasoning = f.form.Get("avsla") == "yes", f.form.Get("avslag-grund"), f.form.Get("motivering")
	}

	// The search: as asked for until the registrar searches; the search itself only on a GET.
	sq := r.URL.Query()
	search := disclosure.Search{Reference: sq.Get("referens"), EServiceID: sq.Get("etjanst"), From: sq.Get("fran"), To: sq.Get("till"),
		Words: sq.Get("ord"), After: sq.Get("efter")}
	if sq.Get("sok") == "" {
		search = disclosure.Search{}
		if len(q.AskedRefs) > 0 {
			search.Reference = q.AskedRefs[0]
		}
		if q.EServiceID != nil {
			search.EServiceID = q.EServiceID.String()
		}
		if q.From != nil {
			search.From = q.From.Format("2006-01-02")
		}
		if q.To != nil {
			search.To = q.To.Format("2006-01-02")
		}
	} else if r.Method == http.MethodGet && q.State == disclosure.StateReceived {
		found, err := s.disclosure.SearchCases(ctx, m, id, search, 25)
		if apperr.KindOf(err) == apperr.Invalid {
			v.Error = i18n.T(ctx, "error.public.search")
		} else if err != nil {
			return err
		}
		v.Searched = true
		for _, c := range found.Cases {
			v.Found = append(v.Found, templates.RegistryFound{ID: c.CaseID.String(), Reference: c.Reference,
				EService: c.EService.In(lang), Submitted: i18n.DateTime(c.SubmittedAt), Linked: c.Linked})
		}
		if found.Next != "" {
			more := url.Values{}
			for k, vs := range sq {
				more[k] = vs
			}
			more.Set("efter", found.Next)
			v.MoreURL = base + "?" + more.Encode()
		}
	}
	v.Search = templates.RegistrySearch{Reference: search.Reference, EService: search.EServiceID, From: search.From, To: search.To, Words: search.Words}
	p := s.page(r, "public.registry.heading", "registry")
	p.Title = i18n.T(ctx, "public.registry.request.heading", q.Reference)
	return s.render(w, r, status, templates.RegistryRequestPage(p, v))
}

// eventView is a step of a request's log in words, naming the request when withRequest.
func eventView(ctx context.Context, e disclosure.Event, withRequest bool) templates.EventView {
	str := func(k string) string { s, _ := e.Detail[k].(string); return s }
	decision := func(d, ground string) string {
		t := i18n.T(ctx, "public.decision."+d)
		if ground != "" {
			t += " (" + ground + ")"
		}
		return t
	}
	part := i18n.T(ctx, "public.part."+str("part"))
	if str("part") == disclosure.PartAnswer {
		part += " " + str("key")
	}
	var what string
	switch e.Kind {
	case "received", "released":
		what = i18n.T(ctx, "public.event."+e.Kind, i18n.T(ctx, "public.delivery."+str("delivery")))
	case "linked", "unlinked":
		what = i18n.T(ctx, "public.event."+e.Kind, str("case"))
	case "part_decided":
		what = i18n.T(ctx, "public.event.part_decided", part, str("case"), decision(str("decision"), str("ground")))
	case "masked", "withheld":
		what = i18n.T(ctx, "public.event."+e.Kind, part, str("case"), str("ground"))
	case "decided":
		what = i18n.T(ctx, "public.event.decided", i18n.T(ctx, "public.outcome."+str("outcome")))
		if g := str("ground"); g != "" {
			what += " (" + g + ")"
		}
	default:
		what = i18n.T(ctx, "public.event."+e.Kind)
	}
	v := templates.EventView{When: i18n.DateTime(e.At), Who: e.StaffName, What: strings.TrimSpace(what)}
	if withRequest {
		v.Request = e.Reference
	}
	return v
}
