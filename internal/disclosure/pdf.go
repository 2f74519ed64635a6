package disclosure

import (
	"bytes"
	"fmt"
	"strings"
	"unicode"

	"github.com/minasidor/minasidor/internal/i18n"
	"github.com/signintech/gopdf"
	"golang.org/x/image/font/gofont/gobold"
	"golang.org/x/image/font/gofont/goregular"
	"golang.org/x/text/unicode/norm"
)

// The page in millimetres: A4, as the receipt's.
const (
	pageW         = 210.0
	margin        = 20.0
	contentW      = pageW - 2*margin
	contentTop    = 18.0
	contentBottom = 270.0
	footerTop     = 276.0
	labelW        = 55.0
	gap           = 5.0
	valueW        = contentW - labelW - gap
	fontFamily    = "Go"
	bodySize      = 10.0
	bodyLine      = 5.0
	smallSize     = 8.0
	smallLine     = 3.8
)

var (
	muted   = [3]uint8{0x55, 0x55, 0x55}
	black   = [3]uint8{0x1a, 0x1a, 0x1a}
	rule    = [3]uint8{0xcc, 0xcc, 0xcc}
	boxBg   = [3]uint8{0xf2, 0xf2, 0xf2}
	boxLine = [3]uint8{0xb0, 0xb0, 0xb0}
	noteBg  = [3]uint8{0xfd, 0xf1, 0xd8}
)

// Render makes the PDF of an answer, in its language: the written decision first when anything
// is masked or withheld, then each document as released. It is made from the Answer alone, in
// which masked content is absent, so no masked text can be in the file in any form (text,
// metadata or font tables: the fonts hold only the glyphs used). A preview says so on every
// page.
func Render(a Answer, preview bool) ([]byte, error) {
	p := i18n.For(a.Lang)
	r, err := newRenderer(a, p, preview)
	if err != nil {
		return nil, err
	}
	if err := r.body(); err != nil {
		return nil, err
	}
	if err := r.footers(); err != nil {
		return nil, err
	}
	var buf bytes.Buffer
	if _, err := r.pdf.WriteTo(&buf); err != nil {
		return nil, fmt.Errorf("disclosure: pdf: %w", err)
	}
	return buf.Bytes(), nil
}

type renderer struct {
	pdf     *gopdf.GoPdf
	a       Answer
	p       *i18n.Printer
	preview bool
	y       float64
	font    fontState
}

type fontState struct {
	style string
	size  float64
	color [3]uint8
}

func newRenderer(a Answer, p *i18n.Printer, preview bool) (*renderer, error) {
	pdf := &gopdf.GoPdf{}
	pdf.Start(gopdf.Config{Unit: gopdf.UnitMM, PageSize: *gopdf.PageSizeA4})
	pdf.SetCompressLevel(9)
	missing := func(rune) rune { return '?' }
	for _, f := range []struct {
		style int
		ttf   []byte
	}{{gopdf.Regular, goregular.TTF}, {gopdf.Bold, gobold.TTF}} {
		if err := pdf.AddTTFFontDataWithOption(fontFamily, f.ttf, gopdf.TtfOption{Style: f.style, OnGlyphNotFoundSubstitute: missing}); err != nil {
			return nil, fmt.Errorf("disclosure: font: %w", err)
		}
	}
	r := &renderer{pdf: pdf, a: a, p: p, preview: preview}
	pdf.SetInfo(gopdf.PdfInfo{
		Title:        meta(r.title() + " " + a.Reference),
		Author:       meta(a.Municipality),
		Creator:      "Mina sidor",
		Producer:     "Mina sidor",
		CreationDate: a.DecidedAt.In(i18n.Stockholm),
	})
	r.newPage()
	return r, r.setFont("", bodySize, black)
}

func (r *renderer) title() string {
	if r.a.Outcome == OutcomeRefused && len(r.a.Documents) == 0 {
		return r.p.T("public.pdf.title.refused")
	}
	return r.p.T("public.pdf.title")
}

