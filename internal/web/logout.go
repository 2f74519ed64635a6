package web

import (
	"net/http"
	"net/url"

	"github.com/google/uuid"
	"github.com/minasidor/minasidor/internal/apperr"

	"github.com/minasidor/minasidor/templates"
)

// logout ends the session. The page's script posts it with orsak=inaktivitet when the idle
// time is up, so that the logged-out page follows the end of the server's session.
func (s *Server) logout(w http.ResponseWriter, r *http.Request) error {
	if err := r.ParseForm(); err != nil {
		return apperr.Wrap(apperr.Invalid, "", err)
	}
	if err := s.sessions.Destroy(r.Context()); err != nil {
		return err
	}
	next := "/utloggad"
	if r.PostForm.Get("orsak") == "inaktivitet" {
		next += "?orsak=inaktivitet&return=" + url.QueryEscape(safeReturnPath(r.PostForm.Get("return")))
	}
	http.Redirect(w, r, next, http.StatusSeeOther)
	return nil
}

// loggedOut confirms the logout, or explains that inactivity ended the session. Logging in again
// returns the user to the page they were on.
func (s *Server) loggedOut(w http.ResponseWriter, r *http.Request) error {
	q := r.URL.Query()
	if s.citizenID(r.Context()) != uuid.Nil || s.staffID(r) != uuid.Nil {
		// Not logged out: the page says so only once the server's session is gone.
		http.Redirect(w, r, safeReturnPath(q.Get("return")), http.StatusSeeOther)
		return nil
	}
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
