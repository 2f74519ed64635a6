package web_test

import (
	"net/http"
	"net/url"
	"regexp"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/minasidor/minasidor/internal/config"
	"github.com/minasidor/minasidor/internal/notify"
	"github.com/minasidor/minasidor/internal/web/webtest"
)

// confirmClock is the notifier's clock in these tests: time passes only when the test says so.
type confirmClock struct {
	mu  sync.Mutex
	now time.Time
}

func (c *confirmClock) Now() time.Time {
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.now
}

func (c *confirmClock) Set(t time.Time) {
	c.mu.Lock()
	defer c.mu.Unlock()
	c.now = t
}

// stockholmAt is hh:mm on 22 November 2026 in Stockholm.
func stockholmAt(t *testing.T, hhmm string) time.Time {
	t.Helper()
	loc, err := time.LoadLocation("Europe/Stockholm")
	if err != nil {
		t.Fatal(err)
	}
	at, err := time.ParseInLocation("2006-01-02 15:04", "2026-11-22 "+hhmm, loc)
	if err != nil {
		t.Fatal(err)
	}
	return at
}

var sixDigitCode = regexp.MustCompile(`\b\d{6}\b`)

// The bypass of issue 11 over HTTP: send a code, type five wrong ones (which spends it), send
// again at once, and so on. The new code is refused until a minute has passed, the hour's wrong
// guesses stop at ten, and each refusal says on Mina uppgifter from when to try again, with the
// code the citizen typed still in its field.
func TestConfirmCodeLimits(t *testing.T) {
	p := webtest.Start(t)
	clock := &confirmClock{now: stockholmAt(t, "13:00")}
	p.Notices.SetClock(clock.Now)
	b := loggedIn(t, p, "adult")
	const addr = "karin.limits@example.se"
	if resp, _ := b.post("/mina-sidor/uppgifter", url.Values{"email": {addr}, "preferred_channel": {"email"}}); resp.StatusCode != http.StatusSeeOther {
		t.Fatalf("save contact: %d", resp.StatusCode)
	}
	mailbox := func() (codes []string) {
		t.Helper()
		items, err := notify.DevMailbox(t.Context(), p.Pool, 100)
		if err != nil {
			t.Fatal(err)
		}
		for _, m := range items {
			if m.Recipient == addr {
				codes = append(codes, sixDigitCode.FindString(m.Body))
			}
		}
		return codes
	}
	send := func() (*http.Response, string) {
		t.Helper()
		return b.post("/mina-sidor/uppgifter/kod", url.Values{"channel": {"email"}})
	}
	verify := func(code string) (*http.Response, string) {
		t.Helper()
		return b.post("/mina-sidor/uppgifter/bekrafta", url.Values{"channel": {"email"}, "code": {code}})
	}
	expect := func(what string, resp *http.Response, body string, status int, wants ...string) {
		t.Helper()
		if resp.StatusCode != status {
			t.Errorf("%s: status %d, want %d: %s", what, resp.StatusCode, status, errorText(body))
		}
		assertContains(t, what, body, wants...)
	}

	// 13:00. The first code, and five wrong guesses that spend it.
	resp, _ := send()
	if resp.StatusCode != http.StatusSeeOther {
		t.Fatalf("send a code: %d", resp.StatusCode)
	}
	code := mailbox()[0]
	wrong := "000000"
	if code == wrong {
		wrong = "000001"
	}
	for range notify.CodeMaxAttempts - 1 {
		resp, body := verify(wrong)
		expect("a wrong code", resp, body, http.StatusUnprocessableEntity, "Koden stämmer inte", `value="`+wrong+`"`)
	}
	resp, body := verify(wrong)
	expect("the fifth wrong code", resp, body, http.StatusUnprocessableEntity, "Du har skrivit fel kod för många gånger. Be om en ny kod.")

	// A new code at once, as the bypass did, is refused until 13:01, however often it is asked for.
	for range 5 {
		resp, body := send()
		expect("a new code at once", resp, body, http.StatusTooManyRequests, "Vi har nyss skickat en kod. Du kan be om en ny kod kl. 13:01.")
		if got := resp.Header.Get("Retry-After"); got != stockholmAt(t, "13:01").UTC().Format(http.TimeFormat) {
			t.Errorf("Retry-After %q", got)
		}
		resp, body = verify(code)
		expect("the spent code", resp, body, http.StatusUnprocessableEntity, "Det finns ingen giltig kod")
	}
	if n := len(mailbox()); n != 1 {
		t.Fatalf("%d codes sent in the first minute, want 1", n)
	}

	// 13:01. A second code; its fifth wrong guess is the hour's tenth.
	clock.Set(stockholmAt(t, "13:01"))
	if resp, body := send(); resp.StatusCode != http.StatusSeeOther {
		t.Fatalf("a code a minute later: %d: %s", resp.StatusCode, errorText(body))
	}
	code = mailbox()[0]
	wrong = "000000"
	if code == wrong {
		wrong = "000001"
	}
	for range notify.CodeMaxAttempts - 1 {
		resp, body := verify(wrong)
		expect("a wrong code", resp, body, http.StatusUnprocessableEntity, "Koden stämmer inte")
	}
	typed := "12 34 56" // wrong, as typed with spaces
	if code == "123456" {
		typed = "65 43 21"
	}
	resp, body = verify(typed)
	expect("the tenth wrong code", resp, body, http.StatusTooManyRequests,
		"Du har skrivit fel kod för många gånger. Av säkerhetsskäl kan du försöka igen kl. 14:00.", `value="`+typed+`"`)

	// Until 14:00: no new code, and no code tried.
	for _, hhmm := range []string{"13:02", "13:30", "13:59"} {
		clock.Set(stockholmAt(t, hhmm))
		resp, body := send()
		expect("a new code at "+hhmm, resp, body, http.StatusTooManyRequests, "kan du försöka igen kl. 14:00.")
		resp, body = verify(code)
		expect("a code at "+hhmm, resp, body, http.StatusTooManyRequests, "kan du försöka igen kl. 14:00.")
	}
	if n := len(mailbox()); n != 2 {
		t.Errorf("%d codes sent in the hour, want 2", n)
	}
	assertContains(t, "the profile before 14:00", b.page("/mina-sidor/uppgifter"), "Inte bekräftad")

	// In English too.
	if resp, _ := b.post("/sprak", url.Values{"lang": {"en"}}); resp.StatusCode != http.StatusSeeOther {
		t.Fatalf("language: %d", resp.StatusCode)
	}
	resp, body = send()
	expect("a new code in English", resp, body, http.StatusTooManyRequests,
		"You have entered a wrong code too many times. For your security you can try again at 14:00.")

	// 14:00: the first round has left the hour.
	clock.Set(stockholmAt(t, "14:00"))
	if resp, body := send(); resp.StatusCode != http.StatusSeeOther {
		t.Fatalf("a code at 14:00: %d: %s", resp.StatusCode, errorText(body))
	}
	if resp, body := verify(mailbox()[0]); resp.StatusCode != http.StatusSeeOther {
		t.Fatalf("the right code at 14:00: %d: %s", resp.StatusCode, errorText(body))
	}
	if page := b.page("/mina-sidor/uppgifter"); !strings.Contains(page, "Confirmed") && !strings.Contains(page, "Bekräftad") {
		t.Errorf("not confirmed at 14:00")
	}
}

// When the code cannot be sent (the mail server does not answer), Mina uppgifter says so and to
// try again, with the address kept; nothing is counted against the citizen.
func TestConfirmCodeNotSent(t *testing.T) {
	p := webtest.Start(t, func(c *config.Config) {
		c.SMTPHost, c.SMTPPort, c.SMTPFrom, c.SMTPTLS = "127.0.0.1", 1, "Mina sidor <no-reply@localhost>", "none"
	})
	b := loggedIn(t, p, "adult")
	const addr = "karin.unsent@example.se"
	if resp, _ := b.post("/mina-sidor/uppgifter", url.Values{"email": {addr}, "preferred_channel": {"email"}}); resp.StatusCode != http.StatusSeeOther {
		t.Fatalf("save contact: %d", resp.StatusCode)
	}
	for range 2 {
		resp, body := b.post("/mina-sidor/uppgifter/kod", url.Values{"channel": {"email"}})
		if resp.StatusCode != http.StatusServiceUnavailable {
			t.Errorf("send a code, the mail server down: status %d, want 503: %s", resp.StatusCode, errorText(body))
		}
		assertContains(t, "Mina uppgifter, the code not sent", body, "Vi kunde inte skicka koden just nu", addr)
	}
}
