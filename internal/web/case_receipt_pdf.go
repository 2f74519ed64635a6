package web

import (
	"bytes"
	"mime"
	"net/http"
	"strconv"

	"github.com/minasidor/minasidor/internal/i18n"
	"github.com/minasidor/minasidor/internal/receipt"
)

// caseReceiptPDF is the receipt as a PDF to download: the municipality, the e-service, the
// reference, the time of submission and every answer.
func (s *Server) caseReceiptPDF(w http.ResponseWriter, r *http.Request) error {
	ctx := r.Context()
	rc, err := s.loadReceipt(r)
	if err != nil {
		return err
	}
	t := func(key string) string { return i18n.T(ctx, key) }
	doc := receipt.Document{
		Municipality: rc.municipality,
		EService:     rc.eservice,
		Reference:    rc.c.Reference,
		SubmittedAt:  rc.c.SubmittedAt,
		Lang:         string(i18n.FromContext(ctx).Lang),
		Labels: receipt.Labels{
			Title:        t("pdf.title"),
			Reference:    t("pdf.reference"),
			Submitted:    t("receipt.submitted"),
			EService:     t("receipt.eservice"),
			Municipality: t("receipt.municipality"),
			Answers:      t("receipt.answers"),
			Attachments:  t("case.files"),
			Unanswered:   t("review.unanswered"),
			Footer:       t("receipt.public"),
			Page:         t("pdf.page"),
			Signatures:   t("signatures.heading"),
		},
	}
	for _, sg := range rc.signatures {
		doc.Signatures = append(doc.Signatures, receipt.Signature{
			Text: i18n.T(ctx, "signatures.item", sg.Name, i18n.T(ctx, "signing.role."+sg.Role)), When: sg.SignedAt})
	}
	for _, st := range rc.steps {
		step := receipt.Step{Title: st.Title}
		for _, it := range st.Items {
			step.Items = append(step.Items, receipt.Item{Label: it.Label, Values: it.Values})
		}
		doc.Steps = append(doc.Steps, step)
	}
	if len(rc.privacy) > 0 {
		step := receipt.Step{Title: t("eservice.privacy.heading")}
		for _, f := range rc.privacy {
			step.Items = append(step.Items, receipt.Item{Label: f.Label, Values: []string{f.Text}})
		}
		doc.Steps = append(doc.Steps, step)
	}
	for _, f := range rc.files {
		doc.Attachments = append(doc.Attachments, receipt.Attachment{Name: f.Name, Size: f.Size})
	}
	var buf bytes.Buffer
	if err := receipt.Render(&buf, doc); err != nil {
		return err
	}
	h := w.Header()
	h.Set("Content-Type", "application/pdf")
	h.Set("Content-Length", strconv.Itoa(buf.Len()))
	h.Set("Content-Disposition", mime.FormatMediaType("attachment", map[string]string{"filename": "kvitto-" + rc.c.Reference + ".pdf"}))
	h.Set("Cache-Control", "private, no-store")
	_, err = buf.WriteTo(w)
	return err
}
