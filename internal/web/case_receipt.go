package web

import (
	"context"
	"net/http"

	"github.com/go-chi/chi/v5"
	"github.com/google/uuid"
	"github.com/minasidor/minasidor/internal/apperr"
	"github.com/minasidor/minasidor/internal/casework"
	"github.com/minasidor/minasidor/internal/eservice"
	"github.com/minasidor/minasidor/internal/i18n"
	"github.com/minasidor/minasidor/templates"
)

// caseReceipt confirms a submitted case: "Ditt ärende är nu inskickat", the reference number and
// the answers as submitted. Only the submitter sees it; it prints as a receipt too.
func (s *Server) caseReceipt(w http.ResponseWriter, r *http.Request) error {
	ctx := r.Context()
	rc, err := s.loadReceipt(r)
	if err != nil {
		return err
	}
	v := templates.ReceiptView{
		Reference:    rc.c.Reference,
		EService:     rc.eservice,
		Municipality: rc.municipality,
		SubmittedAt:  i18n.DateTime(rc.c.SubmittedAt),
		Anonymous:    rc.c.Anonymous,
		LoggedIn:     rc.c.AccountID != nil,
		Steps:        rc.steps,
		PDFURL:       "/arenden/" + rc.c.ID.String() + "/kvitto.pdf",
		Signatures:   signatureItems(ctx, rc.signatures),
		Privacy:      rc.privacy,
		Notified:     rc.notified,
	}
	return s.render(w, r, http.StatusOK, templates.ReceiptPage(s.page(r, "receipt.heading", "eservices"), v))
}

// receiptData is what a receipt shows, on the page or as a PDF.
type receiptData struct {
	c            casework.Case
	eservice     string
	municipality string
	steps        []templates.ReviewStep
	files        []casework.File // the form's files
	signatures   []casework.Signature
	privacy      []templates.Fact // the e-service's privacy notice
	notified     bool             // the submitter gets notices
}

// loadReceipt loads the case named in the address for its submitter: the account, the visitor's
// session, or the session that submitted it (casework.Store.Receipt); anyone else gets not found.
func (s *Server) loadReceipt(r *http.Request) (receiptData, error) {
	ctx := r.Context()
	id, err := uuid.Parse(chi.URLParam(r, "case"))
	if err != nil {
		return receiptData{}, apperr.New(apperr.NotFound, "")
	}
	d, err := s.cases.Receipt(ctx, s.receiptReader(ctx), id)
	if err != nil {
		return receiptData{}, err
	}
	rc := receiptFrom(ctx, d.Case, d.EService, d.Version, d.Files)
	rc.signatures, rc.notified = d.Signatures, d.Notified
	return rc, nil
}

// signatureItems shows the signatures a case was submitted with.
func signatureItems(ctx context.Context, sigs []casework.Signature) []templates.SignatureItem {
	var out []templates.SignatureItem
	for _, sg := range sigs {
		out = append(out, templates.SignatureItem{Name: sg.Name, Role: i18n.T(ctx, "signing.role."+sg.Role), When: i18n.DateTime(sg.SignedAt)})
	}
	return out
}

// receiptFrom is the receipt of a case submitted on version of e, with its files.
func receiptFrom(ctx context.Context, c casework.Case, e eservice.EService, version eservice.Version, files []casework.File) receiptData {
	lang := string(i18n.FromContext(ctx).Lang)
	rc := receiptData{c: c, eservice: e.Title.In(lang), municipality: e.Municipality, privacy: privacyFacts(ctx, e.Privacy)}
	names := map[string]string{}
	for _, f := range files {
		if f.MessageID == nil {
			names[f.ID.String()] = f.Name
			rc.files = append(rc.files, f)
		}
	}
	rc.steps = summarize(ctx, lang, version.Definition, c.Answers, names, nil)
	return rc
}
