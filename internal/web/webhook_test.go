package web_test

import (
	"context"
	"crypto/hmac"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"html"
	"io"
	"net/http"
	"net/http/httptest"
	"net/url"
	"regexp"
	"strconv"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/google/uuid"
	"github.com/minasidor/minasidor/internal/config"
	"github.com/minasidor/minasidor/internal/web/webtest"
	"github.com/minasidor/minasidor/internal/webhook"
)

// fastRetries makes a failed delivery come back after a tenth of a second instead of half a
// minute, so that a test sees retries without waiting.
func fastRetries(c *config.Config) { c.WebhookRetryBase = 100 * time.Millisecond }

// received is a delivery as a receiver got it, verified.
type received struct {
	Body     webhook.Body
	Raw      []byte
	Header   http.Header
	VerifyOK error
}

// receiver is a case system's webhook endpoint: it checks each request's signature with the
// secret it is given, as the README's example does, and answers with the statuses it is told to
// (the last one for every request after them).
type receiver struct {
	t        *testing.T
	srv      *httptest.Server
	mu       sync.Mutex
	secret   string
	statuses []int
	got      []received
}

func newReceiver(t *testing.T, statuses ...int) *receiver {
	rc := &receiver{t: t, statuses: statuses}
	rc.srv = httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		raw, _ := io.ReadAll(r.Body)
		rc.mu.Lock()
		defer rc.mu.Unlock()
		d := received{Raw: raw, Header: r.Header.Clone()}
		d.VerifyOK = webhook.Verify(rc.secret, r.Header.Get(webhook.HeaderTimestamp), r.Header.Get(webhook.HeaderSignature), raw, time.Now())
		if d.VerifyOK == nil && !readmeVerify(rc.secret, r, raw) {
			t.Errorf("the README's verifier refuses a delivery that webhook.Verify accepts")
		}
		if err := json.Unmarshal(raw, &d.Body); err != nil {
			t.Errorf("the body is not the event's JSON: %v: %s", err, raw)
		}
		rc.got = append(rc.got, d)
		status := http.StatusNoContent
		if len(rc.statuses) > 0 {
			status = rc.statuses[0]
			if len(rc.statuses) > 1 {
				rc.statuses = rc.statuses[1:]
			}
		}
		if d.VerifyOK != nil {
			status = http.StatusUnauthorized
		}
		w.WriteHeader(status)
	}))
	t.Cleanup(rc.srv.Close)
	return rc
}

// wait waits until the receiver has had n requests and returns them.
func (rc *receiver) wait(n int) []received {
	rc.t.Helper()
	deadline := time.Now().Add(60 * time.Second) // generous: the machine is busy
	for {
		rc.mu.Lock()
		got := append([]received(nil), rc.got...)
		rc.mu.Unlock()
		if len(got) >= n {
			return got
		}
		if time.Now().After(deadline) {
			rc.t.Fatalf("the receiver got %d requests, want %d", len(got), n)
		}
		time.Sleep(50 * time.Millisecond)
	}
}

var secretInput = regexp.MustCompile(`id="secret" type="text" readonly value="([^"]+)"`)

// addWebhook adds a webhook through the admin page and returns its secret, shown once.
func addWebhook(t *testing.T, admin *esBrowser, name, target string, events ...string) string {
	t.Helper()
	resp, body := admin.post("/personal/admin/integrationer/webhooks", url.Values{"name": {name}, "url": {target}, "events": events})
	m := secretInput.FindStringSubmatch(body)
	if resp.StatusCode != http.StatusOK || m == nil {
		t.Fatalf("add a webhook: status %d: %s", resp.StatusCode, errorText(body))
	}
	return html.UnescapeString(m[1])
}

