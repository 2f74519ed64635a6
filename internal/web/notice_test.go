package web_test

import (
	"context"
	"html"
	"net/http"
	"net/url"
	"regexp"
	"strings"
	"testing"
	"time"

	"github.com/google/uuid"
	"github.com/minasidor/minasidor/internal/message"
	"github.com/minasidor/minasidor/internal/web/webtest"
)

var codeRE = regexp.MustCompile(`\b(\d{3}) ?(\d{3})\b`)

// The whole notice flow through the portal: confirm an e-mail address with a code from the
// development mailbox, then get a notice for the submitted case and for a caseworker's message,
// each naming the reference and never the case's content.
func TestNoticesThroughTheMailbox(t *testing.T) {
	p := webtest.Start(t)
	b := loggedIn(t, p, "adult")

	resp, _ := b.post("/mina-sidor/uppgifter", url.Values{"email": {"karin@example.se"}, "preferred_channel": {"email"}})
	if resp.StatusCode != http.StatusSeeOther {
		t.Fatalf("save contact: %d", resp.StatusCode)
	}
	assertContains(t, "profile", b.page("/mina-sidor/uppgifter"), "Inte bekräftad", "inte bekräftad än", "Skicka en kod")

	resp, _ = b.post("/mina-sidor/uppgifter/kod", url.Values{"channel": {"email"}})
	if resp.StatusCode != http.StatusSeeOther {
		t.Fatalf("send code: %d", resp.StatusCode)
	}
	assertContains(t, "profile after sending", b.page(resp.Header.Get("Location")), "Vi har skickat en kod", `autocomplete="one-time-code"`)
	mail := b.page("/dev/brevlada")
	m := codeRE.FindStringSubmatch(mail)
	if m == nil {
		t.Fatalf("no code in the mailbox:\n%s", mail)
	}
	code := m[1] + m[2]

	resp, body := b.post("/mina-sidor/uppgifter/bekrafta", url.Values{"channel": {"email"}, "code": {"000000"}})
	if resp.StatusCode != http.StatusUnprocessableEntity || !strings.Contains(body, "Koden stämmer inte") {
		t.Errorf("wrong code: %d", resp.StatusCode)
	}
	resp, _ = b.post("/mina-sidor/uppgifter/bekrafta", url.Values{"channel": {"email"}, "code": {code}})
	if resp.StatusCode != http.StatusSeeOther {
		t.Fatalf("confirm: %d", resp.StatusCode)
	}
	assertContains(t, "profile after confirming", b.page(resp.Header.Get("Location")), "Tack, uppgiften är bekräftad", "Bekräftad. Du kan få meddelanden hit.")

	draftID, loc := b.start("felanmalan-gatubelysning")
	b.walk(loc, streetLightingSteps())
	caseID := b.submit(draftID, nil)
	ref, _ := b.receipt(caseID)

	inbox := waitForMail(t, b, 2, ref)
	assertContains(t, "the notice", inbox, ref, "karin@example.se", "/mina-sidor")
	assertLacks(t, "the notice", inbox, "Lyktan vid busshållplatsen", "Kungsgatan 12")

	msgs := message.NewStore(p.Pool, p.Notices)
	if _, err := msgs.Send(context.Background(), uuid.MustParse(caseID), message.Caseworker, "Handläggare Anna", "Hemligt innehåll i meddelandet", nil); err != nil {
		t.Fatal(err)
	}
	inbox = waitForMail(t, b, 3, ref)
	assertLacks(t, "the message notice", inbox, "Hemligt innehåll")

	// Changing the address makes it unconfirmed again.
	b.post("/mina-sidor/uppgifter", url.Values{"email": {"karin.l@example.se"}, "preferred_channel": {"email"}})
	assertContains(t, "profile after change", b.page("/mina-sidor/uppgifter"), "Inte bekräftad")
}

// waitForMail waits until the development mailbox holds n items and mentions want.
func waitForMail(t *testing.T, b *esBrowser, n int, want string) string {
	t.Helper()
	deadline := time.Now().Add(15 * time.Second)
	for {
		page := html.UnescapeString(b.page("/dev/brevlada"))
		if strings.Count(page, `<li class="message">`) >= n && strings.Contains(page, want) {
			return page
		}
		if time.Now().After(deadline) {
			t.Fatalf("the mailbox did not get %d items mentioning %s:\n%s", n, want, page)
		}
		time.Sleep(100 * time.Millisecond)
	}
}

func TestMailboxIsDevelopmentOnly(t *testing.T) {
	p := webtest.Start(t, webtest.Production)
	resp := p.Do(t, p.Client(t), "GET", "/dev/brevlada", nil)
	if resp.StatusCode != http.StatusNotFound {
		t.Errorf("the development mailbox in production: %d", resp.StatusCode)
	}
}
