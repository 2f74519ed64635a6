package web

import (
	"net/http"

	"github.com/minasidor/minasidor/internal/i18n"
	"github.com/minasidor/minasidor/templates"
)

// accessibility is the accessibility statement: the municipality's own text when it has one, and
// where to report problems.
func (s *Server) accessibility(w http.ResponseWriter, r *http.Request) error {
	p, settings := s.pageSettings(r, "a11y.title", "")
	ctx := r.Context()
	v := templates.AccessibilityView{
		Statement: templates.Paragraphs(settings.Accessibility.In(p.Lang)),
		Contact:   p.Contact,
		Known: []string{
			i18n.T(ctx, "a11y.known.pdf"),
			i18n.T(ctx, "a11y.known.timeout", i18n.Duration(ctx, s.cfg.SessionIdleTimeout)),
			i18n.T(ctx, "a11y.known.files"),
		},
	}
	return s.render(w, r, http.StatusOK, templates.AccessibilityPage(p, v))
}
