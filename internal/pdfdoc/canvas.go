// Package pdfdoc is the A4 canvas the portal's PDFs are drawn on (the receipt of a case, the
// answer to a request for public documents): the page, the embedded Go fonts, wrapped text,
// headings, fact boxes, label and value rows, running headers, footers and page breaks. The
// documents decide what to say; this package decides how it looks, so they look alike.
package pdfdoc

import (
	"bytes"
	"fmt"
	"time"

	"github.com/minasidor/minasidor/internal/i18n"
	"github.com/signintech/gopdf"
	"golang.org/x/image/font/gofont/gobold"
	"golang.org/x/image/font/gofont/goregular"
)

// The page in millimetres: A4 with the content between the margins, and the footer below
// ContentBottom.
const (
	PageW         = 210.0
	Margin        = 20.0
	ContentW      = PageW - 2*Margin
	ContentTop    = 18.0
	ContentBottom = 270.0
	FooterTop     = 276.0

	LabelW = 55.0 // the label column of a row
	Gap    = 5.0
	ValueW = ContentW - LabelW - Gap

	fontFamily = "Go"
	BodySize   = 10.0 // points
	BodyLine   = 5.0  // the line height of body text
	SmallSize  = 8.0
	SmallLine  = 3.8
)

// Colour is a colour as red, green and blue.
type Colour [3]uint8

// The colours (grey levels, and the pale yellow of a note).
var (
	Muted   = Colour{0x55, 0x55, 0x55}
	Black   = Colour{0x1a, 0x1a, 0x1a}
	Rule    = Colour{0xcc, 0xcc, 0xcc}
	BoxBg   = Colour{0xf2, 0xf2, 0xf2}
	BoxLine = Colour{0xb0, 0xb0, 0xb0}
	NoteBg  = Colour{0xfd, 0xf1, 0xd8}
)

// Info is the document information of the file, and the running header of every page after
// the first: HeaderLeft to the left, HeaderRight to the right.
type Info struct {
	Title, Author, Subject  string
	Created                 time.Time // written in Stockholm time: the same document gives the same bytes
	HeaderLeft, HeaderRight string
}

// Canvas lays out one document; Y is where the next line goes on the current page.
type Canvas struct {
	Y      float64
	pdf    *gopdf.GoPdf
	font   fontState // the current font, set again after the running header of a new page
	header [2]string
}

type fontState struct {
	style string
	size  float64
	color Colour
}

// New starts a document on its first page, in the body font, with the Go fonts embedded
// (subset, so only the glyphs used are in the file): every Latin, Greek and Cyrillic letter
// shows; a character the fonts lack shows as "?".
func New(info Info) (*Canvas, error) {
	pdf := &gopdf.GoPdf{}
	pdf.Start(gopdf.Config{Unit: gopdf.UnitMM, PageSize: *gopdf.PageSizeA4})
	pdf.SetCompressLevel(9)
	missing := func(rune) rune { return '?' }
	for _, f := range []struct {
		style int
		ttf   []byte
	}{{gopdf.Regular, goregular.TTF}, {gopdf.Bold, gobold.TTF}} {
		opt := gopdf.TtfOption{Style: f.style, OnGlyphNotFoundSubstitute: missing}
		if err := pdf.AddTTFFontDataWithOption(fontFamily, f.ttf, opt); err != nil {
			return nil, fmt.Errorf("pdf: font: %w", err)
		}
	}
	pdf.SetInfo(gopdf.PdfInfo{
		Title:        Meta(info.Title),
		Author:       Meta(info.Author),
		Subject:      Meta(info.Subject),
		Creator:      "Mina sidor",
		Producer:     "Mina sidor",
		CreationDate: info.Created.In(i18n.Stockholm),
	})
	// gopdf writes no /Lang: the document language cannot be set.
	c := &Canvas{pdf: pdf, header: [2]string{Line(info.HeaderLeft), Line(info.HeaderRight)}}
	c.newPage()
	return c, c.SetFont("", BodySize, Black)
}

// Bytes compiles the document. gopdf ignores the errors of a writer it streams to, so it
// compiles to memory.
func (c *Canvas) Bytes() ([]byte, error) {
	var buf bytes.Buffer
	if _, err := c.pdf.WriteTo(&buf); err != nil {
		return nil, fmt.Errorf("pdf: compile: %w", err)
	}
	return buf.Bytes(), nil
}