func (r *renderer) body() error {
	a, p := r.a, r.p
	if err := r.setFont("B", 11, muted); err != nil {
		return err
	}
	if err := r.text(margin, r.y, line(a.Municipality)); err != nil {
		return err
	}
	if err := r.setFont("B", 20, black); err != nil {
		return err
	}
	if err := r.text(margin, r.y+6, line(r.title())); err != nil {
		return err
	}
	r.y += 16
	if r.preview {
		if err := r.note(p.T("public.pdf.preview")); err != nil {
			return err
		}
	}
	if err := r.facts([][2]string{
		{p.T("public.pdf.request"), a.Reference},
		{p.T("public.pdf.requested"), i18n.DateTime(a.RequestedAt)},
		{p.T("public.pdf.decided"), i18n.DateTime(a.DecidedAt)},
		{p.T("public.pdf.municipality"), a.Municipality},
	}); err != nil {
		return err
	}
	if a.Outcome != OutcomeReleased {
		if err := r.decision(); err != nil {
			return err
		}
	}
	for _, d := range a.Documents {
		if err := r.heading(p.T("public.pdf.document", d.Reference, d.EService), 14, bodyLine*4); err != nil {
			return err
		}
		if err := r.setFont("", bodySize, muted); err != nil {
			return err
		}
		if err := r.text(margin, r.y, line(p.T("public.pdf.submitted", i18n.DateTime(d.SubmittedAt)))); err != nil {
			return err
		}
		r.y += bodyLine + 2
		for _, s := range d.Sections {
			if err := r.heading(s.Title, 12, bodyLine*2); err != nil {
				return err
			}
			for _, it := range s.Items {
				if err := r.item(it); err != nil {
					return err
				}
			}
			r.y += 3
		}
		r.y += 4
	}
	return nil
}

// decision writes the written decision: what is refused, on which grounds, the registrar's words,
// who decided, and how to appeal.
func (r *renderer) decision() error {
	a, p := r.a, r.p
	if err := r.heading(p.T("public.pdf.decision"), 15, bodyLine*4); err != nil {
		return err
	}
	lead := p.T("public.pdf.decision.partly", a.Municipality)
	if a.Outcome == OutcomeRefused {
		lead = p.T("public.pdf.decision.refused", a.Municipality)
	}
	if err := r.paragraph(lead, ""); err != nil {
		return err
	}
	if err := r.paragraph(p.T("public.pdf.grounds"), "B"); err != nil {
		return err
	}
	for _, g := range a.Grounds {
		if err := r.paragraph("• "+g.Text(), ""); err != nil {
			return err
		}
	}
	if a.Reasoning != "" {
		if err := r.paragraph(a.Reasoning, ""); err != nil {
			return err
		}
	}
	if err := r.paragraph(p.T("public.pdf.decided.by", a.Registrar), ""); err != nil {
		return err
	}
	if err := r.heading(p.T("public.pdf.appeal"), 12, bodyLine*3); err != nil {
		return err
	}
	if err := r.paragraph(p.T("public.pdf.appeal.text", a.Reference), ""); err != nil {
		return err
	}
	r.y += 4
	return nil
}

// paragraph writes a text over the whole width.
func (r *renderer) paragraph(s, style string) error {
	if err := r.setFont(style, bodySize, black); err != nil {
		return err
	}
	ls, err := r.wrap(clean(s), contentW)
	if err != nil {
		return err
	}
	for _, l := range ls {
		r.room(bodyLine)
		if err := r.text(margin, r.y, l); err != nil {
			return err
		}
		r.y += bodyLine
	}
	r.y += 2
	return nil
}

// note writes a shaded line of text over the whole width.
func (r *renderer) note(s string) error {
	if err := r.setFont("B", bodySize, black); err != nil {
		return err
	}
	ls, err := r.wrap(line(s), contentW-6)
	if err != nil {
		return err
	}
	h := float64(len(ls))*bodyLine + 4
	r.fill(noteBg)
	r.stroke(boxLine, 0.3)
	r.pdf.RectFromUpperLeftWithStyle(margin, r.y, contentW, h, "FD")
	if err := r.lines(margin+3, r.y+2, ls); err != nil {
		return err
	}
	r.y += h + 4
	return nil
}

