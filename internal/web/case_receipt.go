package web

import (
	"net/http"

	"github.com/go-chi/chi/v5"
	"github.com/google/uuid"
	"github.com/minasidor/minasidor/internal/apperr"
	"github.com/minasidor/minasidor/internal/i18n"
	"github.com/minasidor/minasidor/templates"
)

// caseReceipt confirms a submitted case: "Ditt ärende är nu inskickat", the reference number and
// the answers as submitted. Only the submitter sees it.
func (s *Server) caseReceipt(w http.ResponseWriter, r *http.Request) error {
	ctx := r.Context()
	id, err := uuid.Parse(chi.URLParam(r, "case"))
	if err != nil {
		return apperr.New(apperr.NotFound, "")
	}
	c, err := s.cases.Get(ctx, id)
	if err != nil {
		return err
	}
	if !s.mayShowReceipt(ctx, c) {
		return apperr.New(apperr.NotFound, "")
	}
	e, err := s.eservices.ByID(ctx, c.EServiceID)
	if err != nil {
		return err
	}
	version, err := s.eservices.Version(ctx, c.VersionID)
	if err != nil {
		return err
	}
	files, err := s.cases.FileNames(ctx, c.ID)
	if err != nil {
		return err
	}
	lang := string(i18n.FromContext(ctx).Lang)
	v := templates.ReceiptView{
		Reference:    c.Reference,
		EService:     e.Title.In(lang),
		Municipality: e.Municipality,
		SubmittedAt:  i18n.DateTime(c.SubmittedAt),
		Anonymous:    c.Anonymous,
		LoggedIn:     c.AccountID != nil,
		Steps:        summarize(ctx, lang, version.Definition, c.Answers, files, nil),
	}
	if c.AccountID != nil {
		acct, err := s.accounts.ByID(ctx, *c.AccountID)
		if err != nil {
			return err
		}
		v.Notified = acct.PreferredChannel != ""
	}
	return s.render(w, r, http.StatusOK, templates.ReceiptPage(s.page(r, "receipt.heading", "eservices"), v))
}
