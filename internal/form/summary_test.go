package form

import (
	"testing"

	"github.com/google/go-cmp/cmp"
)

func TestSummary(t *testing.T) {
	d := richDefinition(t)
	tr := func(key string) string {
		return map[string]string{"form.yes": "Ja", "form.no": "Nej", "form.consent.given": "Godkänt"}[key]
	}
	a := richAnswers()
	a["addr.care_of"] = []string{"Berg"}
	a["topics"] = []string{"c", "a"} // shown in the order of the options
	a["area"] = []string{"unknown"}  // not an option: shown as it is
	a["newsletter"] = []string{"yes"}
	a["note"] = []string{"hidden, newsletter is yes"}
	delete(a, "ref")

	want := []SummaryStep{
		{Key: "applicant", Title: "Sökande", Items: []SummaryItem{
			{Field: "name", Input: "name", Label: "Namn", Type: ShortText, Values: []string{"Anna Andersson"}},
			{Field: "pnr", Input: "pnr", Label: "Personnummer", Type: PersonalNumber, Values: []string{"19121212-1212"}},
			{Field: "contact", Input: "contact.name", Label: "Kontaktuppgifter", Type: Contact,
				Values: []string{"Anna Andersson", "anna@example.se", "070-123 45 67"}},
			{Field: "addr", Input: "addr.street", Label: "Adress", Type: Address,
				Values: []string{"c/o Berg", "Storgatan 1", "12345 Småstad"}},
		}},
		{Key: "matter", Title: "Ärendet", Items: []SummaryItem{
			{Field: "kind", Input: "kind", Label: "Söker du som privatperson eller företag?", Type: SingleChoice, Values: []string{"Företag"}},
			{Field: "org", Input: "org", Label: "Organisationsnummer", Type: OrgNumber, Values: []string{"556036-0793"}},
			{Field: "amount", Input: "amount", Label: "Belopp", Type: Number, Values: []string{"1000,50"}},
			{Field: "children", Input: "children", Label: "Antal barn", Type: Number, Values: []string{"2"}},
			{Field: "start", Input: "start", Label: "Startdatum", Type: Date, Values: []string{"2026-06-01"}},
			{Field: "topics", Input: "topics", Label: "Ämnen", Type: MultipleChoice, Values: []string{"Alfa", "Gamma"}},
			{Field: "area", Input: "area", Label: "Område", Type: Dropdown, Values: []string{"unknown"}},
			{Field: "description", Input: "description", Label: "Beskrivning", Type: LongText,
				Values: []string{"Vi vill bygga ett förråd.\nDet blir litet."}},
		}},
		{Key: "extra", Title: "Tillstånd", Items: []SummaryItem{
			{Field: "has_permit", Input: "has_permit", Label: "Har ni tillstånd?", Type: YesNo, Values: []string{"Ja"}},
			{Field: "permit_no", Input: "permit_no", Label: "Tillståndsnummer", Type: ShortText, Values: []string{"T-123"}},
			{Field: "attachments", Input: "attachments", Label: "Bilagor", Type: File, Values: []string{"f1", "f2"}},
		}},
		{Key: "finish", Title: "Samtycke", Items: []SummaryItem{
			{Field: "gdpr", Input: "gdpr", Label: "Jag har läst hur mina personuppgifter behandlas", Type: Consent, Values: []string{"Godkänt"}},
			{Field: "newsletter", Input: "newsletter", Label: "Jag vill ha nyhetsbrev", Type: Consent, Values: []string{"Godkänt"}},
		}},
	}
	if diff := cmp.Diff(want, d.Summary(a, "sv", tr)); diff != "" {
		t.Errorf("Summary sv (-want +got):\n%s", diff)
	}

	t.Run("English, unanswered required fields, hidden steps", func(t *testing.T) {
		a := Answers{"kind": {"private"}, "amount": {"12,5"}, "has_permit": {"no"}}
		got := d.Summary(a, "en", nil)
		want := []SummaryStep{
			{Key: "applicant", Title: "Applicant", Items: []SummaryItem{
				{Field: "name", Input: "name", Label: "Name", Type: ShortText},
				{Field: "pnr", Input: "pnr", Label: "Personnummer", Type: PersonalNumber},
				{Field: "contact", Input: "contact.name", Label: "Kontaktuppgifter", Type: Contact},
			}},
			{Key: "matter", Title: "Ärendet", Items: []SummaryItem{
				{Field: "kind", Input: "kind", Label: "Söker du som privatperson eller företag?", Type: SingleChoice, Values: []string{"Private person"}},
				{Field: "amount", Input: "amount", Label: "Belopp", Type: Number, Values: []string{"12.5"}},
				{Field: "start", Input: "start", Label: "Startdatum", Type: Date},
				{Field: "description", Input: "description", Label: "Beskrivning", Type: LongText},
			}},
			{Key: "finish", Title: "Samtycke", Items: []SummaryItem{
				// budget is shown (amount is 12,5) but neither answered nor required
				{Field: "gdpr", Input: "gdpr", Label: "Jag har läst hur mina personuppgifter behandlas", Type: Consent},
			}},
		}
		if diff := cmp.Diff(want, got); diff != "" {
			t.Errorf("Summary en (-want +got):\n%s", diff)
		}
	})

	t.Run("yes_no no", func(t *testing.T) {
		got := d.Summary(Answers{"kind": {"company"}, "has_permit": {"no"}}, "sv", tr)
		if got[2].Key != "extra" || cmp.Diff([]string{"Nej"}, got[2].Items[0].Values) != "" {
			t.Errorf("Summary extra = %+v", got[2])
		}
	})
}