// A municipality admin adds a webhook; the case system's receiver gets each event it asked for,
// signed with the secret it was shown once, after the event's transaction commits: a submitted
// case, a message from the citizen and a supplement. A receiver that fails gets the delivery
// again with backoff until it answers 2xx; the delivery log shows it, and sending again delivers
// the same event, signed anew.
func TestWebhookDelivery(t *testing.T) {
	p := webtest.Start(t, fastRetries)
	ctx := context.Background()
	maria := staffBrowser(t, p, "municipality-admin-alingsas")

	// The form refuses what cannot work, with what was typed kept.
	resp, body := maria.post("/personal/admin/integrationer/webhooks", url.Values{"name": {"Ärendesystem"}, "url": {"ftp://arende"}})
	if resp.StatusCode != http.StatusUnprocessableEntity {
		t.Fatalf("a bad webhook: status %d", resp.StatusCode)
	}
	assertContains(t, "refused webhook", body, "Skriv en hel adress", "Välj minst en händelse", `value="Ärendesystem"`)
	assertLacks(t, "refused webhook", body, `id="secret"`)

	rc := newReceiver(t)
	rc.secret = addWebhook(t, maria, "Ärendesystem", rc.srv.URL+"/minasidor?token=abc",
		webhook.CaseSubmitted, webhook.MessageReceived, webhook.CaseSupplemented)
	if !strings.HasPrefix(rc.secret, "whsec_") {
		t.Fatalf("secret %q", rc.secret)
	}
	// The secret is shown once: the list never shows it again.
	assertLacks(t, "integrations page", maria.page("/personal/admin/integrationer"), rc.secret)
	// Another municipality's case tells nobody here; this one's webhook does not hear of it.
	csSubmitMotala(newBrowser(t, p))

	// A submitted case.
	karin := loggedIn(t, p, "adult")
	caseID := csSubmitStreetLighting(karin, nil, nil)
	got := rc.wait(1)
	d := got[0]
	if d.VerifyOK != nil {
		t.Fatalf("the signature does not verify: %v", d.VerifyOK)
	}
	var reference string
	if err := p.Pool.QueryRow(ctx, `SELECT reference FROM cases WHERE id = $1`, caseID).Scan(&reference); err != nil {
		t.Fatal(err)
	}
	b := d.Body
	if b.Type != webhook.CaseSubmitted || b.Case.ID != caseID || b.Case.Reference != reference || b.Municipality.Code != "ALI" ||
		b.Case.EService.Slug != "felanmalan-gatubelysning" || b.ID == "" || time.Since(b.CreatedAt) > time.Hour {
		t.Errorf("the event: %+v", b)
	}
	if d.Header.Get(webhook.HeaderEvent) != webhook.CaseSubmitted || d.Header.Get("Content-Type") != "application/json" ||
		uuid.Validate(d.Header.Get(webhook.HeaderDelivery)) != nil {
		t.Errorf("headers: %v", d.Header)
	}
	for _, personal := range []string{"19850412", "Karin", "Lindqvist", "Kungsgatan"} {
		if strings.Contains(string(d.Raw), personal) {
			t.Errorf("the event carries personal data (%s): %s", personal, d.Raw)
		}
	}

	// A message from the citizen.
	if resp, body := karin.multipart("/arenden/"+caseID+"/meddelanden", url.Values{"body": {"Stolpen står vid busshållplatsen."}}); resp.StatusCode != http.StatusSeeOther {
		t.Fatalf("the citizen's message: status %d: %s", resp.StatusCode, errorText(body))
	}
	got = rc.wait(2)
	if b := got[1].Body; b.Type != webhook.MessageReceived || b.Case.ID != caseID || b.Data["message_id"] == nil || got[1].VerifyOK != nil {
		t.Errorf("the message's event: %+v (%v)", b, got[1].VerifyOK)
	}
	// A caseworker's message is no event of the citizen's.
	anna := staffBrowser(t, p, "caseworker-alingsas")
	if resp, _ := anna.post("/personal/arenden/"+caseID+"/meddelande", url.Values{"text": {"Tack, vi åtgärdar det."}}); resp.StatusCode != http.StatusSeeOther {
		t.Fatalf("the caseworker's message: %d", resp.StatusCode)
	}

	// An event in a transaction that rolls back sends nothing: no delivery, no job.
	deliveries := func() int { return dbInt(t, p, `SELECT count(*) FROM webhook_delivery`) }
	before := deliveries()
	tx, err := p.Pool.Begin(ctx)
	if err != nil {
		t.Fatal(err)
	}
	if err := webhook.Emit(ctx, tx, webhook.Event{Type: webhook.CaseSubmitted, CaseID: uuid.MustParse(caseID)}); err != nil {
		t.Fatal(err)
	}
	if err := tx.Rollback(ctx); err != nil {
		t.Fatal(err)
	}
	if after := deliveries(); after != before {
		t.Errorf("a rolled-back event left %d deliveries", after-before)
	}

	// A receiver that fails twice gets the event a third time, and the log says so.
	failing := newReceiver(t, http.StatusInternalServerError, http.StatusBadGateway, http.StatusOK)
	failing.secret = addWebhook(t, maria, "Reservsystem", failing.srv.URL, webhook.CaseSupplemented)
	if resp, _ := anna.post("/personal/arenden/"+caseID+"/komplettering", url.Values{"text": {"Ange stolpens nummer."}}); resp.StatusCode != http.StatusSeeOther {
		t.Fatalf("ask for a supplement: %d", resp.StatusCode)
	}
	resp, _ = karin.post("/arenden/"+caseID+"/komplettera", nil)
	if resp.StatusCode != http.StatusSeeOther {
		t.Fatalf("start the supplement: %d", resp.StatusCode)
	}
	review := karin.walk(resp.Header.Get("Location"), streetLightingSteps())
	draftID := strings.Split(strings.TrimPrefix(review, "/utkast/"), "/")[0]
	if resp, body := karin.post("/utkast/"+draftID+"/skicka", nil); resp.StatusCode != http.StatusSeeOther {
		t.Fatalf("submit the supplement: %d: %s", resp.StatusCode, errorText(body))
	}
	tries := failing.wait(3)
	for i, d := range tries {
		if d.VerifyOK != nil || d.Body.Type != webhook.CaseSupplemented || d.Body.ID != tries[0].Body.ID ||
			d.Header.Get(webhook.HeaderDelivery) != tries[0].Header.Get(webhook.HeaderDelivery) {
			t.Errorf("try %d: %+v %v", i+1, d.Body, d.VerifyOK)
		}
	}
	if rev, ok := tries[0].Body.Data["revision"].(float64); !ok || rev != 2 {
		t.Errorf("the supplement's revision: %v", tries[0].Body.Data)
	}
	if got := rc.wait(3)[2].Body; got.Type != webhook.CaseSupplemented || got.ID != tries[0].Body.ID {
		t.Errorf("the first webhook's supplement event: %+v", got)
	}
	var hookID string
	if err := p.Pool.QueryRow(ctx, `SELECT id::text FROM webhook WHERE name = 'Reservsystem'`).Scan(&hookID); err != nil {
		t.Fatal(err)
	}
	var state string
	var attempts int
	for deadline := time.Now().Add(30 * time.Second); ; time.Sleep(50 * time.Millisecond) {
		if err := p.Pool.QueryRow(ctx, `SELECT state, attempts FROM webhook_delivery WHERE webhook_id = $1`, hookID).Scan(&state, &attempts); err != nil {
			t.Fatal(err)
		}
		if state == webhook.StateDelivered || time.Now().After(deadline) {
			break
		}
	}
	if state != webhook.StateDelivered || attempts != 3 {
		t.Errorf("the failing receiver's delivery: %s after %d attempts, want delivered after 3", state, attempts)
	}
	logPage := "/personal/admin/integrationer/webhooks/" + hookID
	assertContains(t, "delivery log", maria.page(logPage), "Leveranslogg: Reservsystem", "Ärende kompletterat", reference, "Levererad", "HTTP 200", "<td>3</td>")

	// Sending again delivers the same event and delivery, signed anew.
	var deliveryID string
	if err := p.Pool.QueryRow(ctx, `SELECT id::text FROM webhook_delivery WHERE webhook_id = $1`, hookID).Scan(&deliveryID); err != nil {
		t.Fatal(err)
	}
	resp, _ = maria.post(logPage+"/leveranser/"+deliveryID+"/skicka-igen", nil)
	if resp.StatusCode != http.StatusSeeOther || resp.Header.Get("Location") != logPage+"?klart=resent" {
		t.Fatalf("send again: %d %s", resp.StatusCode, resp.Header.Get("Location"))
	}
	again := failing.wait(4)[3]
	if again.VerifyOK != nil || again.Body.ID != tries[0].Body.ID || again.Header.Get(webhook.HeaderDelivery) != deliveryID ||
		string(again.Raw) != string(tries[0].Raw) {
		t.Errorf("the resent delivery: %+v %v", again.Body, again.VerifyOK)
	}
	assertContains(t, "log after resending", maria.page(logPage+"?klart=resent"), "Leveransen skickas igen.")

	// Nobody else can see or resend the municipality's deliveries: another role, another municipality.
	if resp, _ := anna.get(logPage); resp.StatusCode != http.StatusForbidden {
		t.Errorf("a caseworker reads the delivery log: %d", resp.StatusCode)
	}
	if resp, _ := anna.post(logPage+"/leveranser/"+deliveryID+"/skicka-igen", nil); resp.StatusCode != http.StatusForbidden {
		t.Errorf("a caseworker resends: %d", resp.StatusCode)
	}

	// A removed webhook hears nothing more, and its log stays.
	if resp, _ := maria.post(logPage+"/ta-bort", nil); resp.StatusCode != http.StatusSeeOther {
		t.Fatalf("remove: %d", resp.StatusCode)
	}
	if resp, body := maria.post(logPage+"/leveranser/"+deliveryID+"/skicka-igen", nil); resp.StatusCode != http.StatusConflict ||
		!strings.Contains(body, "Webhooken är borttagen") {
		t.Errorf("resend to a removed webhook: %d", resp.StatusCode)
	}
	assertContains(t, "removed webhook's log", maria.page(logPage), "Webhooken är borttagen. Inga nya meddelanden")
	assertContains(t, "the change log", maria.page("/personal/admin/kommun"), "Lade till en webhook", "Tog bort en webhook (Reservsystem)")
}

// readmeVerify is the verifier of the README, word for word: a receiver's own code, which must
// accept what the portal sends.
func readmeVerify(secret string, r *http.Request, body []byte) bool {
	ts := r.Header.Get("Minasidor-Timestamp")
	sec, err := strconv.ParseInt(ts, 10, 64)
	if err != nil || time.Since(time.Unix(sec, 0)).Abs() > 5*time.Minute {
		return false // missing, or replayed outside the window
	}
	mac := hmac.New(sha256.New, []byte(secret))
	mac.Write([]byte(ts + "." + string(body)))
	want := "v1=" + hex.EncodeToString(mac.Sum(nil))
	for _, got := range strings.Split(r.Header.Get("Minasidor-Signature"), ",") {
		if hmac.Equal([]byte(strings.TrimSpace(got)), []byte(want)) {
			return true
		}
	}
	return false
}
