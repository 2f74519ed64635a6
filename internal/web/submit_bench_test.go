package web_test

import (
	"context"
	"fmt"
	"net/http"
	"net/http/cookiejar"
	"net/url"
	"regexp"
	"strings"
	"testing"
	"time"

	"github.com/google/uuid"
	"github.com/minasidor/minasidor/internal/web/webtest"
)

// tenFieldForm is one step with ten fields of mixed types.
const tenFieldForm = `{"steps": [{"key": "arende", "title": {"sv": "Ärendet"}, "fields": [
	{"key": "subject", "type": "short_text", "required": true, "label": {"sv": "Rubrik"}, "rules": {"maxLength": 100}},
	{"key": "details", "type": "long_text", "required": true, "label": {"sv": "Beskrivning"}, "rules": {"minLength": 10}},
	{"key": "amount", "type": "number", "required": true, "label": {"sv": "Antal"}, "rules": {"min": 0, "max": 1000}},
	{"key": "happened", "type": "date", "required": true, "label": {"sv": "Datum"}, "rules": {"maxDate": "today"}},
	{"key": "email", "type": "email", "required": true, "label": {"sv": "E-postadress"}},
	{"key": "phone", "type": "phone", "label": {"sv": "Telefonnummer"}},
	{"key": "area", "type": "dropdown", "required": true, "label": {"sv": "Område"},
	 "options": [{"value": "norr", "label": {"sv": "Norr"}}, {"value": "syd", "label": {"sv": "Syd"}}]},
	{"key": "urgent", "type": "yes_no", "required": true, "label": {"sv": "Är det bråttom?"}},
	{"key": "reply", "type": "single_choice", "required": true, "label": {"sv": "Hur vill du få svar?"},
	 "options": [{"value": "epost", "label": {"sv": "E-post"}}, {"value": "telefon", "label": {"sv": "Telefon"}}]},
	{"key": "correct", "type": "consent", "required": true, "label": {"sv": "Jag intygar att uppgifterna stämmer"}}
]}]}`

// tenFieldAnswers are valid answers to tenFieldForm's step.
var tenFieldAnswers = url.Values{
	"action":   {"next"},
	"subject":  {"Trasig parkbänk"},
	"details":  {"Bänken vid dammen i Nolhagaparken har en trasig sittbräda."},
	"amount":   {"2"},
	"happened": {time.Now().AddDate(0, 0, -3).Format("2006-01-02")},
	"email":    {"anmalare@example.se"},
	"phone":    {"070-123 45 67"},
	"area":     {"norr"},
	"urgent":   {"no"},
	"reply":    {"epost"},
	"correct":  {"yes"},
}

// BenchmarkSubmitTenFieldCase submits a one-step, ten-field e-service as visitors do, through
// the real server and PostgreSQL: start, post the step, submit (three requests a case). Each
// parallel worker is its own browser with its own cookie jar.
//
//	./bin/minasidor testdb -- go test -run XXX -bench SubmitTenField -benchtime 5s ./internal/web/
func BenchmarkSubmitTenFieldCase(b *testing.B) {
	p := webtest.Start(b)
	ctx := context.Background()
	publishTenFields(b, p)
	var eserviceID uuid.UUID
	if err := p.Pool.QueryRow(ctx, `SELECT id FROM eservice WHERE slug = 'tio-falt'`).Scan(&eserviceID); err != nil {
		b.Fatal(err)
	}
	// One submission outside the clock checks that the answers pass.
	if err := submitTenFields(p, benchClient()); err != nil {
		b.Fatal(err)
	}

	b.SetParallelism(2) // 2 × GOMAXPROCS browsers, so that the CPUs work while others wait on the database
	b.ResetTimer()
	b.RunParallel(func(pb *testing.PB) {
		c := benchClient()
		for pb.Next() {
			if err := submitTenFields(p, c); err != nil {
				b.Error(err)
				return
			}
		}
	})
	b.StopTimer()
	b.ReportMetric(float64(b.N)/b.Elapsed().Seconds(), "submissions/s")

	var cases int
	p.Pool.QueryRow(ctx, `SELECT count(*) FROM cases WHERE eservice_id = $1`, eserviceID).Scan(&cases)
	if cases != b.N+1 {
		b.Errorf("%d cases for %d submissions", cases, b.N+1)
	}
}

func benchClient() *http.Client {
	jar, _ := cookiejar.New(nil)
	return &http.Client{
		Jar:           jar,
		Timeout:       time.Minute,
		CheckRedirect: func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse },
	}
}

var benchStep = regexp.MustCompile(`^/utkast/([0-9a-f-]{36})/steg/arende$`)

// submitTenFields starts the e-service, answers its step and submits it.
func submitTenFields(p *webtest.Portal, c *http.Client) error {
	status, loc, err := rawPost(p, c, "/e-tjanster/tio-falt/starta", nil)
	if err != nil {
		return err
	}
	m := benchStep.FindStringSubmatch(loc)
	if status != http.StatusSeeOther || m == nil {
		return fmt.Errorf("start: status %d, location %q", status, loc)
	}
	draft := "/utkast/" + m[1]
	if status, loc, err = rawPost(p, c, loc, tenFieldAnswers); err != nil {
		return err
	}
	if status != http.StatusSeeOther || loc != draft+"/granska" {
		return fmt.Errorf("step: status %d, location %q", status, loc)
	}
	if status, loc, err = rawPost(p, c, draft+"/skicka", nil); err != nil {
		return err
	}
	if status != http.StatusSeeOther || !strings.HasPrefix(loc, "/arenden/") {
		return fmt.Errorf("submit: status %d, location %q", status, loc)
	}
	return nil
}
