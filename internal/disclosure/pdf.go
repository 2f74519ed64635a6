package disclosure

import (
	"fmt"

	"github.com/minasidor/minasidor/internal/i18n"
	"github.com/minasidor/minasidor/internal/pdfdoc"
)

// Render makes the PDF of an answer, in its language: the written decision first when anything
// is masked or withheld, then each document as released. It is made from the Answer alone, in
// which masked content is absent, so no masked text can be in the file in any form (text,
// metadata or font tables: the fonts hold only the glyphs used). A preview says so on every
// page.
func Render(a Answer, preview bool) ([]byte, error) {
	p := i18n.For(a.Lang)
	title := pdfTitle(a, p)
	c, err := pdfdoc.New(pdfdoc.Info{
		Title:       title + " " + a.Reference,
		Author:      a.Municipality,
		Created:     a.DecidedAt,
		HeaderLeft:  a.Municipality,
		HeaderRight: title + " " + a.Reference,
	})
	if err != nil {
		return nil, fmt.Errorf("disclosure: %w", err)
	}
	if err := pdfBody(c, a, p, title, preview); err != nil {
		return nil, fmt.Errorf("disclosure: %w", err)
	}
	footer := p.T("public.pdf.footer")
	if preview {
		footer = p.T("public.pdf.preview")
	}
	page := func(n, total int) string { return p.T("public.pdf.page", n, total) }
	if err := c.Footers(pdfdoc.Line(footer), page); err != nil {
		return nil, fmt.Errorf("disclosure: %w", err)
	}
	b, err := c.Bytes()
	if err != nil {
		return nil, fmt.Errorf("disclosure: %w", err)
	}
	return b, nil
}

func pdfTitle(a Answer, p *i18n.Printer) string {
	if a.Outcome == OutcomeRefused && len(a.Documents) == 0 {
		return p.T("public.pdf.title.refused")
	}
	return p.T("public.pdf.title")
}

func pdfBody(c *pdfdoc.Canvas, a Answer, p *i18n.Printer, title string, preview bool) error {
	if err := c.Masthead(a.Municipality, title, 20, 16); err != nil {
		return err
	}
	if preview {
		if err := c.Note(p.T("public.pdf.preview")); err != nil {
			return err
		}
	}
	if err := c.FactBox([]pdfdoc.Fact{
		{Label: p.T("public.pdf.request"), Value: a.Reference},
		{Label: p.T("public.pdf.requested"), Value: i18n.DateTime(a.RequestedAt)},
		{Label: p.T("public.pdf.decided"), Value: i18n.DateTime(a.DecidedAt)},
		{Label: p.T("public.pdf.municipality"), Value: a.Municipality},
	}); err != nil {
		return err
	}
	if a.Outcome != OutcomeReleased {
		if err := pdfDecision(c, a, p); err != nil {
			return err
		}
	}
	for _, d := range a.Documents {
		if err := c.Heading(p.T("public.pdf.document", d.Reference, d.EService), 14, pdfdoc.BodyLine*4); err != nil {
			return err
		}
		if err := c.SetFont("", pdfdoc.BodySize, pdfdoc.Muted); err != nil {
			return err
		}
		if err := c.Text(pdfdoc.Margin, c.Y, pdfdoc.Line(p.T("public.pdf.submitted", i18n.DateTime(d.SubmittedAt)))); err != nil {
			return err
		}
		c.Y += pdfdoc.BodyLine + 2
		for _, s := range d.Sections {
			if err := c.Heading(s.Title, 12, pdfdoc.BodyLine*2); err != nil {
				return err
			}
			for _, it := range s.Items {
				if err := c.Row(pdfRow(it)); err != nil {
					return err
				}
			}
			c.Y += 3
		}
		c.Y += 4
	}
	return nil
}

// pdfRow is one part: its label and values, or its label and the note of its masking, or only
// the note of its withholding (over the whole width).
func pdfRow(it Item) pdfdoc.Row {
	r := pdfdoc.Row{Label: it.Label, Values: it.Values, Wide: it.Label == ""}
	if it.Note != "" {
		r.Values, r.Bold, r.Muted = []string{pdfdoc.Line("[ " + it.Note + " ]")}, true, true
	}
	return r
}

// pdfDecision writes the written decision: what is refused, on which grounds, the registrar's
// words, who decided, and how to appeal.
func pdfDecision(c *pdfdoc.Canvas, a Answer, p *i18n.Printer) error {
	if err := c.Heading(p.T("public.pdf.decision"), 15, pdfdoc.BodyLine*4); err != nil {
		return err
	}
	lead := p.T("public.pdf.decision.partly", a.Municipality)
	if a.Outcome == OutcomeRefused {
		lead = p.T("public.pdf.decision.refused", a.Municipality)
	}
	type paragraph struct{ text, style string }
	paragraphs := []paragraph{{lead, ""}, {p.T("public.pdf.grounds"), "B"}}
	for _, g := range a.Grounds {
		paragraphs = append(paragraphs, paragraph{"• " + g.Text(), ""})
	}
	if a.Reasoning != "" {
		paragraphs = append(paragraphs, paragraph{a.Reasoning, ""})
	}
	paragraphs = append(paragraphs, paragraph{p.T("public.pdf.decided.by", a.Registrar), ""})
	for _, pg := range paragraphs {
		if err := c.Paragraph(pg.text, pg.style); err != nil {
			return err
		}
	}
	if err := c.Heading(p.T("public.pdf.appeal"), 12, pdfdoc.BodyLine*3); err != nil {
		return err
	}
	if err := c.Paragraph(p.T("public.pdf.appeal.text", a.Reference), ""); err != nil {
		return err
	}
	c.Y += 4
	return nil
}
