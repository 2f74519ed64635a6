package web

import (
	"net/http"

	"github.com/minasidor/minasidor/templates"
)

// myPages is the citizen's start page after login.
func (s *Server) myPages(w http.ResponseWriter, r *http.Request) error {
	return s.render(w, r, http.StatusOK, templates.MyPagesPage(s.page(r, "mypages.heading", "mypages")))
}
