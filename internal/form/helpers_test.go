package form

import (
	"os"
	"testing"
	"time"
)

// testNow is 17 May 2026, 10:00 in Stockholm.
var testNow = time.Date(2026, 5, 17, 8, 0, 0, 0, time.UTC)

func sv(s string) Text { return Text{"sv": s} }

func intp(n int) *int { return &n }

func floatp(f float64) *float64 { return &f }

// richDefinition returns the fixture definition covering every field type.
func richDefinition(t testing.TB) *Definition {
	t.Helper()
	b, err := os.ReadFile("testdata/rich.json")
	if err != nil {
		t.Fatal(err)
	}
	d, err := Parse(b)
	if err != nil {
		t.Fatalf("Parse(rich.json): %v", err)
	}
	return d
}

// richAnswers returns valid answers to every shown field of the rich definition, for a company.
func richAnswers() Answers {
	return Answers{
		"name":             {"Anna Andersson"},
		"pnr":              {"19121212-1212"},
		"contact.name":     {"Anna Andersson"},
		"contact.email":    {"anna@example.se"},
		"contact.phone":    {"070-123 45 67"},
		"addr.street":      {"Storgatan 1"},
		"addr.postal_code": {"12345"},
		"addr.city":        {"Småstad"},
		"kind":             {"company"},
		"org":              {"556036-0793"},
		"ref":              {"AB1234"},
		"amount":           {"1 000,50"},
		"children":         {"2"},
		"start":            {"2026-06-01"},
		"topics":           {"a", "c"},
		"area":             {"north"},
		"description":      {"Vi vill bygga ett förråd.\nDet blir litet."},
		"has_permit":       {"yes"},
		"permit_no":        {"T-123"},
		"attachments":      {"f1", "f2"},
		"gdpr":             {"yes"},
	}
}
