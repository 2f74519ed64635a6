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

// signingShow is a co-signer's page of a draft they are asked to sign: the whole content read
// only, who else signs, and the buttons to sign with e-ID or to decline with a reason. Anyone
// else logged in sees only why they cannot sign it.
func (s *Server) signingShow(w http.ResponseWriter, r *http.Request) error {
	v, err := s.signerView(r)
	if err != nil {
		return err
	}
	return s.renderSigner(w, r, http.StatusOK, v)
}

func partyID(r *http.Request) (uuid.UUID, error) {
	id, err := uuid.Parse(chi.URLParam(r, "party"))
	if err != nil {
		return uuid.Nil, apperr.New(apperr.NotFound, "")
	}
	return id, nil
}

// signerView reads the co-signer's page for the person logged in.
func (s *Server) signerView(r *http.Request) (templates.SignerView, error) {
	ctx := r.Context()
	id, err := partyID(r)
	if err != nil {
		return templates.SignerView{}, err
	}
	pg, err := s.signing.ForSigner(ctx, id, s.citizenID(ctx))
	if err != nil {
		return templates.SignerView{}, err
	}
	return signerViewOf(ctx, pg, r.URL.Query()), nil
}

func signerViewOf(ctx context.Context, pg signing.SignerPage, q map[string][]string) templates.SignerView {
	base := "/signera/" + pg.Party.ID.String()
	v := templates.SignerView{Applicant: pg.Applicant, Role: i18n.T(ctx, "signing.role."+pg.Party.Role),
		SignAction: base, DeclineURL: base + "/avboj", Heading: i18n.T(ctx, "signer.heading")}
	if pg.Problem != nil {
		v.Heading = i18n.T(ctx, "signer.heading.cannot")
		v.Problem = i18n.T(ctx, pg.Problem.Key, pg.Problem.Args...)
		return v
	}
	if pg.Signing.DeadlineAt != nil {
		v.Deadline = i18n.DateTime(*pg.Signing.DeadlineAt)
	}
	hash := pg.Signing.ContentHash
	if pg.Content != nil {
		c := pg.Content
		l := lang(ctx)
		v.EService, v.Municipality = c.EService.Title.In(l), c.EService.Municipality
		v.Hash, hash = signing.HashText(c.Hash), c.Hash
		names := map[string]string{}
		for _, f := range c.Files {
			names[f.ID.String()] = f.Name
			v.Files = append(v.Files, templates.FileView{ID: f.ID.String(), Name: f.Name, Size: byteSize(f.Size), URL: base + "/filer/" + f.ID.String()})
		}
		v.Steps = summarize(ctx, l, c.Version.Definition, c.Answers, names, nil)
	}
	v.Parties = partyViews(ctx, pg.Parties, hash)
	v.CanSign = pg.CanSign
	_, signed := q["signerat"]
	switch {
	case pg.CaseRef != "":
		v.Status, v.StatusOK = i18n.T(ctx, "signer.status.submitted", pg.CaseRef), true
	case pg.Party.DeclinedAt != nil:
		v.Status = i18n.T(ctx, "signer.status.declined")
	case pg.Content != nil && pg.Party.Valid(pg.Content.Hash):
		v.Status, v.StatusOK = i18n.T(ctx, "signer.status.signed"), true
	case pg.Content == nil:
		v.Status = i18n.T(ctx, "signer.status.gone")
	case pg.Signing.State != signing.StateSent:
		v.Status = i18n.T(ctx, "signer.status.closed")
	case !hashSame(pg.Signing.ContentHash, pg.Content.Hash):
		v.Status = i18n.T(ctx, "signer.status.changed")
	case pg.Party.Void(pg.Content.Hash):
		v.Status = i18n.T(ctx, "signer.status.again")
	}
	if signed && v.Status == "" {
		v.Status = i18n.T(ctx, "signer.status.signed")
	}
	return v
}

func (s *Server) renderSigner(w http.ResponseWriter, r *http.Request, status int, v templates.SignerView) error {
	p := s.page(r, "signer.heading", "mypages")
	p.Title = v.Heading
	return s.render(w, r, status, templates.SignerPage(p, v))
}
