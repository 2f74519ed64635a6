package pdfdoc

import "strings"

// Masthead writes the organisation above the document's title in size points, and moves
// advance millimetres down.
func (c *Canvas) Masthead(organisation, title string, size, advance float64) error {
	if err := c.SetFont("B", 11, Muted); err != nil {
		return err
	}
	if err := c.Text(Margin, c.Y, Line(organisation)); err != nil {
		return err
	}
	if err := c.SetFont("B", size, Black); err != nil {
		return err
	}
	if err := c.Text(Margin, c.Y+6, Line(title)); err != nil {
		return err
	}
	c.Y += advance
	return nil
}

// Heading writes a bold heading, on a new page unless keep millimetres fit below it.
func (c *Canvas) Heading(s string, size, keep float64) error {
	if err := c.SetFont("B", size, Black); err != nil {
		return err
	}
	ls, err := c.Wrap(Line(s), ContentW)
	if err != nil {
		return err
	}
	lh := size * 0.5
	c.Room(float64(len(ls))*lh + keep)
	if err := c.lines(Margin, c.Y, ls); err != nil {
		return err
	}
	c.Y += float64(len(ls))*lh + 2
	return nil
}

// Fact is a line of a fact box: a label and its value, the value in bold if Bold.
type Fact struct {
	Label, Value string
	Bold         bool
}

// FactBox writes the grey box of facts: labels to the left, values to the right.
func (c *Canvas) FactBox(facts []Fact) error {
	const pad, labW = 4.0, 40.0
	valW := ContentW - 2*pad - labW - Gap
	type row struct {
		labels, values []string
		style          string
	}
	var rows []row
	h := 2 * pad
	for _, f := range facts {
		if err := c.SetFont("B", BodySize, Black); err != nil {
			return err
		}
		ls, err := c.Wrap(Line(f.Label), labW)
		if err != nil {
			return err
		}
		style := ""
		if f.Bold {
			style = "B"
		}
		if err := c.SetFont(style, BodySize, Black); err != nil {
			return err
		}
		vs, err := c.Wrap(Line(f.Value), valW)
		if err != nil {
			return err
		}
		rows = append(rows, row{ls, vs, style})
		h += float64(max(len(ls), len(vs))) * BodyLine
	}
	c.box(BoxBg, h)
	c.Y += pad
	for _, rw := range rows {
		if err := c.SetFont("B", BodySize, Muted); err != nil {
			return err
		}
		if err := c.lines(Margin+pad, c.Y, rw.labels); err != nil {
			return err
		}
		if err := c.SetFont(rw.style, BodySize, Black); err != nil {
			return err
		}
		if err := c.lines(Margin+pad+labW+Gap, c.Y, rw.values); err != nil {
			return err
		}
		c.Y += float64(max(len(rw.labels), len(rw.values))) * BodyLine
	}
	c.Y += pad + 6
	return nil
}

// Row is a label and its values, as an answer to a question.
type Row struct {
	Label       string   // the left column, in bold and muted
	Values      []string // each a text of one line or more, below each other in the value column
	Bold, Muted bool     // the style of the values
	Wide        bool     // the values over the whole width, for a row without a label
}

// Row writes a row with a rule below. A row longer than a quarter page is split across pages,
// line by line.
func (c *Canvas) Row(r Row) error {
	if err := c.SetFont("B", BodySize, Muted); err != nil {
		return err
	}
	labels, err := c.Wrap(Line(r.Label), LabelW)
	if err != nil {
		return err
	}
	valueX, width := Margin+LabelW+Gap, ValueW
	if r.Wide {
		valueX, width = Margin, ContentW
	}
	style, colour := "", Black
	if r.Bold {
		style = "B"
	}
	if r.Muted {
		colour = Muted
	}
	if err := c.SetFont(style, BodySize, colour); err != nil {
		return err
	}
	var values []string
	for _, v := range r.Values {
		ls, err := c.Wrap(strings.TrimSpace(Clean(v)), width)
		if err != nil {
			return err
		}
		values = append(values, ls...)
	}
	n := max(len(labels), len(values), 1)
	if h := float64(n) * BodyLine; h <= (ContentBottom-ContentTop)/4 {
		c.Room(h)
	} else {
		c.Room(3 * BodyLine)
	}
	for i := range n {
		c.Room(BodyLine)
		if i < len(labels) {
			if err := c.SetFont("B", BodySize, Muted); err != nil {
				return err
			}
			if err := c.Text(Margin, c.Y, labels[i]); err != nil {
				return err
			}
		}
		if i < len(values) {
			if err := c.SetFont(style, BodySize, colour); err != nil {
				return err
			}
			if err := c.Text(valueX, c.Y, values[i]); err != nil {
				return err
			}
		}
		c.Y += BodyLine
	}
	c.rule()
	return nil
}

// Listed writes a line of a list: text to the left, aside in muted to the right in asideW
// millimetres, with a rule below.
func (c *Canvas) Listed(text, aside string, asideW float64) error {
	if err := c.SetFont("", BodySize, Black); err != nil {
		return err
	}
	texts, err := c.Wrap(Line(text), ContentW-asideW-Gap)
	if err != nil {
		return err
	}
	c.Room(float64(len(texts)) * BodyLine)
	if err := c.lines(Margin, c.Y, texts); err != nil {
		return err
	}
	if err := c.SetFont("", BodySize, Muted); err != nil {
		return err
	}
	if err := c.TextRight(Margin+ContentW, c.Y, aside); err != nil {
		return err
	}
	c.Y += float64(len(texts)) * BodyLine
	c.rule()
	return nil
}

// Paragraph writes a text over the whole width in style "" or "B".
func (c *Canvas) Paragraph(s, style string) error {
	if err := c.SetFont(style, BodySize, Black); err != nil {
		return err
	}
	ls, err := c.Wrap(Clean(s), ContentW)
	if err != nil {
		return err
	}
	for _, l := range ls {
		c.Room(BodyLine)
		if err := c.Text(Margin, c.Y, l); err != nil {
			return err
		}
		c.Y += BodyLine
	}
	c.Y += 2
	return nil
}

// Note writes a text of one line, in bold on a shaded box over the whole width.
func (c *Canvas) Note(s string) error {
	if err := c.SetFont("B", BodySize, Black); err != nil {
		return err
	}
	ls, err := c.Wrap(Line(s), ContentW-6)
	if err != nil {
		return err
	}
	h := float64(len(ls))*BodyLine + 4
	c.box(NoteBg, h)
	if err := c.lines(Margin+3, c.Y+2, ls); err != nil {
		return err
	}
	c.Y += h + 4
	return nil
}
