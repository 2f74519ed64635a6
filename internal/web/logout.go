package web

import (
	"net/http"

	"github.com/minasidor/minasidor/templates"
)

// logout ends the session.
func (s *Server) logout(w http.ResponseWriter, r *http.Request) error {
	if err := s.sessions.Destroy(r.Context()); err != nil {
		return err
	}
	http.Redirect(w, r, "/utloggad", http.StatusSeeOther)
	return nil
}

// loggedOut confirms the logout, or explains that inactivity ended the session.
func (s *Server) loggedOut(w http.ResponseWriter, r *http.Request) error {
	timedOut := r.URL.Query().Get("orsak") == "inaktivitet"
	title := "logout.heading"
	if timedOut {
		title = "logout.timeout.heading"
	}
	return s.render(w, r, http.StatusOK, templates.LoggedOutPage(s.page(r, title, ""), timedOut))
}
