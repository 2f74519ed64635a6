package web

import (
	"context"

	"github.com/google/uuid"
	"github.com/minasidor/minasidor/internal/i18n"
	"github.com/minasidor/minasidor/templates"
)

// profileRights is the data rights part of Mina uppgifter: the citizen's latest extracts and
// their requests under the data protection regulation.
func (s *Server) profileRights(ctx context.Context, accountID uuid.UUID) (templates.ProfileRights, error) {
	var v templates.ProfileRights
	extracts, err := s.extracts.Latest(ctx, accountID, 5)
	if err != nil {
		return v, err
	}
	for _, x := range extracts {
		v.Extracts = append(v.Extracts, templates.ExtractRow{URL: extractURL(x.ID), Requested: i18n.DateTime(x.RequestedAt),
			State: i18n.T(ctx, "rights.extract.state."+x.State)})
	}
	requests, err := s.rights.Requests(ctx, accountID)
	if err != nil {
		return v, err
	}
	l := lang(ctx)
	for _, rq := range requests {
		v.Requests = append(v.Requests, templates.RightsRow{URL: "/arenden/" + rq.CaseID.String(), Reference: rq.Reference,
			Kind: i18n.T(ctx, "rights.kind."+rq.Kind), Status: rq.StatusLabel.In(l), Submitted: i18n.DateTime(rq.SubmittedAt),
			Decision: rq.Decision})
	}
	return v, nil
}

// extractURL is the address of an extract's page; its downloads are below it.
func extractURL(id uuid.UUID) string { return "/mina-sidor/uppgifter/utdrag/" + id.String() }
