package web

import (
	"net/http"

	"github.com/minasidor/minasidor/internal/apperr"
	"github.com/minasidor/minasidor/internal/auth/devidp"
	"github.com/minasidor/minasidor/internal/population"
	"github.com/minasidor/minasidor/internal/staff"
	"github.com/minasidor/minasidor/templates"
)

// devIdPPick shows the development IdP's page: pick a test person to log in as.
func (s *Server) devIdPPick(w http.ResponseWriter, r *http.Request) error {
	q := r.URL.Query()
	req, err := s.devIdP.Parse(r, q.Get("SAMLRequest"), q.Get("RelayState"))
	if err != nil {
		return apperr.Wrap(apperr.Invalid, "error.devidp.request", err)
	}
	view := templates.DevIdPView{SAMLRequest: req.SAMLRequest, RelayState: req.RelayState, SP: req.SP, SignMessage: req.SignMessage}
	if s.forStaff(req) {
		slug, err := s.devIdPMunicipality(r, req.RelayState)
		if err != nil {
			return err
		}
		for _, m := range staff.TestStaff {
			if m.Municipality == slug {
				view.Persons = append(view.Persons, templates.DevIdPPerson{Key: m.Key, Name: m.Name, PersonalNumber: m.EmployeeID, Description: m.Description})
			}
		}
	} else {
		for _, p := range population.TestPersons {
			if p.Selectable {
				view.Persons = append(view.Persons, templates.DevIdPPerson{
					Key: p.Key, Name: p.Person.FullName(), PersonalNumber: p.Person.PersonalNumber.Formatted(), Description: p.Description,
				})
			}
		}
	}
	return s.render(w, r, http.StatusOK, templates.DevIdPPage(s.page(r, "devidp.heading", ""), view))
}

// devIdPRespond logs the picked person in, or cancels, and posts the answer to the SP.
func (s *Server) devIdPRespond(w http.ResponseWriter, r *http.Request) error {
	if err := r.ParseForm(); err != nil {
		return apperr.Wrap(apperr.Invalid, "", err)
	}
	req, err := s.devIdP.Parse(r, r.PostForm.Get("SAMLRequest"), r.PostForm.Get("RelayState"))
	if err != nil {
		return apperr.Wrap(apperr.Invalid, "error.devidp.request", err)
	}
	var form devidp.Form
	if r.PostForm.Has("cancel") {
		form, err = s.devIdP.Cancel(req)
	} else if s.forStaff(req) {
		m, ok := staff.FindTestMember(r.PostForm.Get("person"))
		if !ok {
			return apperr.New(apperr.Invalid, "error.devidp.person")
		}
		form, err = s.devIdP.RespondStaff(req, m, devidp.Options{})
	} else {
		person, ok := population.FindTestPerson(r.PostForm.Get("person"))
		if !ok || !person.Selectable {
			return apperr.New(apperr.Invalid, "error.devidp.person")
		}
		form, err = s.devIdP.Respond(req, person, devidp.Options{})
	}
	if err != nil {
		return err
	}
	view := templates.SAMLPostView{URL: form.URL, SAMLResponse: form.SAMLResponse, RelayState: form.RelayState}
	return s.render(w, r, http.StatusOK, templates.SAMLPostPage(s.page(r, "samlpost.heading", ""), view))
}

// devIdPMetadata publishes the development IdP's metadata.
func (s *Server) devIdPMetadata(w http.ResponseWriter, r *http.Request) error {
	md, err := s.devIdP.MetadataXML()
	if err != nil {
		return err
	}
	w.Header().Set("Content-Type", "application/samlmetadata+xml")
	_, err = w.Write(md)
	return err
}

// forStaff reports whether a request to the development IdP comes from the staff login.
func (s *Server) forStaff(req *devidp.Request) bool {
	return req.SP == s.cfg.BaseURL.JoinPath(staffPrefix, "saml", "metadata").String()
}

// devIdPMunicipality is the municipality whose staff the development IdP offers: the one the
// pending login started for (the IdP page is on the installation's host, whichever municipality's
// host the login started on), or the host's own.
func (s *Server) devIdPMunicipality(r *http.Request, handle string) (string, error) {
	t, _ := tenantFrom(r.Context())
	id, err := s.logins.PendingTenant(r.Context(), handle)
	if err != nil || id == t.ID {
		return t.Slug, nil
	}
	all, err := s.tenants.All(r.Context())
	if err != nil {
		return "", err
	}
	for _, other := range all {
		if other.ID == id {
			return other.Slug, nil
		}
	}
	return t.Slug, nil
}