// newPage starts a page; a page after the first has the running header on top.
func (c *Canvas) newPage() {
	c.pdf.AddPage()
	c.Y = ContentTop
	if c.pdf.GetNumberOfPages() == 1 {
		return
	}
	// Errors here are font errors, which the first page met already.
	f := c.font
	_ = c.SetFont("", SmallSize, Muted)
	_ = c.Text(Margin, c.Y, c.header[0])
	_ = c.TextRight(Margin+ContentW, c.Y, c.header[1])
	c.stroke(Rule, 0.3)
	c.pdf.Line(Margin, c.Y+SmallLine+1, Margin+ContentW, c.Y+SmallLine+1)
	c.Y += SmallLine + 6
	_ = c.SetFont(f.style, f.size, f.color)
}

// Room starts a new page unless h millimetres fit on this one.
func (c *Canvas) Room(h float64) {
	if c.Y+h > ContentBottom && c.Y > ContentTop+SmallLine+6 {
		c.newPage()
	}
}

// Footers writes text (wrapped, beside the page number) and the page label of every page, now
// that the number of pages is known. page gives the label of page n of total; "" for none.
func (c *Canvas) Footers(text string, page func(n, total int) string) error {
	total := c.pdf.GetNumberOfPages()
	for n := 1; n <= total; n++ {
		if err := c.pdf.SetPage(n); err != nil {
			return fmt.Errorf("pdf: page %d: %w", n, err)
		}
		c.stroke(Rule, 0.3)
		c.pdf.Line(Margin, FooterTop-2, Margin+ContentW, FooterTop-2)
		if err := c.SetFont("", SmallSize, Muted); err != nil {
			return err
		}
		if text != "" {
			ls, err := c.Wrap(Clean(text), ContentW-35)
			if err != nil {
				return err
			}
			if err := c.linesH(Margin, FooterTop, ls, SmallLine); err != nil {
				return err
			}
		}
		if err := c.TextRight(Margin+ContentW, FooterTop, Line(page(n, total))); err != nil {
			return err
		}
	}
	return nil
}

// SetFont sets the font: style "" or "B", size in points, and colour.
func (c *Canvas) SetFont(style string, size float64, col Colour) error {
	if err := c.pdf.SetFont(fontFamily, style, size); err != nil {
		return fmt.Errorf("pdf: font: %w", err)
	}
	c.pdf.SetTextColor(col[0], col[1], col[2])
	c.font = fontState{style, size, col}
	return nil
}

func (c *Canvas) fill(col Colour) { c.pdf.SetFillColor(col[0], col[1], col[2]) }

func (c *Canvas) stroke(col Colour, width float64) {
	c.pdf.SetStrokeColor(col[0], col[1], col[2])
	c.pdf.SetLineWidth(width)
}

// box draws a filled, outlined box of the content width, h high, at the current line.
func (c *Canvas) box(bg Colour, h float64) {
	c.fill(bg)
	c.stroke(BoxLine, 0.3)
	c.pdf.RectFromUpperLeftWithStyle(Margin, c.Y, ContentW, h, "FD")
}

// rule draws the thin line below a row and moves below it.
func (c *Canvas) rule() {
	c.stroke(Rule, 0.2)
	c.pdf.Line(Margin, c.Y+0.5, Margin+ContentW, c.Y+0.5)
	c.Y += 2.5
}

// Text writes s with its top left corner at x, y.
func (c *Canvas) Text(x, y float64, s string) error {
	if s == "" {
		return nil
	}
	c.pdf.SetXY(x, y)
	if err := c.pdf.Cell(nil, s); err != nil {
		return fmt.Errorf("pdf: text: %w", err)
	}
	return nil
}

// TextRight writes s with its top right corner at x, y.
func (c *Canvas) TextRight(x, y float64, s string) error {
	w, err := c.width(s)
	if err != nil {
		return err
	}
	return c.Text(x-w, y, s)
}

// lines writes ls below each other in body line height.
func (c *Canvas) lines(x, y float64, ls []string) error {
	return c.linesH(x, y, ls, BodyLine)
}

func (c *Canvas) linesH(x, y float64, ls []string, lh float64) error {
	for i, s := range ls {
		if err := c.Text(x, y+float64(i)*lh, s); err != nil {
			return err
		}
	}
	return nil
}

func (c *Canvas) width(s string) (float64, error) {
	if s == "" {
		return 0, nil
	}
	w, err := c.pdf.MeasureTextWidth(s)
	if err != nil {
		return 0, fmt.Errorf("pdf: measure: %w", err)
	}
	return w, nil
}
