package web

import (
	"net/http"

	"github.com/google/uuid"
	"github.com/minasidor/minasidor/internal/apperr"
	"github.com/minasidor/minasidor/internal/i18n"
)

// languageSet stores the chosen language in a cookie and returns to the page the user was on.
// It is a plain form post, so it works without JavaScript.
func (s *Server) languageSet(w http.ResponseWriter, r *http.Request) error {
	if err := r.ParseForm(); err != nil {
		return apperr.Wrap(apperr.Invalid, "", err)
	}
	lang, ok := i18n.Parse(r.PostForm.Get("lang"))
	if !ok {
		return apperr.New(apperr.Invalid, "error.lang.invalid")
	}
	http.SetCookie(w, &http.Cookie{
		Name:     LangCookie,
		Value:    string(lang),
		Path:     "/",
		MaxAge:   365 * 24 * 60 * 60,
		HttpOnly: true,
		Secure:   s.cfg.IsProduction(),
		SameSite: http.SameSiteLaxMode,
	})
	// A logged-in citizen gets their notices in the language they chose.
	if id := s.citizenID(r.Context()); id != uuid.Nil {
		if err := s.accounts.SetLanguage(r.Context(), id, string(lang)); err != nil {
			return err
		}
	}
	http.Redirect(w, r, safeReturnPath(r.PostForm.Get("return")), http.StatusSeeOther)
	return nil
}
