package web

import (
	"net/http"

	"github.com/minasidor/minasidor/templates"
)

func (s *Server) accessibility(w http.ResponseWriter, r *http.Request) error {
	return s.render(w, r, http.StatusOK, templates.AccessibilityPage(s.page(r, "a11y.title", "")))
}
