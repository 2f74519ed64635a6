// Package receipt renders the receipt ("kvitto") of a submitted case as an A4 PDF for the
// citizen to download and keep. The caller supplies every text, the fixed ones translated
// (Labels) and the answers as shown on the HTML receipt (Steps), so the receipt works in every
// language of the catalogue; the package only lays them out.
package receipt

import (
	"errors"
	"fmt"
	"strings"
	"time"
)

// Document is everything the receipt shows.
type Document struct {
	Municipality string
	EService     string
	Reference    string
	SubmittedAt  time.Time // shown as date and clock in Stockholm
	Lang         string    // the language of the texts, "sv" or "en": the decimal mark of sizes
	Labels       Labels
	Steps        []Step
	Attachments  []Attachment
	Signatures   []Signature // the signatures the case was submitted with
}

// Labels are the fixed texts of the receipt in the document's language.
type Labels struct {
	Title        string // "Kvitto"
	Reference    string // "Ärendenummer"
	Submitted    string // "Inskickat"
	EService     string // "E-tjänst"
	Municipality string // "Kommun"
	Answers      string // "Dina svar"
	Attachments  string // "Bifogade filer"
	Unanswered   string // shown for an item without values; may be empty
	Footer       string // on every page, e.g. "Ärendet är en allmän handling ..."; may be empty
	Page         string // "Sida %d av %d": the page number, then the number of pages
	Signatures   string // "Underskrifter"
}

// Step is one step of the e-service with its answers, as form.SummaryStep.
type Step struct {
	Title string
	Items []Item
}

// Item is the answer to one field: its label and display values, one value a line or more
// (a long text keeps its line breaks).
type Item struct {
	Label  string
	Values []string
}

// Signature is a signature the case was submitted with: who and in which role, as one text,
// and when.
type Signature struct {
	Text string
	When time.Time // shown as date and clock in Stockholm
}

// Attachment is a file submitted with the case.
type Attachment struct {
	Name string
	Size int64 // bytes
}

// validate reports a document that cannot make a receipt.
func (d *Document) validate() error {
	if strings.TrimSpace(d.Reference) == "" {
		return errors.New("receipt: the document has no reference")
	}
	if d.SubmittedAt.IsZero() {
		return errors.New("receipt: the document has no submission time")
	}
	if d.Labels.Page != "" && strings.Count(d.Labels.Page, "%d") != 2 {
		return fmt.Errorf("receipt: the page label %q needs two %%d, the page and the number of pages", d.Labels.Page)
	}
	return nil
}

// byteSize formats a file size as on the web pages, with a decimal comma except in English.
func byteSize(n int64, lang string) string {
	var s string
	switch {
	case n >= 1<<20:
		s = fmt.Sprintf("%.1f MB", float64(n)/(1<<20))
	case n >= 1<<10:
		return fmt.Sprintf("%d kB", n>>10)
	default:
		return fmt.Sprintf("%d B", n)
	}
	if lang != "en" {
		s = strings.Replace(s, ".", ",", 1)
	}
	return s
}
