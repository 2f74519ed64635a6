package web

import (
	"context"
	"net/http"
	"net/url"
	"strings"

	"github.com/minasidor/minasidor/internal/disclosure"
	"github.com/minasidor/minasidor/internal/i18n"
	"github.com/minasidor/minasidor/templates"
)

// publicRequestStatus is a request as its requester sees it through the secret link: what was
// asked, whether it is answered, and the answer.
func (s *Server) publicRequestStatus(w http.ResponseWriter, r *http.Request) error {
	ctx := r.Context()
	t, _ := tenantFrom(ctx)
	key := r.URL.Query().Get("nyckel")
	st, err := s.disclosure.ForRequester(ctx, disclosure.Requester{TenantID: t.ID, Key: key})
	if err != nil {
		return err
	}
	q := "?nyckel=" + url.QueryEscape(key)
	v := requesterView(ctx, st, "/allmanna-handlingar/svar/handlingar.pdf"+q, func(id string) string {
		return "/allmanna-handlingar/svar/filer/" + id + q
	})
	v.Done = doneText(ctx, "public.done", r.URL.Query().Get("klart"))
	if v.Done != "" {
		v.Link = s.cfg.BaseURL.Scheme + "://" + r.Host + publicLinkPath(key)
	}
	w.Header().Set("Referrer-Policy", "no-referrer")
	p := s.page(r, "public.status.title", "")
	p.Path = "/allmanna-handlingar" // the language switch must not carry the key in a form
	return s.render(w, r, http.StatusOK, templates.PublicStatusPage(p, v))
}

// requesterView is the requester's page of a request, with the addresses of its answer.
func requesterView(ctx context.Context, st disclosure.Status, pdfURL string, fileURL func(id string) string) templates.PublicStatusView {
	lang := string(i18n.FromContext(ctx).Lang)
	v := templates.PublicStatusView{
		Reference: st.Reference, Received: i18n.DateTime(st.CreatedAt),
		State:    i18n.T(ctx, "public.state.requester."+st.State),
		Delivery: i18n.T(ctx, "public.delivery."+st.Delivery),
		Answered: st.State == disclosure.StateDecided,
	}
	v.Asked = askedFacts(ctx, st.Request, lang)
	if v.Answered {
		v.Outcome = i18n.T(ctx, "public.outcome."+st.Outcome)
		v.PDFURL = pdfURL
		for _, f := range st.Files {
			v.Files = append(v.Files, templates.FileView{ID: f.ID.String(), Name: f.Name, Size: byteSize(f.Size), URL: fileURL(f.ID.String())})
		}
	}
	return v
}

// askedFacts say what the request asks for.
func askedFacts(ctx context.Context, q disclosure.Request, lang string) []templates.Fact {
	var out []templates.Fact
	if len(q.AskedRefs) > 0 {
		out = append(out, templates.Fact{Label: i18n.T(ctx, "public.ask.references"), Text: strings.Join(q.AskedRefs, "\n")})
	}
	if q.EServiceID != nil {
		out = append(out, templates.Fact{Label: i18n.T(ctx, "public.ask.eservice"), Text: q.EService.In(lang)})
	}
	if q.From != nil || q.To != nil {
		from, to := "", ""
		if q.From != nil {
			from = q.From.Format("2006-01-02")
		}
		if q.To != nil {
			to = q.To.Format("2006-01-02")
		}
		out = append(out, templates.Fact{Label: i18n.T(ctx, "public.status.period"), Text: strings.TrimSpace(from + " – " + to)})
	}
	if q.Subject != "" {
		out = append(out, templates.Fact{Label: i18n.T(ctx, "public.ask.subject"), Text: q.Subject})
	}
	return out
}
