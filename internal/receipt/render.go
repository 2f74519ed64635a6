package receipt

import (
	"errors"
	"fmt"
	"io"

	"github.com/minasidor/minasidor/internal/i18n"
	"github.com/minasidor/minasidor/internal/pdfdoc"
)

// Render writes the receipt of doc to w as an A4 PDF with the Go fonts embedded (subset), so
// every Latin, Greek and Cyrillic letter shows; a character the fonts lack shows as "?".
func Render(w io.Writer, doc Document) error {
	if w == nil {
		return errors.New("receipt: nil writer")
	}
	if err := doc.validate(); err != nil {
		return err
	}
	b, err := compose(&doc)
	if err != nil {
		return fmt.Errorf("receipt: %w", err)
	}
	if _, err := w.Write(b); err != nil {
		return fmt.Errorf("receipt: write: %w", err)
	}
	return nil
}

func compose(d *Document) ([]byte, error) {
	l := d.Labels
	c, err := pdfdoc.New(pdfdoc.Info{
		Title:       l.Title + " " + d.Reference,
		Author:      d.Municipality,
		Subject:     d.EService,
		Created:     d.SubmittedAt, // the same receipt gives the same bytes
		HeaderLeft:  d.Municipality,
		HeaderRight: l.Title + " " + d.Reference,
	})
	if err != nil {
		return nil, err
	}
	if err := body(c, d); err != nil {
		return nil, err
	}
	page := func(n, total int) string {
		if l.Page == "" {
			return ""
		}
		return fmt.Sprintf(l.Page, n, total)
	}
	if err := c.Footers(l.Footer, page); err != nil {
		return nil, err
	}
	return c.Bytes()
}

// body lays out everything but the page footers.
func body(c *pdfdoc.Canvas, d *Document) error {
	l := d.Labels
	if err := c.Masthead(d.Municipality, l.Title, 22, 17); err != nil {
		return err
	}
	if err := c.FactBox([]pdfdoc.Fact{
		{Label: l.Reference, Value: d.Reference, Bold: true},
		{Label: l.Submitted, Value: i18n.DateTime(d.SubmittedAt)},
		{Label: l.EService, Value: d.EService},
		{Label: l.Municipality, Value: d.Municipality},
	}); err != nil {
		return err
	}
	if len(d.Signatures) > 0 {
		// Who signed, in which role, with the time to the right.
		if err := c.Heading(l.Signatures, 12, pdfdoc.BodyLine*2); err != nil {
			return err
		}
		for _, sg := range d.Signatures {
			if err := c.Listed(sg.Text, i18n.DateTime(sg.When), 35); err != nil {
				return err
			}
		}
		c.Y += 3
	}
	if len(d.Steps) > 0 {
		if err := c.Heading(l.Answers, 15, pdfdoc.BodyLine*3); err != nil {
			return err
		}
	}
	for _, s := range d.Steps {
		if err := c.Heading(s.Title, 12, pdfdoc.BodyLine*2); err != nil {
			return err
		}
		for _, it := range s.Items {
			row := pdfdoc.Row{Label: it.Label, Values: it.Values}
			if len(row.Values) == 0 && l.Unanswered != "" {
				row.Values, row.Muted = []string{l.Unanswered}, true
			}
			if err := c.Row(row); err != nil {
				return err
			}
		}
		c.Y += 3
	}
	if len(d.Attachments) > 0 {
		// The files with their sizes to the right.
		if err := c.Heading(l.Attachments, 12, pdfdoc.BodyLine*2); err != nil {
			return err
		}
		for _, a := range d.Attachments {
			if err := c.Listed(a.Name, byteSize(a.Size, d.Lang), 25); err != nil {
				return err
			}
		}
	}
	return nil
}
