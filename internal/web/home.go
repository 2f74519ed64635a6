package web

import (
	"net/http"

	"github.com/minasidor/minasidor/templates"
)

func (s *Server) home(w http.ResponseWriter, r *http.Request) error {
	return s.render(w, r, http.StatusOK, templates.StartPage(s.page(r, "start.title", "")))
}
