package web

import (
	"net/http"
	"slices"
	"strings"

	"github.com/minasidor/minasidor/internal/eservice"
	"github.com/minasidor/minasidor/templates"
)

// builderCaseworkers shows the e-service's caseworkers, who handle its cases: the municipality's
// caseworkers in person, and IdP groups.
func (s *Server) builderCaseworkers(w http.ResponseWriter, r *http.Request) error {
	e, err := s.builderEService(r)
	if err != nil {
		return err
	}
	v, err := s.caseworkersView(r, e, nil, nil)
	if err != nil {
		return err
	}
	return s.render(w, r, http.StatusOK, templates.ESCaseworkersPage(s.page(r, "esettings.page.caseworkers", "eservice_admin"), v))
}

// caseworkersView is the caseworkers page as stored, or, when checked is not nil, as posted: the
// checked caseworkers' ids and the groups as typed.
func (s *Server) caseworkersView(r *http.Request, e eservice.Listed, checked []string, groups *string) (templates.ESCaseworkersView, error) {
	h := s.builderHead(r, e)
	candidates, stored, err := s.eservices.Caseworkers(r.Context(), e.EService)
	if err != nil {
		return templates.ESCaseworkersView{}, err
	}
	v := templates.ESCaseworkersView{Head: h, Groups: strings.Join(stored, "\n")}
	if groups != nil {
		v.Groups = *groups
	}
	for _, c := range candidates {
		label := c.Name
		if c.Unit != "" {
			label += ", " + c.Unit
		}
		on := c.Handles
		if checked != nil {
			on = slices.Contains(checked, c.ID.String())
		}
		v.Caseworkers = append(v.Caseworkers, templates.OptionView{Value: c.ID.String(), Label: label, Checked: on})
	}
	return v, nil
}
