package web

import (
	"strings"

	"github.com/minasidor/minasidor/internal/account"
	"github.com/minasidor/minasidor/internal/form"
	"github.com/minasidor/minasidor/internal/organisation"
)

// prefill fills a new draft from the logged-in person's account: every contact block, and the
// fields marked prefill (a short text marked prefill gets the name). A protected identity has no address to give, and none is filled in.
func prefill(def *form.Definition, a account.Account) form.Answers {
	answers := form.Answers{}
	set := func(name, value string) {
		if value != "" {
			answers[name] = []string{value}
		}
	}
	for _, st := range def.Steps {
		for _, f := range st.Fields {
			switch {
			case f.Type == form.Contact:
				set(f.Key+".name", a.DisplayName)
				set(f.Key+".email", a.Email)
				set(f.Key+".phone", a.Phone)
			case !f.Prefill:
			case f.Type == form.PersonalNumber:
				set(f.Key, a.PersonalNumber.Formatted())
			case f.Type == form.Email:
				set(f.Key, a.Email)
			case f.Type == form.Phone:
				set(f.Key, a.Phone)
			case f.Type == form.ShortText: // a text about the person is their name
				set(f.Key, a.DisplayName)
			case f.Type == form.Address && a.Address != nil && !a.Protected:
				set(f.Key+".street", a.Address.Street)
				set(f.Key+".care_of", a.Address.CareOf)
				set(f.Key+".postal_code", a.Address.PostalCode)
				set(f.Key+".city", a.Address.City)
			}
		}
	}
	return answers
}

// prefillOrganisation fills in, for a draft made for an organisation, its number in every
// organisation number field, and its name in a short text whose key names it (organisation_name,
// or one ending in _organisation_name).
func prefillOrganisation(def *form.Definition, answers form.Answers, o organisation.Organisation) {
	for _, st := range def.Steps {
		for _, f := range st.Fields {
			switch {
			case f.Type == form.OrgNumber:
				answers[f.Key] = []string{o.Formatted()}
			case f.Type == form.ShortText && (f.Key == "organisation_name" || strings.HasSuffix(f.Key, "_organisation_name")):
				answers[f.Key] = []string{o.Name}
			}
		}
	}
}
