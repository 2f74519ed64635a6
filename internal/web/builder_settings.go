package web

import (
	"net/http"
	"net/url"
	"slices"
	"strconv"

	"github.com/minasidor/minasidor/internal/apperr"
	"github.com/minasidor/minasidor/internal/eservice"
	"github.com/minasidor/minasidor/internal/form"
	"github.com/minasidor/minasidor/internal/i18n"
	"github.com/minasidor/minasidor/templates"
)

// builderSettings is the settings page of an e-service: names, address, catalogue, login,
// once-only rule, external address, privacy notice and retention.
func (s *Server) builderSettings(w http.ResponseWriter, r *http.Request) error {
	e, err := s.builderEService(r)
	if err != nil {
		return err
	}
	v, err := s.settingsView(r, e, settingsForm(eservice.SettingsOf(e.EService)), nil)
	if err != nil {
		return err
	}
	return s.render(w, r, http.StatusOK, templates.ESSettingsPage(s.page(r, "esettings.page.settings", "eservice_admin"), v))
}

// settingsForm is the settings as the form's inputs hold them.
func settingsForm(set eservice.Settings) url.Values {
	f := url.Values{}
	text := func(name string, t form.Text) {
		f.Set(name+"_sv", t["sv"])
		f.Set(name+"_en", t["en"])
	}
	text("title", set.Title)
	text("description", set.Description)
	for _, part := range eservice.PrivacyParts {
		text("privacy_"+part, *set.Privacy.Part(part))
	}
	f.Set("slug", set.Slug)
	f.Set("category", set.Category)
	f["audience"] = slices.Clone(set.Audience)
	f.Set("login_rule", set.LoginRule)
	if set.AnonymousAllowed {
		f.Set("anonymous_allowed", "yes")
	}
	f.Set("once_only", set.OnceOnly)
	f.Set("once_only_field", set.OnceOnlyField)
	f.Set("external_url", set.ExternalURL)
	if set.RetentionMonths > 0 {
		f.Set("retention_months", strconv.Itoa(set.RetentionMonths))
	}
	f.Set("retention_disposal", set.RetentionDisposal)
	if set.Privacy.Consent {
		f.Set("privacy_consent", "yes")
	}
	return f
}

// settingsView is the settings page with the form's inputs f, as stored or as posted.
func (s *Server) settingsView(r *http.Request, e eservice.Listed, f url.Values, errs apperr.FieldErrors) (templates.ESSettingsView, error) {
	ctx := r.Context()
	l := lang(ctx)
	h := s.builderHead(r, e)
	published, err := s.eservices.EverPublished(ctx, e.EService)
	if err != nil {
		return templates.ESSettingsView{}, err
	}
	working, _, err := s.eservices.Working(ctx, e.ID)
	if err != nil {
		return templates.ESSettingsView{}, err
	}
	v := templates.ESSettingsView{Head: h, Errors: fieldMessages(ctx, errs), Values: map[string]string{},
		Anonymous: f.Get("anonymous_allowed") == "yes", SlugLocked: published}
	for name := range f {
		v.Values[name] = f.Get(name)
	}
	for _, c := range eservice.Categories {
		v.Categories = append(v.Categories, templates.Choice{Value: c, Label: i18n.T(ctx, "category."+c)})
	}
	for _, a := range eservice.Audiences {
		v.Audiences = append(v.Audiences, templates.OptionView{Value: a, Label: i18n.T(ctx, "audience."+a), Checked: slices.Contains(f["audience"], a)})
	}
	for _, rule := range eservice.LoginRules {
		v.LoginRules = append(v.LoginRules, templates.Choice{Value: rule, Label: i18n.T(ctx, "esettings.login."+rule)})
	}
	for _, rule := range eservice.OnceOnlyRules {
		v.OnceRules = append(v.OnceRules, templates.Choice{Value: rule, Label: i18n.T(ctx, "esettings.once."+rule)})
	}
	v.OnceFields = []templates.Choice{{Value: "", Label: i18n.T(ctx, "esettings.settings.onceOnlyField.none")}}
	current := f.Get("once_only_field")
	found := current == ""
	for _, st := range working.Definition.Steps {
		for _, fd := range st.Fields {
			if fd.Type != form.PersonalNumber && fd.Type != form.Email {
				continue
			}
			label := fd.Label.In(l)
			if label == "" {
				label = fd.Key
			}
			v.OnceFields = append(v.OnceFields, templates.Choice{Value: fd.Key, Label: i18n.T(ctx, "esettings.fieldType."+string(fd.Type), label)})
			found = found || fd.Key == current
		}
	}
	if !found { // a field the form no longer has: shown, so that the admin sees what is set
		v.OnceFields = append(v.OnceFields, templates.Choice{Value: current, Label: current})
	}
	for _, part := range eservice.PrivacyParts {
		v.Privacy = append(v.Privacy, templates.ESPrivacyPart{Name: part, Label: i18n.T(ctx, "esettings.privacy."+part),
			Hint: i18n.T(ctx, "esettings.privacy."+part+".hint")})
	}
	for _, d := range eservice.Disposals {
		v.Disposals = append(v.Disposals, templates.Choice{Value: d, Label: i18n.T(ctx, "rights.esettings.disposal."+d)})
	}
	return v, nil
}
