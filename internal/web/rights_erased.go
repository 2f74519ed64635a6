package web

import (
	"net/http"

	"github.com/minasidor/minasidor/templates"
)

// rightsErased confirms that the citizen's account is erased.
func (s *Server) rightsErased(w http.ResponseWriter, r *http.Request) error {
	return s.render(w, r, http.StatusOK, templates.AccountErasedPage(s.page(r, "rights.erased.heading", "")))
}
