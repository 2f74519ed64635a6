package web

import (
	"context"
	"net/http"

	"github.com/jackc/pgx/v5"
	"github.com/minasidor/minasidor/internal/draft"
	"github.com/minasidor/minasidor/internal/i18n"
	"github.com/minasidor/minasidor/internal/signing"
	"github.com/minasidor/minasidor/templates"
)

// myPages is the citizen's overview: saved drafts, cases and unread messages from every
// municipality, and their details.
func (s *Server) myPages(w http.ResponseWriter, r *http.Request) error {
	ctx := r.Context()
	id := s.citizenID(ctx)
	var toSign []signing.ToSign
	var awaiting []signing.Awaiting
	o, err := s.cases.Overview(ctx, id, func(b *pgx.Batch) {
		signing.QueueToSign(b, id, &toSign)
		signing.QueueAwaiting(b, id, &awaiting)
	})
	if err != nil {
		return err
	}
	v := templates.MyPagesView{
		Deleted: r.URL.Query().Get("raderat") == "1",
		Ongoing: o.Counts.Ongoing, Closed: o.Counts.Closed, Unread: o.Counts.Unread,
	}
	v.Drafts = draftItems(ctx, o.Drafts)
	v.Acting, v.ActingURL, v.ActingCases = s.orgName(ctx)
	l := lang(ctx)
	for _, t := range toSign {
		v.ToSign = append(v.ToSign, templates.ToSignItem{Title: t.EService.In(l), Municipality: t.Municipality, Applicant: t.Applicant,
			Deadline: i18n.DateTime(t.DeadlineAt), Signed: t.Signed, URL: "/signera/" + t.PartyID.String()})
	}
	for _, a := range awaiting {
		v.Awaiting = append(v.Awaiting, templates.AwaitingItem{Title: a.EService.In(l), Municipality: a.Municipality,
			State: i18n.T(ctx, "signing.state."+a.State), URL: "/utkast/" + a.DraftID.String() + "/signering"})
	}
	return s.render(w, r, http.StatusOK, templates.MyPagesPage(s.page(r, "mypages.heading", "mypages"), v))
}

// draftItems lists saved drafts as Mina sidor and Mina ärenden show them; a supplement names the
// case it supplements.
func draftItems(ctx context.Context, drafts []draft.Listed) []templates.DraftItem {
	lang := string(i18n.FromContext(ctx).Lang)
	var items []templates.DraftItem
	for _, d := range drafts {
		id := d.ID.String()
		title := d.Title.In(lang)
		if d.CaseRef != "" {
			title = i18n.T(ctx, "supplement.draft", d.CaseRef) + ": " + title
		}
		items = append(items, templates.DraftItem{
			Title:        title,
			Municipality: d.Municipality,
			StartedAt:    i18n.DateTime(d.CreatedAt),
			SavedAt:      i18n.DateTime(d.UpdatedAt),
			FirstAnswer:  d.FirstAnswer(lang),
			ResumeURL:    "/utkast/" + id + "/steg/" + d.CurrentStep,
			DeleteURL:    "/utkast/" + id + "/radera",
		})
	}
	return items
}
