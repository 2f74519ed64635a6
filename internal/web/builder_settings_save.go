package web

import (
	"errors"
	"net/http"
	"strconv"
	"strings"

	"github.com/minasidor/minasidor/internal/apperr"
	"github.com/minasidor/minasidor/internal/eservice"
	"github.com/minasidor/minasidor/internal/form"
	"github.com/minasidor/minasidor/templates"
)

// builderSettingsSave stores the settings of an e-service; a refused form comes back with what
// was typed and a message at each input concerned.
func (s *Server) builderSettingsSave(w http.ResponseWriter, r *http.Request) error {
	ctx := r.Context()
	e, err := s.builderEService(r)
	if err != nil {
		return err
	}
	if err := r.ParseForm(); err != nil {
		return apperr.Wrap(apperr.Invalid, "", err)
	}
	f := r.PostForm
	text := func(name string) form.Text { return form.Text{"sv": f.Get(name + "_sv"), "en": f.Get(name + "_en")} }
	in := eservice.Settings{Title: text("title"), Description: text("description"), Slug: f.Get("slug"),
		Category: f.Get("category"), Audience: f["audience"], LoginRule: f.Get("login_rule"),
		AnonymousAllowed: f.Get("anonymous_allowed") == "yes", OnceOnly: f.Get("once_only"),
		OnceOnlyField: f.Get("once_only_field"), ExternalURL: f.Get("external_url"), RetentionDisposal: f.Get("retention_disposal")}
	for _, part := range eservice.PrivacyParts {
		*in.Privacy.Part(part) = text("privacy_" + part)
	}
	in.Privacy.Consent = f.Get("privacy_consent") == "yes"
	// A number that cannot be read is refused by the range check, with its message.
	if in.RetentionMonths, err = strconv.Atoi(strings.TrimSpace(f.Get("retention_months"))); err != nil {
		in.RetentionMonths = -1
	}
	err = s.eservices.UpdateSettings(ctx, staffFrom(ctx).Actor(), e.ID, in)
	var invalid apperr.FieldErrors
	if errors.As(err, &invalid) {
		v, verr := s.settingsView(r, e, f, invalid)
		if verr != nil {
			return verr
		}
		return s.render(w, r, http.StatusUnprocessableEntity, templates.ESSettingsPage(s.page(r, "esettings.page.settings", "eservice_admin"), v))
	}
	if err != nil {
		return err
	}
	builderDone(w, r, e.ID, "installningar", "settings")
	return nil
}
