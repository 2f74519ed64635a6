package web

import (
	"context"
	"fmt"
	"net/url"

	"github.com/minasidor/minasidor/internal/apperr"
	"github.com/minasidor/minasidor/internal/eservice"
	"github.com/minasidor/minasidor/internal/i18n"
	"github.com/minasidor/minasidor/internal/signing"
	"github.com/minasidor/minasidor/templates"
)

// signingReview is the review page's part for an e-service that requires signatures: who must
// sign (from the registers now), the addresses for the co-signers' notices as posted (or as given
// before), and what became of a signing sent before. nil when the e-service requires none (its
// rule, read with the draft's files).
func (s *Server) signingReview(ctx context.Context, j journey, rule eservice.SigningRule, posted url.Values, errs apperr.FieldErrors) (*templates.SigningReview, error) {
	if j.CaseRef != "" || !j.Draft.Saved() {
		return nil, nil
	}
	if !rule.Required() {
		return nil, nil
	}
	rv, err := s.signing.ForApplicant(ctx, j.Draft.ID, s.citizenID(ctx), true)
	if err != nil {
		return nil, err
	}
	id := j.Draft.ID.String()
	v := &templates.SigningReview{
		Action: "/utkast/" + id + "/signera", ApplicantSigns: rule.Applicant, StatusURL: "/utkast/" + id + "/signering",
		Choose: rule.CoSigners == eservice.CoSignSignatory && len(rv.Plan.CoSigners) > 1,
	}
	if p := rv.Plan.Problem; p != nil {
		v.Problem = i18n.T(ctx, p.Key, p.Args...)
	}
	given := map[string]string{}
	if rv.Signing != nil {
		v.Sent = rv.Signing.State == signing.StateSent || rv.Signing.State == signing.StateReturned
		for _, p := range rv.Parties {
			given[p.PersonalNumber.String()] = p.Email
			v.Voided = v.Voided || p.Void(rv.Content.Hash)
		}
	}
	for i, c := range rv.Plan.CoSigners {
		name := fmt.Sprintf("email_%d", i+1)
		email := given[c.PersonalNumber.String()]
		if posted != nil {
			email = posted.Get(name)
		}
		cv := templates.SigningCoSigner{Name: nameOrRole(ctx, c.Name, c.Role), Role: i18n.T(ctx, "signing.role."+c.Role),
			EmailName: name, Email: email, EmailError: errText(ctx, errs.For(name)), Choice: fmt.Sprint(i + 1)}
		cv.Checked = posted != nil && posted.Get("cosigner") == cv.Choice
		v.CoSigners = append(v.CoSigners, cv)
	}
	if key := errs.For("cosigner"); key != "" {
		v.Problem = i18n.T(ctx, key)
	}
	return v, nil
}

// nameOrRole is a co-signer's name, or their role when the register gave none.
func nameOrRole(ctx context.Context, name, role string) string {
	if name != "" {
		return name
	}
	return i18n.T(ctx, "signing.unnamed."+role)
}

func errText(ctx context.Context, key string) string {
	if key == "" {
		return ""
	}
	return i18n.T(ctx, key)
}
