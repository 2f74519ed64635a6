package web

import (
	"context"

	"github.com/minasidor/minasidor/internal/eservice"
	"github.com/minasidor/minasidor/internal/i18n"
	"github.com/minasidor/minasidor/templates"
)

// privacyFacts is an e-service's privacy notice as the e-service's page, the receipt and the
// register extract show it: what is collected and why, the legal basis, the controller (the
// municipal board responsible), what is fetched from other registers, and for how long it is kept.
func privacyFacts(ctx context.Context, p eservice.Privacy) []templates.Fact {
	l := lang(ctx)
	var out []templates.Fact
	for _, f := range []struct {
		key  string
		text string
	}{
		{"privacy.data", p.Data.In(l)},
		{"privacy.purpose", p.Purpose.In(l)},
		{"privacy.legal_basis", p.LegalBasis.In(l)},
		{"privacy.controller", p.Controller.In(l)},
		{"rights.privacy.sources", p.Sources.In(l)},
		{"privacy.retention", p.Retention.In(l)},
	} {
		if f.text != "" {
			out = append(out, templates.Fact{Label: i18n.T(ctx, f.key), Text: f.text})
		}
	}
	if p.Consent {
		out = append(out, templates.Fact{Label: i18n.T(ctx, "rights.privacy.consent"), Text: i18n.T(ctx, "rights.privacy.consent.text")})
	}
	return out
}
