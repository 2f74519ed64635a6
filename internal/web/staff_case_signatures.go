package web

import (
	"net/http"
	"strings"

	"github.com/minasidor/minasidor/internal/i18n"
	"github.com/minasidor/minasidor/templates"
)

// staffCaseSignatures is the caseworker's page of a case's signatures: for each, who signed,
// when, the text the IdP showed, the content's hash, and the IdP's signed assertion as kept,
// checked again against the IdP's certificate. Reading it is recorded in the audit log.
func (s *Server) staffCaseSignatures(w http.ResponseWriter, r *http.Request) error {
	ctx := r.Context()
	id, err := staffCaseID(r)
	if err != nil {
		return err
	}
	kept, err := s.signing.ForCaseworker(ctx, staffFrom(ctx), id)
	if err != nil {
		return err
	}
	c, err := s.cases.Get(ctx, id)
	if err != nil {
		return err
	}
	v := templates.StaffSignaturesView{Reference: c.Reference, CaseURL: staffPrefix + "/arenden/" + id.String()}
	for _, k := range kept {
		item := templates.StaffSignature{
			Name: k.Name, PersonalNumber: k.PersonalNumber.Formatted(), Role: i18n.T(ctx, "signing.role."+k.Role),
			When: i18n.DateTime(k.SignedAt), Hash: strings.ToUpper(k.ContentHash), Message: k.Message,
			Issuer: k.Evidence.Issuer, LoA: k.Evidence.LoA, AssertionID: k.Evidence.AssertionID, Valid: k.Check.Valid,
			Problem: k.Check.Problem,
		}
		switch {
		case !k.Check.Valid:
			item.Result = i18n.T(ctx, "signatures.staff.invalid")
		case k.Check.Current:
			item.Result = i18n.T(ctx, "signatures.staff.valid")
		default:
			item.Result = i18n.T(ctx, "signatures.staff.validOld")
		}
		v.Items = append(v.Items, item)
	}
	p := s.page(r, "queue.heading", "staff")
	p.Title = i18n.T(ctx, "signatures.staff.heading", c.Reference)
	return s.render(w, r, http.StatusOK, templates.StaffSignaturesPage(p, v))
}
