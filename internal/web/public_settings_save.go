package web

import (
	"errors"
	"net/http"

	"github.com/minasidor/minasidor/internal/apperr"
	"github.com/minasidor/minasidor/internal/disclosure"
	"github.com/minasidor/minasidor/templates"
)

// publicSettingsSave sets whether a second registrar must approve and the grounds of secrecy;
// grounds that cannot be read show the form again as typed.
func (s *Server) publicSettingsSave(w http.ResponseWriter, r *http.Request) error {
	ctx := r.Context()
	if err := r.ParseForm(); err != nil {
		return apperr.Wrap(apperr.Invalid, "", err)
	}
	set := disclosure.Settings{SecondRegistrar: r.PostForm.Get("second_registrar") == "yes"}
	grounds, err := disclosure.ParseGrounds(r.PostForm.Get("grounds"))
	if err == nil {
		set.Grounds = grounds
		err = s.disclosure.SaveSettings(ctx, staffFrom(ctx), set)
	}
	var invalid apperr.FieldErrors
	if errors.As(err, &invalid) {
		v := templates.PublicSettingsView{SecondRegistrar: set.SecondRegistrar, Grounds: r.PostForm.Get("grounds")}
		return s.renderPublicSettings(w, r, http.StatusUnprocessableEntity, v, invalid)
	}
	if err != nil {
		return err
	}
	http.Redirect(w, r, staffPrefix+"/admin/allmanna-handlingar?klart=settings", http.StatusSeeOther)
	return nil
}
