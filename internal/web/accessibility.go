package web

import (
	"net/http"

	"github.com/minasidor/minasidor/templates"
)

// accessibility is the accessibility statement: the municipality's own text when it has one, and
// where to report problems.
func (s *Server) accessibility(w http.ResponseWriter, r *http.Request) error {
	p, settings := s.pageSettings(r, "a11y.title", "")
	v := templates.AccessibilityView{
		Statement: templates.Paragraphs(settings.Accessibility.In(p.Lang)),
		Contact:   p.Contact,
	}
	return s.render(w, r, http.StatusOK, templates.AccessibilityPage(p, v))
}
