package web

import (
	"context"
	"net/http"

	"github.com/go-chi/chi/v5"
	"github.com/google/uuid"
	"github.com/minasidor/minasidor/internal/apperr"
	"github.com/minasidor/minasidor/internal/i18n"
	"github.com/minasidor/minasidor/internal/signing"
	"github.com/minasidor/minasidor/templates"
)

// signingStatus is the applicant's page of a draft sent for signing: after sending, its receipt
// ("skickad för signering", with the advice to log out before the next person logs in on the
// same device, and the button that does it); later, who has signed, who has not, a co-signer's
// reason to decline, and a deadline that passed.
func (s *Server) signingStatus(w http.ResponseWriter, r *http.Request) error {
	ctx := r.Context()
	id, err := uuid.Parse(chi.URLParam(r, "draft"))
	if err != nil {
		return apperr.New(apperr.NotFound, "")
	}
	rv, err := s.signing.ForApplicant(ctx, id, s.citizenID(ctx), false)
	if err != nil {
		return err
	}
	if rv.Signing == nil {
		http.Redirect(w, r, "/utkast/"+id.String()+"/granska", http.StatusSeeOther)
		return nil
	}
	g, c := rv.Signing, rv.Content
	v := templates.SigningStatusView{
		EService: c.EService.Title.In(lang(ctx)), Municipality: c.EService.Municipality, State: g.State,
		Just:      r.URL.Query().Get("skickat") == "1" || r.URL.Query().Get("signerat") == "1",
		ReviewURL: "/utkast/" + id.String() + "/granska", EditURL: "/utkast/" + id.String() + "/steg/" + c.Draft.CurrentStep,
		Parties: partyViews(ctx, rv.Parties, c.Hash),
	}
	if g.DeadlineAt != nil {
		v.Deadline = i18n.DateTime(*g.DeadlineAt)
	}
	v.Changed = g.State != signing.StateOpen && !hashSame(g.ContentHash, c.Hash)
	for _, p := range rv.Parties {
		if p.Role != signing.RoleApplicant {
			v.Shared = true
		}
	}
	if g.State == signing.StateReturned {
		switch g.ReturnedWhy {
		case signing.ReturnedDeadline:
			v.Returned = i18n.T(ctx, "signing.status.returned.deadline", v.Deadline)
		case signing.ReturnedDeclined:
			v.Returned = i18n.T(ctx, "signing.status.returned.declined")
		}
		for _, p := range signing.Waiting(rv.Parties, g.ContentHash) {
			if p.DeclinedAt == nil {
				v.Waiting = append(v.Waiting, nameOrRole(ctx, p.Name, p.Role))
			}
		}
	}
	p := s.page(r, "signing.status.heading", "mypages")
	if v.Just && g.State == signing.StateSent {
		p.Title = i18n.T(ctx, "signing.status.sent.heading")
	}
	return s.render(w, r, http.StatusOK, templates.SigningStatusPage(p, v))
}

// partyViews shows who must sign and how far each has come, against the content whose hash is
// given: a signature of an earlier content is void.
func partyViews(ctx context.Context, ps []signing.Party, hash []byte) []templates.SigningParty {
	var out []templates.SigningParty
	for _, p := range ps {
		v := templates.SigningParty{Name: nameOrRole(ctx, p.Name, p.Role), Role: i18n.T(ctx, "signing.role."+p.Role)}
		switch {
		case p.Valid(hash):
			v.State, v.Class, v.When = i18n.T(ctx, "signing.party.signed"), "ok", i18n.DateTime(p.Signature.SignedAt)
		case p.DeclinedAt != nil:
			v.State, v.Class, v.When, v.Reason = i18n.T(ctx, "signing.party.declined"), "declined", i18n.DateTime(*p.DeclinedAt), p.DeclineReason
		case p.Void(hash):
			v.State, v.Class = i18n.T(ctx, "signing.party.void"), "void"
		default:
			v.State, v.Class = i18n.T(ctx, "signing.party.waiting"), "waiting"
		}
		out = append(out, v)
	}
	return out
}

func hashSame(a, b []byte) bool { return len(a) > 0 && string(a) == string(b) }
