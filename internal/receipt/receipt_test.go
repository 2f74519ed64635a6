package receipt

import (
	"bytes"
	"fmt"
	"io"
	"strings"
	"testing"
	"time"

	"github.com/ledongthuc/pdf"
)

var swedish = Labels{
	Title:        "Kvitto",
	Reference:    "Ärendenummer",
	Submitted:    "Inskickat",
	EService:     "E-tjänst",
	Municipality: "Kommun",
	Answers:      "Dina svar",
	Attachments:  "Bifogade filer",
	Unanswered:   "Inte besvarad",
	Footer:       "Ärendet är en allmän handling. Den som begär att få ta del av det får det efter en sekretessprövning.",
	Page:         "Sida %d av %d",
}

var english = Labels{
	Title:        "Receipt",
	Reference:    "Case number",
	Submitted:    "Submitted",
	EService:     "E-service",
	Municipality: "Municipality",
	Answers:      "Your answers",
	Attachments:  "Attached files",
	Footer:       "The case is now a public document.",
	Page:         "Page %d of %d",
}

// longText is about 3000 characters in paragraphs, with Swedish letters and a blank line.
func longText() string {
	var b strings.Builder
	for i := 0; b.Len() < 3000; i++ {
		fmt.Fprintf(&b, "Stycke %d: Tillbyggnaden av förrådet på gården ska följa detaljplanens bestämmelser om höjd och färg. ", i)
		if i%3 == 2 {
			b.WriteString("\r\n\r\n")
		} else if i%3 == 1 {
			b.WriteString("\n")
		}
	}
	return b.String()
}

func bygglov() Document {
	d := Document{
		Municipality: "Alingsås kommun",
		EService:     "Ansökan om bygglov",
		Reference:    "ALI-2026-000123",
		SubmittedAt:  time.Date(2026, 11, 22, 13, 5, 0, 0, time.UTC), // 14:05 in Stockholm
		Lang:         "sv",
		Labels:       swedish,
		Steps: []Step{{
			Title: "Sökande",
			Items: []Item{
				{Label: "Namn", Values: []string{"Åsa Öberg"}},
				{Label: "Adress", Values: []string{"c/o Ärlig", "Gärdesgatan 5", "441 30 Alingsås"}},
				{Label: "Beskrivning av åtgärden", Values: []string{longText()}},
				{Label: "Fastighetsbeteckning", Values: nil},
			},
		}},
		Attachments: []Attachment{
			{Name: "situationsplan-gärdesgatan.pdf", Size: 734003},
			{Name: "Fasadritning \u00d6ster.png", Size: 2_500_000},
		},
	}
	for i := 1; i <= 40; i++ {
		d.Steps = append(d.Steps, Step{
			Title: fmt.Sprintf("Steg %d – Åtgärder", i),
			Items: []Item{{Label: fmt.Sprintf("Fråga %d om höjd", i), Values: []string{fmt.Sprintf("Svar %d: ja, över 4,5 meter", i)}}},
		})
	}
	return d
}

func render(t *testing.T, d Document) []byte {
	t.Helper()
	var buf bytes.Buffer
	if err := Render(&buf, d); err != nil {
		t.Fatalf("Render: %v", err)
	}
	return buf.Bytes()
}

// extract reads the text and the page count back from a PDF.
func extract(t *testing.T, b []byte) (string, int, *pdf.Reader) {
	t.Helper()
	r, err := pdf.NewReader(bytes.NewReader(b), int64(len(b)))
	if err != nil {
		t.Fatalf("read PDF: %v", err)
	}
	rd, err := r.GetPlainText()
	if err != nil {
		t.Fatalf("PDF text: %v", err)
	}
	text, err := io.ReadAll(rd)
	if err != nil {
		t.Fatalf("PDF text: %v", err)
	}
	return string(text), r.NumPage(), r
}

func TestRenderSwedish(t *testing.T) {
	d := bygglov()
	b := render(t, d)
	t.Logf("%d steps, %d bytes", len(d.Steps), len(b))
	if !bytes.HasPrefix(b, []byte("%PDF-")) {
		t.Fatalf("starts with %q, want %%PDF-", b[:min(len(b), 8)])
	}
	if !bytes.Contains(b, []byte("/FlateDecode")) {
		t.Error("the streams are not compressed")
	}
	text, pages, r := extract(t, b)
	if pages < 2 {
		t.Errorf("%d pages, want several", pages)
	}
	want := []string{
		"ALI-2026-000123", "Alingsås kommun", "Ansökan om bygglov", "2026-11-22 14:05",
		"Kvitto", "Ärendenummer", "Inskickat", "E-tjänst", "Kommun", "Dina svar", "Bifogade filer",
		"Sökande", "Namn", "Åsa Öberg", "Adress", "c/o Ärlig", "Gärdesgatan 5", "441 30 Alingsås",
		"Beskrivning av åtgärden", "Fastighetsbeteckning", "Inte besvarad",
		"situationsplan-gärdesgatan.pdf", "Fasadritning Öster.png", "716 kB", "2,4 MB",
		"Ärendet är en allmän handling.", fmt.Sprintf("Sida 1 av %d", pages), fmt.Sprintf("Sida %d av %d", pages, pages),
	}
	for i := 1; i <= 40; i++ {
		want = append(want, fmt.Sprintf("Steg %d – Åtgärder", i), fmt.Sprintf("Fråga %d om höjd", i), fmt.Sprintf("Svar %d: ja, över 4,5 meter", i))
	}
	for _, w := range want {
		if !strings.Contains(text, w) {
			t.Errorf("the PDF text lacks %q", w)
		}
	}
	// Every word of the long text is there, in order, whatever the wrapping and page breaks.
	rest := text
	for _, w := range strings.Fields(longText()) {
		i := strings.Index(rest, w)
		if i < 0 {
			t.Fatalf("the long text is cut at %q", w)
		}
		rest = rest[i+len(w):]
	}

	info := r.Trailer().Key("Info")
	for key, want := range map[string]string{
		"Title": "Kvitto ALI-2026-000123", "Author": "Alingsås kommun",
		"Subject": "Ansökan om bygglov", "Creator": "Mina sidor",
	} {
		if got := info.Key(key).Text(); got != want {
			t.Errorf("/%s = %q, want %q", key, got, want)
		}
	}
}

