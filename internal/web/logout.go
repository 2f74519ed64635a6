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

// loggedOut confirms the logout, or explains that inactivity ended the session. Logging in again
// returns the user to the page they were on.
func (s *Server) loggedOut(w http.ResponseWriter, r *http.Request) error {
	q := r.URL.Query()
	timedOut := q.Get("orsak") == "inaktivitet"
	title := "logout.heading"
	if timedOut {
		title = "logout.timeout.heading"
	}
	ret := safeReturnPath(q.Get("return"))
	if ret == "/" {
		ret = "/mina-sidor"
	}
	return s.render(w, r, http.StatusOK, templates.LoggedOutPage(s.page(r, title, ""), timedOut, loginPath(ret)))
}