func (r *renderer) facts(facts [][2]string) error {
	const pad, labW = 4.0, 40.0
	h := 2*pad + float64(len(facts))*bodyLine
	r.fill(boxBg)
	r.stroke(boxLine, 0.3)
	r.pdf.RectFromUpperLeftWithStyle(margin, r.y, contentW, h, "FD")
	r.y += pad
	for _, f := range facts {
		if err := r.setFont("B", bodySize, muted); err != nil {
			return err
		}
		if err := r.text(margin+pad, r.y, line(f[0])); err != nil {
			return err
		}
		if err := r.setFont("", bodySize, black); err != nil {
			return err
		}
		if err := r.text(margin+pad+labW+gap, r.y, line(f[1])); err != nil {
			return err
		}
		r.y += bodyLine
	}
	r.y += pad + 6
	return nil
}

func (r *renderer) heading(s string, size, keep float64) error {
	if err := r.setFont("B", size, black); err != nil {
		return err
	}
	ls, err := r.wrap(line(s), contentW)
	if err != nil {
		return err
	}
	lh := size * 0.5
	r.room(float64(len(ls))*lh + keep)
	if err := r.lines(margin, r.y, ls); err != nil {
		return err
	}
	r.y += float64(len(ls))*lh + 2
	return nil
}

// item writes one part: its label and values, or its label and the note of its masking, or only
// the note of its withholding (over the whole width).
func (r *renderer) item(it Item) error {
	var labels, values []string
	var err error
	if it.Label != "" {
		if err := r.setFont("B", bodySize, muted); err != nil {
			return err
		}
		if labels, err = r.wrap(line(it.Label), labelW); err != nil {
			return err
		}
	}
	valueX, width := margin+labelW+gap, valueW
	if it.Label == "" {
		valueX, width = margin, contentW
	}
	style, colour := "", black
	if it.Note != "" {
		style, colour = "B", muted
		if err := r.setFont(style, bodySize, colour); err != nil {
			return err
		}
		if values, err = r.wrap(line("[ "+it.Note+" ]"), width); err != nil {
			return err
		}
	} else {
		if err := r.setFont(style, bodySize, colour); err != nil {
			return err
		}
		for _, v := range it.Values {
			ls, err := r.wrap(strings.TrimSpace(clean(v)), width)
			if err != nil {
				return err
			}
			values = append(values, ls...)
		}
	}
	n := max(len(labels), len(values), 1)
	if h := float64(n) * bodyLine; h <= (contentBottom-contentTop)/4 {
		r.room(h)
	} else {
		r.room(3 * bodyLine)
	}
	for i := range n {
		r.room(bodyLine)
		if i < len(labels) {
			if err := r.setFont("B", bodySize, muted); err != nil {
				return err
			}
			if err := r.text(margin, r.y, labels[i]); err != nil {
				return err
			}
		}
		if i < len(values) {
			if err := r.setFont(style, bodySize, colour); err != nil {
				return err
			}
			if err := r.text(valueX, r.y, values[i]); err != nil {
				return err
			}
		}
		r.y += bodyLine
	}
	r.stroke(rule, 0.2)
	r.pdf.Line(margin, r.y+0.5, margin+contentW, r.y+0.5)
	r.y += 2.5
	return nil
}

func (r *renderer) footers() error {
	total := r.pdf.GetNumberOfPages()
	footer := r.p.T("public.pdf.footer")
	if r.preview {
		footer = r.p.T("public.pdf.preview")
	}
	for n := 1; n <= total; n++ {
		if err := r.pdf.SetPage(n); err != nil {
			return fmt.Errorf("disclosure: page %d: %w", n, err)
		}
		r.stroke(rule, 0.3)
		r.pdf.Line(margin, footerTop-2, margin+contentW, footerTop-2)
		if err := r.setFont("", smallSize, muted); err != nil {
			return err
		}
		ls, err := r.wrap(line(footer), contentW-35)
		if err != nil {
			return err
		}
		for i, l := range ls {
			if err := r.text(margin, footerTop+float64(i)*smallLine, l); err != nil {
				return err
			}
		}
		if err := r.textRight(margin+contentW, footerTop, line(r.p.T("public.pdf.page", n, total))); err != nil {
			return err
		}
	}
	return nil
}

