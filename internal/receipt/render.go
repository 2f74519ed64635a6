package receipt

import (
	"bytes"
	"errors"
	"fmt"
	"io"
	"strings"
	"unicode"

	"github.com/minasidor/minasidor/internal/i18n"
	"github.com/signintech/gopdf"
	"golang.org/x/image/font/gofont/gobold"
	"golang.org/x/image/font/gofont/goregular"
	"golang.org/x/text/unicode/norm"
)

// The page in millimetres: A4 with the content between the margins, and the footer below
// contentBottom.
const (
	pageW         = 210.0
	margin        = 20.0
	contentW      = pageW - 2*margin
	contentTop    = 18.0
	contentBottom = 270.0
	footerTop     = 276.0

	labelW = 55.0 // the label column of an answer
	gap    = 5.0
	valueW = contentW - labelW - gap

	fontFamily = "Go"
	bodySize   = 10.0 // points
	bodyLine   = 5.0  // the line height of body text
	smallSize  = 8.0
	smallLine  = 3.8
)

// Colours (grey levels).
var (
	muted   = [3]uint8{0x55, 0x55, 0x55}
	black   = [3]uint8{0x1a, 0x1a, 0x1a}
	rule    = [3]uint8{0xcc, 0xcc, 0xcc}
	boxBg   = [3]uint8{0xf2, 0xf2, 0xf2}
	boxLine = [3]uint8{0xb0, 0xb0, 0xb0}
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
	r, err := newRenderer(&doc)
	if err != nil {
		return err
	}
	if err := r.body(); err != nil {
		return err
	}
	if err := r.footers(); err != nil {
		return err
	}
	// gopdf ignores the errors of the writer it streams to: compile to memory, then write.
	var buf bytes.Buffer
	if _, err := r.pdf.WriteTo(&buf); err != nil {
		return fmt.Errorf("receipt: compile: %w", err)
	}
	if _, err := buf.WriteTo(w); err != nil {
		return fmt.Errorf("receipt: write: %w", err)
	}
	return nil
}

// renderer lays out one document; y is where the next line goes on the current page.
type renderer struct {
	pdf  *gopdf.GoPdf
	doc  *Document
	y    float64
	font fontState // the current font, set again after the running header of a new page
}

type fontState struct {
	style string
	size  float64
	color [3]uint8
}

func newRenderer(doc *Document) (*renderer, error) {
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
			return nil, fmt.Errorf("receipt: font: %w", err)
		}
	}
	pdf.SetInfo(gopdf.PdfInfo{
		Title:        meta(doc.Labels.Title + " " + doc.Reference),
		Author:       meta(doc.Municipality),
		Subject:      meta(doc.EService),
		Creator:      "Mina sidor",
		Producer:     "Mina sidor",
		CreationDate: doc.SubmittedAt.In(i18n.Stockholm), // the same receipt gives the same bytes
	})
	// gopdf writes no /Lang: the document language cannot be set.
	r := &renderer{pdf: pdf, doc: doc}
	r.newPage()
	return r, r.setFont("", bodySize, black)
}

