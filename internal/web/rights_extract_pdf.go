package web

import (
	"bytes"
	"net/http"

	"github.com/minasidor/minasidor/internal/extract"
	"github.com/minasidor/minasidor/internal/i18n"
	"github.com/minasidor/minasidor/internal/personnummer"
	"github.com/minasidor/minasidor/internal/receipt"
)

// rightsExtractPDF downloads the extract as a PDF: the readable page's parts, and the list of
// files (which the ZIP holds).
func (s *Server) rightsExtractPDF(w http.ResponseWriter, r *http.Request) error {
	ctx := r.Context()
	x, err := s.ownExtract(r)
	if err != nil {
		return err
	}
	if x.Document == nil {
		return extract.ErrNotReady
	}
	d := *x.Document
	t := func(key string) string { return i18n.T(ctx, key) }
	who := d.Person.DisplayName
	if n, err := personnummer.Parse(d.Person.PersonalNumber); err == nil {
		who += ", " + n.Formatted()
	}
	p := s.page(r, "rights.extract.page", "mypages")
	doc := receipt.Document{
		Municipality: p.Municipality,
		EService:     i18n.T(ctx, "rights.extract.pdf.format", d.Format, d.Version),
		Reference:    who,
		SubmittedAt:  d.CreatedAt,
		Lang:         lang(ctx),
		Labels: receipt.Labels{
			Title:        t("rights.extract.page"),
			Reference:    t("rights.extract.pdf.person"),
			Submitted:    t("rights.extract.pdf.created"),
			EService:     t("rights.extract.pdf.formatLabel"),
			Municipality: t("receipt.municipality"),
			Answers:      t("rights.extract.pdf.contents"),
			Attachments:  t("rights.extract.pdf.files"),
			Footer:       t("rights.extract.pdf.footer"),
			Page:         t("pdf.page"),
		},
	}
	for _, sec := range extractSections(ctx, d) {
		if len(sec.Groups) == 0 {
			doc.Steps = append(doc.Steps, receipt.Step{Title: sec.Heading, Items: []receipt.Item{{Label: sec.Empty}}})
			continue
		}
		for _, g := range sec.Groups {
			step := receipt.Step{Title: g.Title}
			for _, it := range g.Items {
				step.Items = append(step.Items, receipt.Item{Label: it.Label, Values: it.Values})
			}
			doc.Steps = append(doc.Steps, step)
		}
	}
	for _, f := range d.AllFiles() {
		doc.Attachments = append(doc.Attachments, receipt.Attachment{Name: f.Path, Size: f.Size})
	}
	var buf bytes.Buffer
	if err := receipt.Render(&buf, doc); err != nil {
		return err
	}
	serveFile(w, "registerutdrag.pdf", "application/pdf", buf.Bytes())
	return nil
}
