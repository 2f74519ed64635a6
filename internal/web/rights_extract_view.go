package web

import (
	"context"
	"strings"
	"time"

	"github.com/minasidor/minasidor/internal/extract"
	"github.com/minasidor/minasidor/internal/i18n"
	"github.com/minasidor/minasidor/internal/personnummer"
	"github.com/minasidor/minasidor/templates"
)

// extractSections is the extract as people read it, part by part, for its page and its PDF.
func extractSections(ctx context.Context, d extract.Document) []templates.ExtractSection {
	t := func(key string, args ...any) string { return i18n.T(ctx, key, args...) }
	when := func(at *time.Time) string {
		if at == nil {
			return ""
		}
		return i18n.DateTime(*at)
	}
	row := func(label string, values ...string) templates.ReviewItem {
		var vs []string
		for _, v := range values {
			if v != "" {
				vs = append(vs, v)
			}
		}
		if len(vs) == 0 {
			vs = []string{t("rights.extract.none")}
		}
		return templates.ReviewItem{Label: label, Values: vs}
	}
	yesNo := func(b bool) string {
		if b {
			return t("form.yes")
		}
		return t("form.no")
	}

	p := d.Person
	pnr := p.PersonalNumber
	if n, err := personnummer.Parse(pnr); err == nil {
		pnr = n.Formatted()
	}
	account := templates.ReviewStep{Title: t("rights.extract.account"), Items: []templates.ReviewItem{
		row(t("profile.name"), p.DisplayName),
		row(t("rights.extract.givenName"), p.GivenName),
		row(t("rights.extract.surname"), p.Surname),
		row(t("profile.pnr"), pnr),
		row(t("rights.extract.protected"), yesNo(p.ProtectedIdentity)),
	}}
	if a := p.Address; a != nil {
		lines := []string{a.Street}
		if a.CareOf != "" {
			lines = append([]string{"c/o " + a.CareOf}, lines...)
		}
		account.Items = append(account.Items, row(t("profile.address"), append(lines, a.PostalCode+" "+a.City)...),
			row(t("rights.extract.addressFetched"), when(p.AddressFetchedAt)))
	} else {
		account.Items = append(account.Items, row(t("profile.address")))
	}
	account.Items = append(account.Items,
		row(t("profile.created"), i18n.DateTime(p.CreatedAt)),
		row(t("rights.extract.lastLogin"), when(p.LastLoginAt)),
		row(t("profile.previous"), when(p.PreviousLoginAt)),
		row(t("rights.extract.language"), t("rights.extract.language."+p.Language)))
	c := d.Contact
	confirmed := func(v string, at *time.Time) []string {
		if v == "" {
			return nil
		}
		if at == nil {
			return []string{v, t("rights.extract.unconfirmed")}
		}
		return []string{v, t("rights.extract.confirmedAt", i18n.DateTime(*at))}
	}
	channel := ""
	if c.PreferredChannel != "" {
		channel = t("profile.channel." + c.PreferredChannel)
	}
	contact := templates.ReviewStep{Title: t("profile.contact.heading"), Items: []templates.ReviewItem{
		row(t("profile.email"), confirmed(c.Email, c.EmailConfirmedAt)...),
		row(t("profile.phone"), confirmed(c.Phone, c.PhoneConfirmedAt)...),
		row(t("profile.channel"), channel),
	}}
	sections := []templates.ExtractSection{{ID: "account", Heading: t("rights.extract.account"), Groups: []templates.ReviewStep{account, contact}}}

	privacy := func(e extract.EService) []templates.ReviewItem {
		pv := e.Privacy
		var out []templates.ReviewItem
		for _, f := range [][2]string{{"privacy.data", pv.Data}, {"privacy.purpose", pv.Purpose}, {"privacy.legal_basis", pv.LegalBasis},
			{"privacy.controller", pv.Controller}, {"rights.privacy.sources", pv.Sources}, {"privacy.retention", pv.Retention}} {
			if f[1] != "" {
				out = append(out, row(t(f[0]), f[1]))
			}
		}
		return out
	}
	answers := func(a extract.Answers) []templates.ReviewItem {
		var out []templates.ReviewItem
		for _, st := range a.Shown {
			for _, it := range st.Items {
				out = append(out, row(st.Title+": "+it.Label, it.Values...))
			}
		}
		return out
	}
	files := func(fs []extract.File) []string {
		var out []string
		for _, f := range fs {
			out = append(out, f.Name+" ("+byteSize(f.Size)+")")
		}
		return out
	}

	drafts := templates.ExtractSection{ID: "drafts", Heading: t("rights.extract.drafts"), Lead: t("rights.extract.drafts.lead"), Empty: t("rights.extract.drafts.none")}
	for _, dr := range d.Drafts {
		g := templates.ReviewStep{Title: t("rights.extract.draft", dr.EService.Title, dr.EService.Municipality), Items: []templates.ReviewItem{
			row(t("rights.extract.started"), i18n.DateTime(dr.CreatedAt)),
			row(t("rights.extract.saved"), i18n.DateTime(dr.UpdatedAt)),
		}}
		if dr.Supplements != "" {
			g.Items = append(g.Items, row(t("rights.extract.supplements"), dr.Supplements))
		}
		g.Items = append(g.Items, answers(dr.Answers)...)
		if len(dr.Files) > 0 {
			g.Items = append(g.Items, row(t("case.files"), files(dr.Files)...))
		}
		g.Items = append(g.Items, privacy(dr.EService)...)
		drafts.Groups = append(drafts.Groups, g)
	}

	cases := templates.ExtractSection{ID: "cases", Heading: t("rights.extract.cases"), Lead: t("rights.extract.cases.lead"), Empty: t("rights.extract.cases.none")}
	for _, k := range d.Cases {
		status := k.StatusLabel
		if status == "" {
			status = t("status." + k.Status)
		}
		g := templates.ReviewStep{Title: t("rights.extract.case", k.Reference, k.EService.Title), Items: []templates.ReviewItem{
			row(t("receipt.municipality"), k.EService.Municipality),
			row(t("receipt.submitted"), i18n.DateTime(k.SubmittedAt)),
			row(t("cases.status"), status),
		}}
		if k.ClosedAt != nil {
			g.Items = append(g.Items, row(t("rights.extract.closed"), when(k.ClosedAt)), row(t("handle.decision"), k.Decision))
		}
		if k.RemovedFromAccount != nil {
			g.Items = append(g.Items, row(t("rights.extract.removed"), when(k.RemovedFromAccount)))
		} else if k.LeavesMinaSidorAt != nil {
			g.Items = append(g.Items, row(t("rights.case.leaves"), k.LeavesMinaSidorAt.In(i18n.Stockholm).Format("2006-01-02")))
		}
		g.Items = append(g.Items, answers(k.Answers)...)
		if len(k.Files) > 0 {
			g.Items = append(g.Items, row(t("case.files"), files(k.Files)...))
		}
		if len(k.Revisions) > 1 {
			g.Items = append(g.Items, row(t("rights.extract.revisions"), t("rights.extract.revisions.count", len(k.Revisions))))
		}
		for _, sg := range k.Signatures {
			g.Items = append(g.Items, row(t("rights.extract.signedBy", i18n.DateTime(sg.SignedAt)), sg.Name, t("rights.extract.role."+sg.Role)))
		}
		for _, sr := range k.Supplements {
			g.Items = append(g.Items, row(t("rights.extract.supplement", i18n.DateTime(sr.RequestedAt)), sr.Request))
		}
		g.Items = append(g.Items, privacy(k.EService)...)
		cases.Groups = append(cases.Groups, g)
		if len(k.Messages) > 0 {
			mg := templates.ReviewStep{Title: t("rights.extract.messages", k.Reference)}
			for _, m := range k.Messages {
				who := m.Author
				if m.From == "citizen" {
					who = t("case.message.me")
				}
				mg.Items = append(mg.Items, row(i18n.DateTime(m.At)+" "+who, append(strings.Split(m.Body, "\n"), files(m.Files)...)...))
			}
			cases.Groups = append(cases.Groups, mg)
		}
		rg := templates.ReviewStep{Title: t("rights.extract.readers", k.Reference)}
		for _, rd := range k.ReadBy {
			who := rd.Name
			if rd.Unit != "" {
				who += ", " + rd.Unit
			}
			rg.Items = append(rg.Items, row(i18n.DateTime(rd.At), who, t("rights.extract.read."+rd.What)))
		}
		if len(rg.Items) == 0 {
			rg.Items = append(rg.Items, row(t("case.readers"), t("case.readers.none")))
		}
		cases.Groups = append(cases.Groups, rg)
		eg := templates.ReviewStep{Title: t("rights.extract.events", k.Reference)}
		for _, ev := range k.Events {
			what := t("event." + ev.Kind)
			if ev.Status != "" {
				what = t("event.status.to", t("status."+ev.Status))
			}
			eg.Items = append(eg.Items, row(i18n.DateTime(ev.At), what))
		}
		if len(eg.Items) > 0 {
			cases.Groups = append(cases.Groups, eg)
		}
	}

	consents := templates.ExtractSection{ID: "consents", Heading: t("rights.extract.consents"), Lead: t("rights.extract.consents.lead"), Empty: t("rights.extract.consents.none")}
	if len(d.Consents) > 0 {
		g := templates.ReviewStep{Title: t("rights.extract.consents")}
		for _, k := range d.Consents {
			state := t("rights.extract.consent.given", i18n.DateTime(k.GivenAt))
			withdrawn := ""
			if k.WithdrawnAt != nil {
				withdrawn = t("rights.extract.consent.withdrawn", i18n.DateTime(*k.WithdrawnAt), k.WithdrawnWith)
			}
			g.Items = append(g.Items, row(k.Reference+" "+k.EService, state, withdrawn))
		}
		consents.Groups = []templates.ReviewStep{g}
	}

	bookings := templates.ExtractSection{ID: "bookings", Heading: t("rights.extract.bookings"), Empty: t("rights.extract.bookings.none")}
	if len(d.Bookings) > 0 {
		g := templates.ReviewStep{Title: t("rights.extract.bookings")}
		for _, b := range d.Bookings {
			state := t("rights.extract.booking."+b.State, i18n.DateTime(b.BookedAt))
			g.Items = append(g.Items, row(i18n.DateTime(b.StartsAt)+" "+b.Resource, b.Municipality, b.Place, state, b.CancelNote))
		}
		bookings.Groups = []templates.ReviewStep{g}
	}

	notices := templates.ExtractSection{ID: "notices", Heading: t("rights.extract.notices"), Lead: t("rights.extract.notices.lead"), Empty: t("rights.extract.notices.none")}
	if len(d.Notices) > 0 {
		g := templates.ReviewStep{Title: t("rights.extract.notices")}
		for _, n := range d.Notices {
			how := t("rights.extract.notice.waiting")
			switch {
			case n.Channel == "email" || n.Channel == "sms":
				how = t("rights.extract.notice.sent."+n.Channel, when(n.SentAt))
			case n.Channel == "none":
				how = t("rights.extract.notice.skipped")
			}
			g.Items = append(g.Items, row(i18n.DateTime(n.CreatedAt), t("rights.extract.notice."+n.Kind), strings.TrimSpace(n.Reference+" "+n.EService), how))
		}
		notices.Groups = []templates.ReviewStep{g}
	}

	security := templates.ExtractSection{ID: "security", Heading: t("rights.extract.security"), Lead: t("rights.extract.security.lead"), Empty: t("rights.extract.security.none")}
	if len(d.Security) > 0 {
		g := templates.ReviewStep{Title: t("rights.extract.security")}
		for _, e := range d.Security {
			g.Items = append(g.Items, row(i18n.DateTime(e.At), t("rights.security."+e.Kind), e.ClientAddr))
		}
		security.Groups = []templates.ReviewStep{g}
	}

	requests := templates.ExtractSection{ID: "requests", Heading: t("rights.extract.requests")}
	g := templates.ReviewStep{Title: t("rights.extract.requests")}
	for _, x := range d.Requests {
		g.Items = append(g.Items, row(i18n.DateTime(x.RequestedAt), t("rights.extract.state."+x.State)))
	}
	requests.Groups = []templates.ReviewStep{g}

	public := templates.ExtractSection{ID: "public", Heading: t("rights.extract.public"), Empty: t("rights.extract.public.none")}
	if len(d.Public) > 0 {
		g := templates.ReviewStep{Title: t("rights.extract.public")}
		for _, x := range d.Public {
			g.Items = append(g.Items, row(x.Reference+" "+x.Municipality, i18n.DateTime(x.CreatedAt), t("public.state.requester."+x.State),
				x.AskedReferences, x.Subject))
		}
		public.Groups = []templates.ReviewStep{g}
	}

	signed := templates.ExtractSection{ID: "signatures", Heading: t("rights.extract.signatures"), Empty: t("rights.extract.signatures.none")}
	if len(d.Signed) > 0 {
		g := templates.ReviewStep{Title: t("rights.extract.signatures")}
		for _, sg := range d.Signed {
			g.Items = append(g.Items, row(i18n.DateTime(sg.SignedAt), strings.TrimSpace(sg.Reference+" "+sg.EService), t("rights.extract.role."+sg.Role)))
		}
		signed.Groups = []templates.ReviewStep{g}
	}

	return append(sections, drafts, cases, consents, signed, bookings, public, notices, security, requests)
}