// body lays out everything but the page footers.
func (r *renderer) body() error {
	d := r.doc
	if err := r.setFont("B", 11, muted); err != nil {
		return err
	}
	if err := r.text(margin, r.y, line(d.Municipality)); err != nil {
		return err
	}
	if err := r.setFont("B", 22, black); err != nil {
		return err
	}
	if err := r.text(margin, r.y+6, line(d.Labels.Title)); err != nil {
		return err
	}
	r.y += 17
	if err := r.factBox(); err != nil {
		return err
	}
	if len(d.Signatures) > 0 {
		if err := r.signatures(); err != nil {
			return err
		}
	}
	if len(d.Steps) > 0 {
		if err := r.heading(d.Labels.Answers, 15, bodyLine*3); err != nil {
			return err
		}
	}
	for _, s := range d.Steps {
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
	if len(d.Attachments) > 0 {
		return r.attachments()
	}
	return nil
}

// factBox is the grey box with the reference, the time, the e-service and the municipality.
func (r *renderer) factBox() error {
	d, l := r.doc, r.doc.Labels
	const pad, labW = 4.0, 40.0
	valW := contentW - 2*pad - labW - gap
	facts := []struct {
		label, value string
		bold         bool
	}{
		{l.Reference, d.Reference, true},
		{l.Submitted, i18n.DateTime(d.SubmittedAt), false},
		{l.EService, d.EService, false},
		{l.Municipality, d.Municipality, false},
	}
	type row struct {
		labels, values []string
		bold           bool
	}
	var rows []row
	h := 2 * pad
	for _, f := range facts {
		if err := r.setFont("B", bodySize, black); err != nil {
			return err
		}
		ls, err := r.wrap(line(f.label), labW)
		if err != nil {
			return err
		}
		style := ""
		if f.bold {
			style = "B"
		}
		if err := r.setFont(style, bodySize, black); err != nil {
			return err
		}
		vs, err := r.wrap(line(f.value), valW)
		if err != nil {
			return err
		}
		rows = append(rows, row{ls, vs, f.bold})
		h += float64(max(len(ls), len(vs))) * bodyLine
	}
	r.fill(boxBg)
	r.stroke(boxLine, 0.3)
	r.pdf.RectFromUpperLeftWithStyle(margin, r.y, contentW, h, "FD")
	r.y += pad
	for _, rw := range rows {
		if err := r.setFont("B", bodySize, muted); err != nil {
			return err
		}
		if err := r.lines(margin+pad, r.y, rw.labels); err != nil {
			return err
		}
		style := ""
		if rw.bold {
			style = "B"
		}
		if err := r.setFont(style, bodySize, black); err != nil {
			return err
		}
		if err := r.lines(margin+pad+labW+gap, r.y, rw.values); err != nil {
			return err
		}
		r.y += float64(max(len(rw.labels), len(rw.values))) * bodyLine
	}
	r.y += pad + 6
	return nil
}

// heading writes a bold heading, on a new page unless keep millimetres fit below it.
func (r *renderer) heading(s string, size float64, keep float64) error {
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

// item writes one answer: the label to the left, the values to the right, a rule below. An
// item longer than a quarter page is split across pages, line by line.
func (r *renderer) item(it Item) error {
	if err := r.setFont("B", bodySize, muted); err != nil {
		return err
	}
	labels, err := r.wrap(line(it.Label), labelW)
	if err != nil {
		return err
	}
	if err := r.setFont("", bodySize, black); err != nil {
		return err
	}
	var values []string
	for _, v := range it.Values {
		ls, err := r.wrap(strings.TrimSpace(clean(v)), valueW)
		if err != nil {
			return err
		}
		values = append(values, ls...)
	}
	unanswered := len(values) == 0
	if unanswered && r.doc.Labels.Unanswered != "" {
		values = []string{line(r.doc.Labels.Unanswered)}
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
			c := black
			if unanswered {
				c = muted
			}
			if err := r.setFont("", bodySize, c); err != nil {
				return err
			}
			if err := r.text(margin+labelW+gap, r.y, values[i]); err != nil {
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

// signatures lists who signed, in which role, with the time to the right.
func (r *renderer) signatures() error {
	if err := r.heading(r.doc.Labels.Signatures, 12, bodyLine*2); err != nil {
		return err
	}
	const whenW = 35.0
	for _, sg := range r.doc.Signatures {
		if err := r.setFont("", bodySize, black); err != nil {
			return err
		}
		texts, err := r.wrap(line(sg.Text), contentW-whenW-gap)
		if err != nil {
			return err
		}
		r.room(float64(len(texts)) * bodyLine)
		if err := r.lines(margin, r.y, texts); err != nil {
			return err
		}
		if err := r.setFont("", bodySize, muted); err != nil {
			return err
		}
		if err := r.textRight(margin+contentW, r.y, i18n.DateTime(sg.When)); err != nil {
			return err
		}
		r.y += float64(len(texts)) * bodyLine
		r.stroke(rule, 0.2)
		r.pdf.Line(margin, r.y+0.5, margin+contentW, r.y+0.5)
		r.y += 2.5
	}
	r.y += 3
	return nil
}

// attachments lists the files with their sizes to the right.
func (r *renderer) attachments() error {
	if err := r.heading(r.doc.Labels.Attachments, 12, bodyLine*2); err != nil {
		return err
	}
	const sizeW = 25.0
	for _, a := range r.doc.Attachments {
		if err := r.setFont("", bodySize, black); err != nil {
			return err
		}
		names, err := r.wrap(line(a.Name), contentW-sizeW-gap)
		if err != nil {
			return err
		}
		r.room(float64(len(names)) * bodyLine)
		if err := r.lines(margin, r.y, names); err != nil {
			return err
		}
		if err := r.setFont("", bodySize, muted); err != nil {
			return err
		}
		if err := r.textRight(margin+contentW, r.y, byteSize(a.Size, r.doc.Lang)); err != nil {
			return err
		}
		r.y += float64(len(names)) * bodyLine
		r.stroke(rule, 0.2)
		r.pdf.Line(margin, r.y+0.5, margin+contentW, r.y+0.5)
		r.y += 2.5
	}
	return nil
}

// footers writes the footer text and "page n of m" on every page, now that m is known.
func (r *renderer) footers() error {
	l := r.doc.Labels
	total := r.pdf.GetNumberOfPages()
	for p := 1; p <= total; p++ {
		if err := r.pdf.SetPage(p); err != nil {
			return fmt.Errorf("receipt: page %d: %w", p, err)
		}
		r.stroke(rule, 0.3)
		r.pdf.Line(margin, footerTop-2, margin+contentW, footerTop-2)
		if err := r.setFont("", smallSize, muted); err != nil {
			return err
		}
		if l.Footer != "" {
			ls, err := r.wrap(clean(l.Footer), contentW-35)
			if err != nil {
				return err
			}
			if err := r.linesH(margin, footerTop, ls, smallLine); err != nil {
				return err
			}
		}
		if l.Page != "" {
			if err := r.textRight(margin+contentW, footerTop, line(fmt.Sprintf(l.Page, p, total))); err != nil {
				return err
			}
		}
	}
	return nil
}

// newPage starts a page; a page after the first has the municipality and the reference on top.
func (r *renderer) newPage() {
	r.pdf.AddPage()
	r.y = contentTop
	if r.pdf.GetNumberOfPages() == 1 {
		return
	}
	// Errors here are font errors, which the first page met already.
	f := r.font
	_ = r.setFont("", smallSize, muted)
	_ = r.text(margin, r.y, line(r.doc.Municipality))
	_ = r.textRight(margin+contentW, r.y, line(r.doc.Labels.Title+" "+r.doc.Reference))
	r.stroke(rule, 0.3)
	r.pdf.Line(margin, r.y+smallLine+1, margin+contentW, r.y+smallLine+1)
	r.y += smallLine + 6
	_ = r.setFont(f.style, f.size, f.color)
}

// room starts a new page unless h millimetres fit on this one.
func (r *renderer) room(h float64) {
	if r.y+h > contentBottom && r.y > contentTop+smallLine+6 {
		r.newPage()
	}
}

func (r *renderer) setFont(style string, size float64, c [3]uint8) error {
	if err := r.pdf.SetFont(fontFamily, style, size); err != nil {
		return fmt.Errorf("receipt: font: %w", err)
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

// text writes s with its top left corner at x, y.
func (r *renderer) text(x, y float64, s string) error {
	if s == "" {
		return nil
	}
	r.pdf.SetXY(x, y)
	if err := r.pdf.Cell(nil, s); err != nil {
		return fmt.Errorf("receipt: text: %w", err)
	}
	return nil
}

// textRight writes s with its top right corner at x, y.
func (r *renderer) textRight(x, y float64, s string) error {
	w, err := r.width(s)
	if err != nil {
		return err
	}
	return r.text(x-w, y, s)
}

// lines writes ls below each other in body line height.
func (r *renderer) lines(x, y float64, ls []string) error {
	return r.linesH(x, y, ls, bodyLine)
}

func (r *renderer) linesH(x, y float64, ls []string, lh float64) error {
	for i, s := range ls {
		if err := r.text(x, y+float64(i)*lh, s); err != nil {
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
		return 0, fmt.Errorf("receipt: measure: %w", err)
	}
	return w, nil
}

// wrap breaks s into lines no wider than width in the current font: at its line breaks, between
// words, and inside a word that is wider than a line. An empty line stays (as a paragraph gap).
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
			for ww > width { // a word longer than a line: break it where it must
				head, tail, err := r.cut(word, width)
				if err != nil {
					return nil, err
				}
				cur = []string{head}
				flush()
				word = tail
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

// cut splits a word into the longest head that fits width (at least one character) and the rest.
func (r *renderer) cut(word string, width float64) (head, tail string, err error) {
	rs := []rune(word)
	n := 1
	for n < len(rs) {
		w, err := r.width(string(rs[:n+1]))
		if err != nil {
			return "", "", err
		}
		if w > width {
			break
		}
		n++
	}
	return string(rs[:n]), string(rs[n:]), nil
}

// clean makes a text safe to lay out: composed (NFC, so an "Å" typed as A and a ring, as macOS
// names files, is one glyph), line breaks as "\n", tabs as spaces, no other control or format
// characters.
func clean(s string) string {
	s = norm.NFC.String(s)
	s = strings.ReplaceAll(s, "\r\n", "\n")
	return strings.Map(func(c rune) rune {
		switch {
		case c == '\n' || c == '\r':
			return '\n'
		case c == '\t':
			return ' '
		case unicode.IsControl(c) || unicode.Is(unicode.Cf, c): // such as a zero-width space
			return -1
		}
		return c
	}, s)
}

// line is clean for a text of one line.
func line(s string) string {
	return strings.TrimSpace(strings.ReplaceAll(clean(s), "\n", " "))
}

// meta is line for the document information, where gopdf writes one UTF-16 unit a character:
// a character outside the Basic Multilingual Plane, such as an emoji, becomes U+FFFD.
func meta(s string) string {
	return strings.Map(func(c rune) rune {
		if c > 0xFFFF {
			return unicode.ReplacementChar
		}
		return c
	}, line(s))
}