func (r *renderer) newPage() {
	r.pdf.AddPage()
	r.y = contentTop
	if r.pdf.GetNumberOfPages() == 1 {
		return
	}
	f := r.font
	_ = r.setFont("", smallSize, muted)
	_ = r.text(margin, r.y, line(r.a.Municipality))
	_ = r.textRight(margin+contentW, r.y, line(r.title()+" "+r.a.Reference))
	r.stroke(rule, 0.3)
	r.pdf.Line(margin, r.y+smallLine+1, margin+contentW, r.y+smallLine+1)
	r.y += smallLine + 6
	_ = r.setFont(f.style, f.size, f.color)
}

func (r *renderer) room(h float64) {
	if r.y+h > contentBottom && r.y > contentTop+smallLine+6 {
		r.newPage()
	}
}

func (r *renderer) setFont(style string, size float64, c [3]uint8) error {
	if err := r.pdf.SetFont(fontFamily, style, size); err != nil {
		return fmt.Errorf("disclosure: font: %w", err)
	}
	r.pdf.SetTextColor(c[0], c[1], c[2])
	r.font = fontState{style, size, c}
	return nil
}

func (r *renderer) fill(c [3]uint8) { r.pdf.SetFillColor(c[0], c[1], c[2]) }

func (r *renderer) stroke(c [3]uint8, width float64) {
	r.pdf.SetStrokeColor(c[0], c[1], c[2])
	r.pdf.SetLineWidth(width)
}

func (r *renderer) text(x, y float64, s string) error {
	if s == "" {
		return nil
	}
	r.pdf.SetXY(x, y)
	if err := r.pdf.Cell(nil, s); err != nil {
		return fmt.Errorf("disclosure: text: %w", err)
	}
	return nil
}

func (r *renderer) textRight(x, y float64, s string) error {
	w, err := r.width(s)
	if err != nil {
		return err
	}
	return r.text(x-w, y, s)
}

func (r *renderer) lines(x, y float64, ls []string) error {
	for i, s := range ls {
		if err := r.text(x, y+float64(i)*bodyLine, s); err != nil {
			return err
		}
	}
	return nil
}

func (r *renderer) width(s string) (float64, error) {
	if s == "" {
		return 0, nil
	}
	w, err := r.pdf.MeasureTextWidth(s)
	if err != nil {
		return 0, fmt.Errorf("disclosure: measure: %w", err)
	}
	return w, nil
}

// wrap breaks s into lines no wider than width in the current font, at its line breaks, between
// words, and inside a word wider than a line.
func (r *renderer) wrap(s string, width float64) ([]string, error) {
	space, err := r.width(" ")
	if err != nil {
		return nil, err
	}
	var out []string
	for _, para := range strings.Split(s, "\n") {
		var cur []string
		var curW float64
		flush := func() {
			out = append(out, strings.Join(cur, " "))
			cur, curW = nil, 0
		}
		words := strings.Fields(para)
		if len(words) == 0 {
			out = append(out, "")
			continue
		}
		for _, word := range words {
			ww, err := r.width(word)
			if err != nil {
				return nil, err
			}
			if len(cur) > 0 && curW+space+ww > width {
				flush()
			}
			for ww > width {
				rs := []rune(word)
				n := 1
				for n < len(rs) {
					w, err := r.width(string(rs[:n+1]))
					if err != nil {
						return nil, err
					}
					if w > width {
						break
					}
					n++
				}
				cur = []string{string(rs[:n])}
				flush()
				word = string(rs[n:])
				if ww, err = r.width(word); err != nil {
					return nil, err
				}
			}
			if len(cur) > 0 {
				curW += space
			}
			cur = append(cur, word)
			curW += ww
		}
		flush()
	}
	return out, nil
}

// clean makes a text safe to lay out: composed, "\n" line breaks, no control characters.
func clean(s string) string {
	s = norm.NFC.String(s)
	s = strings.ReplaceAll(s, "\r\n", "\n")
	return strings.Map(func(c rune) rune {
		switch {
		case c == '\n' || c == '\r':
			return '\n'
		case c == '\t':
			return ' '
		case unicode.IsControl(c) || unicode.Is(unicode.Cf, c):
			return -1
		}
		return c
	}, s)
}

func line(s string) string { return strings.TrimSpace(strings.ReplaceAll(clean(s), "\n", " ")) }

// meta is line for the document information, which holds one UTF-16 unit a character.
func meta(s string) string {
	return strings.Map(func(c rune) rune {
		if c > 0xFFFF {
			return unicode.ReplacementChar
		}
		return c
	}, line(s))
}
