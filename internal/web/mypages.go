package web

import (
	"net/http"

	"github.com/minasidor/minasidor/internal/i18n"
	"github.com/minasidor/minasidor/templates"
)

// myPages is the citizen's overview: saved drafts, cases and unread messages from every
// municipality, and their details.
func (s *Server) myPages(w http.ResponseWriter, r *http.Request) error {
	ctx := r.Context()
	drafts, err := s.drafts.ForAccount(ctx, s.citizenID(ctx))
	if err != nil {
		return err
	}
	counts, err := s.cases.CountsFor(ctx, s.citizenID(ctx))
	if err != nil {
		return err
	}
	lang := string(i18n.FromContext(ctx).Lang)
	v := templates.MyPagesView{
		Deleted: r.URL.Query().Get("raderat") == "1",
		Ongoing: counts.Ongoing, Closed: counts.Closed, Unread: counts.Unread,
	}
	for _, d := range drafts {
		id := d.ID.String()
		v.Drafts = append(v.Drafts, templates.DraftItem{
			Title:        d.Title.In(lang),
			Municipality: d.Municipality,
			SavedAt:      i18n.DateTime(d.UpdatedAt),
			ResumeURL:    "/utkast/" + id + "/steg/" + d.CurrentStep,
			DeleteURL:    "/utkast/" + id + "/radera",
		})
	}
	return s.render(w, r, http.StatusOK, templates.MyPagesPage(s.page(r, "mypages.heading", "mypages"), v))
}