func TestRenderEnglish(t *testing.T) {
	d := bygglov()
	d.Lang, d.Labels = "en", english
	d.Steps, d.Attachments = d.Steps[:1], d.Attachments[1:]
	text, pages, _ := extract(t, render(t, d))
	for _, w := range []string{"Receipt", "Case number", "Your answers", "Attached files", "2.4 MB", fmt.Sprintf("Page 1 of %d", pages)} {
		if !strings.Contains(text, w) {
			t.Errorf("the PDF text lacks %q", w)
		}
	}
	for _, w := range []string{"Kvitto", "Sida", "Inte besvarad"} {
		if strings.Contains(text, w) {
			t.Errorf("the English PDF has the Swedish %q", w)
		}
	}
}

// Text as it comes from browsers: decomposed letters (macOS file names), tabs, carriage
// returns, control characters, characters the font lacks, one word longer than a line.
func TestRenderAwkwardText(t *testing.T) {
	d := bygglov()
	d.Steps = []Step{{Title: "Övrigt", Items: []Item{
		{Label: "Namn", Values: []string{"A\u030asa O\u0308berg"}},
		{Label: "Meddelande", Values: []string{"rad ett\rrad\ttvå\x00\x07 slut 😀 \u200bx", strings.Repeat("lång", 100)}},
	}}}
	d.Attachments = []Attachment{{Name: "ritning-va\u0308g.pdf", Size: 12}}
	text, _, _ := extract(t, render(t, d))
	for _, w := range []string{"Åsa Öberg", "rad ett", "rad två slut ? x", "ritning-väg.pdf", "12 B"} {
		if !strings.Contains(text, w) {
			t.Errorf("the PDF text lacks %q", w)
		}
	}
	if got := strings.Count(text, "lång"); got != 100 {
		t.Errorf("the long word has %d of its 100 parts", got)
	}
}

func TestRenderIsDeterministic(t *testing.T) {
	if a, b := render(t, bygglov()), render(t, bygglov()); !bytes.Equal(a, b) {
		t.Error("the same document gave different bytes")
	}
}

func TestRenderInvalid(t *testing.T) {
	if err := Render(nil, bygglov()); err == nil {
		t.Error("nil writer: no error")
	}
	for name, change := range map[string]func(*Document){
		"no reference":  func(d *Document) { d.Reference = " " },
		"no time":       func(d *Document) { d.SubmittedAt = time.Time{} },
		"page label":    func(d *Document) { d.Labels.Page = "Sida %d" },
		"page label %s": func(d *Document) { d.Labels.Page = "Sida %d av %s" },
	} {
		d := bygglov()
		change(&d)
		var buf bytes.Buffer
		if err := Render(&buf, d); err == nil {
			t.Errorf("%s: no error", name)
		}
		if buf.Len() != 0 {
			t.Errorf("%s: wrote %d bytes", name, buf.Len())
		}
	}
}

type failingWriter struct{}

func (failingWriter) Write([]byte) (int, error) { return 0, io.ErrClosedPipe }

func TestRenderWriteError(t *testing.T) {
	if err := Render(failingWriter{}, bygglov()); err == nil {
		t.Error("a failing writer: no error")
	}
}

func TestByteSize(t *testing.T) {
	for _, c := range []struct {
		n          int64
		lang, want string
	}{
		{0, "sv", "0 B"}, {1023, "sv", "1023 B"}, {1024, "sv", "1 kB"}, {734003, "sv", "716 kB"},
		{2_500_000, "sv", "2,4 MB"}, {2_500_000, "en", "2.4 MB"},
	} {
		if got := byteSize(c.n, c.lang); got != c.want {
			t.Errorf("byteSize(%d, %s) = %q, want %q", c.n, c.lang, got, c.want)
		}
	}
}

// A signed case's receipt lists its signatures, who in which role and when, before the answers.
func TestRenderSignatures(t *testing.T) {
	d := bygglov()
	d.Labels.Signatures = "Underskrifter"
	d.Signatures = []Signature{
		{Text: "Johan Bergström, vårdnadshavare", When: time.Date(2026, 11, 20, 8, 30, 0, 0, time.UTC)},
		{Text: "Emma Bergström, vårdnadshavare", When: time.Date(2026, 11, 22, 12, 59, 0, 0, time.UTC)},
	}
	text, _, _ := extract(t, render(t, d))
	for _, w := range []string{"Underskrifter", "Johan Bergström, vårdnadshavare", "2026-11-20 09:30",
		"Emma Bergström, vårdnadshavare", "2026-11-22 13:59"} {
		if !strings.Contains(text, w) {
			t.Errorf("the PDF text lacks %q", w)
		}
	}
	if strings.Index(text, "Underskrifter") > strings.Index(text, "Dina svar") {
		t.Error("the signatures come after the answers")
	}
}
