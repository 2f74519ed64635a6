package web_test

import (
	"context"
	"net/http"
	"net/url"
	"regexp"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/google/uuid"
	"github.com/minasidor/minasidor/internal/booking"
	"github.com/minasidor/minasidor/internal/casework"
	"github.com/minasidor/minasidor/internal/eservice"
	"github.com/minasidor/minasidor/internal/form"
	"github.com/minasidor/minasidor/internal/i18n"
	"github.com/minasidor/minasidor/internal/web/webtest"
)

// A booking field of a form, through the real server and PostgreSQL, on the demo e-service that
// books the building permit advice (a time on the first step, the project on the second): a
// picked time is held for the draft against the time's capacity, re-picking moves the hold at
// once or not at all, the hold becomes a booking of the case when it is submitted, an expired
// hold is released by the job and a time taken meanwhile sends the citizen back to the step,
// deleting the draft releases the hold, and a visitor or an anonymous submission cannot book.

// bfValue is a booking field's answer for a time of the given minutes from start.
func bfValue(start time.Time, minutes int) string {
	return form.BookingValue(start, start.Add(time.Duration(minutes)*time.Minute))
}

// bfHold is the draft's hold of its field "tid": its time and when it expires; ok is false when
// it has none.
func bfHold(t *testing.T, p *webtest.Portal, draftID string) (start, expires time.Time, ok bool) {
	t.Helper()
	err := p.Pool.QueryRow(context.Background(), `
		SELECT sl.starts_at, h.expires_at FROM booking_hold h JOIN booking_slot sl ON sl.id = h.slot_id
		WHERE h.draft_id = $1 AND h.field_key = 'tid'`, draftID).Scan(&start, &expires)
	return start, expires, err == nil
}

// bfAnswer is the draft's stored answer to "tid".
func bfAnswer(t *testing.T, p *webtest.Portal, draftID string) string {
	t.Helper()
	var a string
	if err := p.Pool.QueryRow(context.Background(), `SELECT coalesce(answers -> 'tid' ->> 0, '') FROM draft WHERE id = $1`, draftID).Scan(&a); err != nil {
		t.Fatal(err)
	}
	return a
}

func bfResource(t *testing.T, p *webtest.Portal, slug string) uuid.UUID {
	t.Helper()
	var id uuid.UUID
	if err := p.Pool.QueryRow(context.Background(), `SELECT id FROM booking_resource WHERE slug = $1`, slug).Scan(&id); err != nil {
		t.Fatal(err)
	}
	return id
}

var bfStepError = regexp.MustCompile(`(?s)<p class="field-error" id="tid-error">(.*?)</p>`)

func TestBookingField(t *testing.T) {
	p := webtest.Start(t)
	ctx := context.Background()
	// Tuesday 8 December 2026, 10:00 in Alingsås.
	bkSetClock(p, bkAt(2026, 12, 8, 10, 0))
	advice := bfResource(t, p, "radgivning-bygglov")
	karin := loggedIn(t, p, "adult")
	lars := loggedIn(t, p, "signatory")
	// The job's work, on the tests' clock.
	holds := booking.NewStore(p.Pool, p.Notices, p.BookingClock.Now)
	thu := func(h, m int) time.Time { return bkAt(2026, 12, 10, h, m) }

	t.Run("pick, re-pick, submit", func(t *testing.T) {
		// Karin's confirmed e-mail address, for the notices.
		for _, sql := range []string{`UPDATE account SET email = 'karin@example.se', preferred_channel = 'email' WHERE personal_number = '198504129829'`,
			`UPDATE account SET email_verified_at = now() WHERE personal_number = '198504129829'`} {
			if _, err := p.Pool.Exec(ctx, sql); err != nil {
				t.Fatal(err)
			}
		}
		draftID, loc := karin.start("boka-radgivning-bygglov")
		page := karin.page(loc)
		assertContains(t, "the booking step", page, "Välj en tid", "Rådgivning bygglov", "Stadshuset, Stora torget 1, Alingsås",
			"torsdag 10 december 2026", `id="tid-20261210T0800"`, `name="tid" value="`+bfValue(thu(9, 0), 30)+`"`,
			"Du kan boka upp till 60 dagar framåt.", "Senare dagar")
		assertLacks(t, "the booking step", page, bfValue(bkAt(2026, 12, 8, 11, 30), 30)) // within the two hours' notice

		// Picking holds the time: its place is taken, for 15 minutes.
		resp, body := karin.step(loc, url.Values{"tid": {bfValue(thu(9, 0), 30)}}, "next")
		if resp.StatusCode != http.StatusSeeOther || !strings.HasSuffix(resp.Header.Get("Location"), "/steg/projekt") {
			t.Fatalf("pick: status %d to %q: %s", resp.StatusCode, resp.Header.Get("Location"), errorText(body))
		}
		start, expires, ok := bfHold(t, p, draftID)
		if !ok || !start.Equal(thu(9, 0)) || bkBooked(t, p, advice, thu(9, 0)) != 1 {
			t.Fatalf("after picking: hold %v at %s, %d booked", ok, start, bkBooked(t, p, advice, thu(9, 0)))
		}
		if d := expires.Sub(p.BookingClock.Now()); d < 14*time.Minute || d > 15*time.Minute {
			t.Errorf("the hold runs %s", d)
		}
		page = karin.page(loc)
		assertContains(t, "the step with its held time", page, "Tiden är reserverad för dig till kl. "+i18n.Clock(expires)+".",
			"Din reserverade tid", "torsdag 10 december 2026 kl. 09:00–09:30")
		if !regexp.MustCompile(`id="tid-reserverad-tid" name="tid" value="` + regexp.QuoteMeta(bfValue(thu(9, 0), 30)) + `" checked`).MatchString(page) {
			t.Error("the held time is not checked")
		}
		// The advisor's calendar says it is held.
		anna := staffBrowser(t, p, "caseworker-alingsas")
		assertContains(t, "the calendar", anna.page("/personal/bokningar/"+advice.String()+"?dag=2026-12-10&vy=dag"),
			"1 av 1 platser bokade. Varav 1 reserverade av någon som fyller i en e-tjänst.")
		// Nobody else can book it.
		if times := bkGet(t, p, lars.c, "/boka/"+advice.String(), http.StatusOK); strings.Contains(times, bkValue(thu(9, 0))) {
			t.Error("a held time is offered to another citizen")
		}

		// Re-picking a time someone has just taken keeps the hold and says why.
		bkBook(t, p, lars.c, advice, thu(9, 30))
		resp, body = karin.step(loc, url.Values{"tid": {bfValue(thu(9, 30), 30)}}, "next")
		if resp.StatusCode != http.StatusConflict {
			t.Fatalf("picking a taken time: status %d", resp.StatusCode)
		}
		if m := bfStepError.FindStringSubmatch(body); m == nil || !strings.Contains(m[1], "Tiden är inte längre ledig.") {
			t.Errorf("no message at the field: %s", errorText(body))
		}
		if start, _, _ := bfHold(t, p, draftID); !start.Equal(thu(9, 0)) || bfAnswer(t, p, draftID) != bfValue(thu(9, 0), 30) {
			t.Errorf("a refused pick changed the hold (%s) or the answer (%s)", start, bfAnswer(t, p, draftID))
		}
		// Re-picking a free time moves the hold in one go.
		resp, body = karin.step(loc, url.Values{"tid": {bfValue(thu(10, 0), 30)}}, "next")
		if resp.StatusCode != http.StatusSeeOther {
			t.Fatalf("re-pick: status %d: %s", resp.StatusCode, errorText(body))
		}
		if bkBooked(t, p, advice, thu(9, 0)) != 0 || bkBooked(t, p, advice, thu(10, 0)) != 1 ||
			dbInt(t, p, `SELECT count(*) FROM booking_hold WHERE draft_id = $1`, draftID) != 1 {
			t.Errorf("after re-picking: 09:00 %d, 10:00 %d booked", bkBooked(t, p, advice, thu(9, 0)), bkBooked(t, p, advice, thu(10, 0)))
		}
		// Pressing Nästa again with the same time takes no second place.
		karin.step(loc, url.Values{"tid": {bfValue(thu(10, 0), 30)}}, "next")
		if n := bkBooked(t, p, advice, thu(10, 0)); n != 1 {
			t.Errorf("the same pick twice: %d booked", n)
		}

		review := karin.walk(resp.Header.Get("Location"), map[string]url.Values{"projekt": {"fragor": {"Ett garage på tomten."}}})
		page = karin.page(review)
		assertContains(t, "the review", page, "Tid för rådgivning", "torsdag 10 december 2026 kl. 10:00–10:30", "Tiden är reserverad för dig till kl.")

		caseID := karin.submit(draftID, nil)
		var state string
		var bookedCase uuid.UUID
		if err := p.Pool.QueryRow(ctx, `SELECT b.state, b.case_id FROM booking b JOIN booking_slot sl ON sl.id = b.slot_id
			WHERE sl.starts_at = $1 AND b.resource_id = $2`, thu(10, 0), advice).Scan(&state, &bookedCase); err != nil {
			t.Fatalf("no booking after the submit: %v", err)
		}
		if state != booking.Booked || bookedCase.String() != caseID || bkBooked(t, p, advice, thu(10, 0)) != 1 ||
			dbInt(t, p, `SELECT count(*) FROM booking_hold WHERE draft_id = $1`, draftID) != 0 {
			t.Errorf("after the submit: %s of case %s, %d booked", state, bookedCase, bkBooked(t, p, advice, thu(10, 0)))
		}
		ref, receipt := karin.receipt(caseID)
		assertContains(t, "the receipt", receipt, "Tid för rådgivning", "torsdag 10 december 2026 kl. 10:00–10:30")
		assertContains(t, "the case page", karin.page("/arenden/"+caseID), "Tid bokad: torsdag 10 december 2026 kl. 10:00–10:30")
		list := karin.page("/mina-sidor/bokningar")
		assertContains(t, "Mina bokningar", list, "Rådgivning bygglov, torsdag 10 december 2026 kl. 10:00–10:30",
			`<a href="/arenden/`+caseID+`">`+ref+`</a>`)

		// The confirmation names the case, and nothing of the answers.
		mail := bfMail(t, p, "Din bokning: Rådgivning bygglov 2026-12-10 10:00")
		assertContains(t, "the confirmation", mail, "Bokningen hör till ditt ärende "+ref+".",
			"Av säkerhetsskäl står bara tid och plats för bokningen i e-post och sms")
		assertLacks(t, "the confirmation", mail, "garage", "innehållet i ärendet")

		// Moved and cancelled under Mina bokningar: the new time belongs to the case too, and both
		// are recorded on the case; the cancellation is confirmed.
		var bookingID string
		if err := p.Pool.QueryRow(ctx, `SELECT id FROM booking WHERE case_id = $1`, caseID).Scan(&bookingID); err != nil {
			t.Fatal(err)
		}
		assertContains(t, "the booking", karin.page("/mina-sidor/bokningar/"+bookingID), ref)
		resp, body = karin.post("/mina-sidor/bokningar/"+bookingID+"/omboka", url.Values{"tid": {bkValue(thu(11, 30))}})
		m := bkRedirect.FindStringSubmatch(resp.Header.Get("Location"))
		if resp.StatusCode != http.StatusSeeOther || m == nil {
			t.Fatalf("move: status %d: %s", resp.StatusCode, errorText(body))
		}
		bookingID = m[1]
		if n := dbInt(t, p, `SELECT count(*) FROM booking WHERE id = $1 AND case_id = $2`, bookingID, caseID); n != 1 {
			t.Error("the moved booking does not belong to the case")
		}
		if resp, _ := karin.post("/mina-sidor/bokningar/"+bookingID+"/avboka", nil); resp.StatusCode != http.StatusSeeOther {
			t.Fatalf("cancel: status %d", resp.StatusCode)
		}
		assertContains(t, "the case page", karin.page("/arenden/"+caseID), "Bokningen flyttad till torsdag 10 december 2026 kl. 11:30–12:00",
			"Bokningen avbokad: torsdag 10 december 2026 kl. 11:30–12:00")
		mail = bfMail(t, p, "Du har avbokat Rådgivning bygglov 2026-12-10 11:30")
		assertContains(t, "the cancellation", mail, "Du har avbokat din tid för Rådgivning bygglov hos Alingsås kommun 2026-12-10 11:30.",
			"Bokningen hör till ditt ärende "+ref+".")
	})

	t.Run("expired and taken meanwhile", func(t *testing.T) {
		draftID, loc := karin.start("boka-radgivning-bygglov")
		review := karin.walk(loc, map[string]url.Values{"tid": {"tid": {bfValue(thu(13, 0), 30)}}, "projekt": {"fragor": {"En altan."}}})
		if bkBooked(t, p, advice, thu(13, 0)) != 1 {
			t.Fatal("the time is not held")
		}
		// 16 minutes later the job gives the place back; Lars books the time.
		p.BookingClock.Advance(16 * time.Minute)
		if n, err := holds.ReleaseExpired(ctx); err != nil || n != 1 {
			t.Fatalf("released %d, %v; want 1", n, err)
		}
		if bkBooked(t, p, advice, thu(13, 0)) != 0 {
			t.Fatal("the expired hold keeps its place")
		}
		assertContains(t, "the review of a lapsed time", karin.page(review), "Tiden är inte reserverad för dig.")
		bkBook(t, p, lars.c, advice, thu(13, 0))

		// The submit comes back to the step, with the message and nothing lost.
		resp, body := karin.post("/utkast/"+draftID+"/skicka", url.Values{})
		if resp.StatusCode != http.StatusConflict {
			t.Fatalf("submit of a lost time: status %d: %s", resp.StatusCode, errorText(body))
		}
		assertContains(t, "the step after a lost time", body, "Välj en tid", "någon annan hann boka den. Välj en annan tid.", `class="error-summary"`)
		if n := dbInt(t, p, `SELECT count(*) FROM cases WHERE source_draft_id = $1`, draftID); n != 0 {
			t.Fatal("a case was submitted without its time")
		}
		if n := bkBooked(t, p, advice, thu(13, 0)); n != 1 {
			t.Errorf("the time Lars booked has %d booked", n)
		}
		var fragor string
		p.Pool.QueryRow(ctx, `SELECT answers -> 'fragor' ->> 0 FROM draft WHERE id = $1`, draftID).Scan(&fragor)
		if fragor != "En altan." {
			t.Errorf("the other answer is %q", fragor)
		}

		// Another time; its hold expires too, but nobody takes it: the submit books it.
		karin.step(loc, url.Values{"tid": {bfValue(thu(13, 30), 30)}}, "next")
		p.BookingClock.Advance(16 * time.Minute)
		assertContains(t, "the step of an expired hold", karin.page(loc), "Tiden var reserverad för dig till kl.")
		caseID := karin.submit(draftID, nil)
		if n := dbInt(t, p, `SELECT count(*) FROM booking WHERE case_id = $1 AND state = 'booked'`, caseID); n != 1 || bkBooked(t, p, advice, thu(13, 30)) != 1 {
			t.Errorf("an expired hold not yet released: %d bookings, %d booked", n, bkBooked(t, p, advice, thu(13, 30)))
		}
	})

	t.Run("deleting the draft releases the time", func(t *testing.T) {
		draftID, loc := karin.start("boka-radgivning-bygglov")
		karin.step(loc, url.Values{"tid": {bfValue(thu(14, 30), 30)}}, "next")
		if bkBooked(t, p, advice, thu(14, 30)) != 1 {
			t.Fatal("not held")
		}
		if resp, _ := karin.post("/utkast/"+draftID+"/radera", nil); resp.StatusCode != http.StatusSeeOther {
			t.Fatalf("delete: status %d", resp.StatusCode)
		}
		if n := bkBooked(t, p, advice, thu(14, 30)); n != 0 {
			t.Errorf("after deleting the draft: %d booked", n)
		}
	})

	t.Run("withdrawing the case cancels its time", func(t *testing.T) {
		draftID, loc := karin.start("boka-radgivning-bygglov")
		karin.walk(loc, map[string]url.Values{"tid": {"tid": {bfValue(thu(11, 30), 30)}}, "projekt": {"fragor": {"Ett förråd."}}})
		caseID := karin.submit(draftID, nil)
		if n := bkBooked(t, p, advice, thu(11, 30)); n != 1 {
			t.Fatalf("after the submit: %d booked", n)
		}
		assertContains(t, "the withdrawal form", karin.page("/arenden/"+caseID+"/aterkalla"),
			"Tider som du har bokat i ärendet och som inte har varit än avbokas.")
		if resp, body := karin.post("/arenden/"+caseID+"/aterkalla", url.Values{"reason": {"Vi bygger inte."}}); resp.StatusCode != http.StatusSeeOther {
			t.Fatalf("withdraw: status %d: %s", resp.StatusCode, errorText(body))
		}
		if n := bkBooked(t, p, advice, thu(11, 30)); n != 0 {
			t.Errorf("after withdrawing: %d booked", n)
		}
		if n := dbInt(t, p, `SELECT count(*) FROM booking WHERE case_id = $1 AND state = 'cancelled' AND cancelled_by = 'citizen'`, caseID); n != 1 {
			t.Errorf("%d of the case's bookings cancelled by the citizen, want 1", n)
		}
		assertContains(t, "the withdrawn case", karin.page("/arenden/"+caseID), "Bokningen avbokad: torsdag 10 december 2026 kl. 11:30–12:00")
		// Lars may book the time now.
		bkBook(t, p, lars.c, advice, thu(11, 30))
	})

	t.Run("the release job", func(t *testing.T) {
		var drafts []string
		for _, at := range []time.Time{thu(15, 0), thu(15, 30)} {
			d, loc := karin.start("boka-radgivning-bygglov")
			karin.step(loc, url.Values{"tid": {bfValue(at, 30)}}, "next")
			drafts = append(drafts, d)
		}
		if n, err := holds.ReleaseExpired(ctx); err != nil || n != 0 {
			t.Fatalf("released %d, %v before they expire", n, err)
		}
		p.BookingClock.Advance(15 * time.Minute)
		// Two servers at once release each hold once.
		var wg sync.WaitGroup
		released := make([]int, 2)
		for i := range released {
			wg.Go(func() {
				n, err := holds.ReleaseExpired(ctx)
				if err != nil {
					t.Error(err)
				}
				released[i] = n
			})
		}
		wg.Wait()
		if released[0]+released[1] != 2 || bkBooked(t, p, advice, thu(15, 0)) != 0 || bkBooked(t, p, advice, thu(15, 30)) != 0 {
			t.Errorf("released %v; booked %d and %d", released, bkBooked(t, p, advice, thu(15, 0)), bkBooked(t, p, advice, thu(15, 30)))
		}
		if n, err := holds.ReleaseExpired(ctx); err != nil || n != 0 {
			t.Errorf("a second run released %d, %v", n, err)
		}
		// The drafts stay, without their holds; the queue runs the work on its own.
		if n := dbInt(t, p, `SELECT count(*) FROM draft WHERE id = ANY ($1)`, drafts); n != 2 {
			t.Errorf("%d drafts left", n)
		}
		deadline := time.Now().Add(30 * time.Second)
		for dbInt(t, p, `SELECT count(*) FROM river_job WHERE kind = 'periodic' AND args ->> 'name' = 'booking_release_holds' AND state = 'completed'`) == 0 {
			if time.Now().After(deadline) {
				t.Fatal("the job queue never released holds")
			}
			time.Sleep(50 * time.Millisecond)
		}
	})

	t.Run("a visitor and an anonymous submission", func(t *testing.T) {
		if _, err := p.Pool.Exec(ctx, `UPDATE eservice SET login_rule = 'optional', anonymous_allowed = true WHERE slug = 'boka-grillplats-mjornstranden'`); err != nil {
			t.Fatal(err)
		}
		grill := bfResource(t, p, "grillplats-mjornstranden")
		sat := bkAt(2026, 12, 12, 13, 0)
		visitor := newBrowser(t, p)
		_, loc := visitor.start("boka-grillplats-mjornstranden")
		assertContains(t, "the visitor's step", visitor.page(loc), "Du behöver logga in för att boka en tid.", `href="/login?return=`)
		resp, body := visitor.step(loc, url.Values{"tid": {bfValue(sat, 480)}}, "next")
		if resp.StatusCode != http.StatusConflict || !strings.Contains(body, "Logga in för att boka en tid.") || bkBooked(t, p, grill, sat) != 0 {
			t.Errorf("a visitor's pick: status %d, %d booked", resp.StatusCode, bkBooked(t, p, grill, sat))
		}

		draftID, loc := karin.start("boka-grillplats-mjornstranden")
		review := karin.walk(loc, map[string]url.Values{"dag": {"tid": {bfValue(sat, 480)}}})
		assertLacks(t, "the review of a booking", karin.page(review), `name="anonymous"`)
		resp, body = karin.post("/utkast/"+draftID+"/skicka", url.Values{"anonymous": {"yes"}})
		if resp.StatusCode != http.StatusUnprocessableEntity || !strings.Contains(body, "kan inte skickas in anonymt") {
			t.Errorf("an anonymous submission with a time: status %d: %s", resp.StatusCode, errorText(body))
		}
		karin.submit(draftID, nil)
		if n := bkBooked(t, p, grill, sat); n != 1 {
			t.Errorf("the day is booked %d times", n)
		}
	})

	t.Run("a supplement keeps the case's booking", func(t *testing.T) {
		draftID, loc := karin.start("boka-radgivning-bygglov")
		karin.walk(loc, map[string]url.Values{"tid": {"tid": {bfValue(thu(14, 0), 30)}}, "projekt": {"fragor": {"Ett förråd."}}})
		caseID := karin.submit(draftID, nil)
		cases := casework.NewStore(p.Pool, p.Notices)
		if err := cases.RequestSupplement(ctx, p.StaffMember(t, "ali-1001"), uuid.MustParse(caseID), "Hur stort är förrådet?"); err != nil {
			t.Fatal(err)
		}
		resp, _ := karin.post("/arenden/"+caseID+"/komplettera", nil)
		step := resp.Header.Get("Location")
		if !strings.HasSuffix(step, "/steg/tid") {
			t.Fatalf("the supplement starts at %q", step)
		}
		assertContains(t, "the supplement's booking step", karin.page(step), "Din bokade tid: torsdag 10 december 2026 kl. 14:00–14:30.", "Gå till Mina bokningar")
		review := karin.walk(step, map[string]url.Values{"tid": {"tid": {bfValue(thu(14, 30), 30)}}, "projekt": {"fragor": {"Ett förråd på 15 m²."}}})
		assertContains(t, "the supplement's review", karin.page(review), "torsdag 10 december 2026 kl. 14:00–14:30")
		supplement := strings.Split(strings.TrimPrefix(review, "/utkast/"), "/")[0]
		if resp, _ := karin.post("/utkast/"+supplement+"/skicka", nil); resp.StatusCode != http.StatusSeeOther {
			t.Fatalf("submit the supplement: %d", resp.StatusCode)
		}
		if bkBooked(t, p, advice, thu(14, 0)) != 1 || bkBooked(t, p, advice, thu(14, 30)) != 0 ||
			dbInt(t, p, `SELECT count(*) FROM booking WHERE case_id = $1`, caseID) != 1 {
			t.Errorf("after the supplement: 14:00 %d, 14:30 %d booked", bkBooked(t, p, advice, thu(14, 0)), bkBooked(t, p, advice, thu(14, 30)))
		}
	})

	t.Run("round trips", func(t *testing.T) {
		draftID, loc := karin.start("boka-radgivning-bygglov")
		pick := url.Values{"tid": {bfValue(thu(11, 0), 30)}, "action": {"next"}}
		for _, tt := range []struct {
			name                        string
			method                      string
			form                        url.Values
			status                      int
			roundTrips, writes, commits int
		}{
			{"the booking step", "GET", nil, 200, 8, 0, 0},
			{"a time picked", "POST", pick, 303, 17, -1, 1},
			{"the step with its held time", "GET", nil, 200, 8, 0, 0},
		} {
			t.Run(tt.name, func(t *testing.T) {
				webtest.ReadBody(t, p.Do(t, karin.c, "GET", "/kakor", nil))
				resp, n := p.Measure(t, karin.c, tt.method, loc, tt.form)
				if resp.StatusCode != tt.status {
					t.Fatalf("status %d, want %d", resp.StatusCode, tt.status)
				}
				t.Logf("%s: %d round trips, %d writes, %d commits", tt.name, n.RoundTrips(), n.Writes(), n.Commits())
				if n.RoundTrips() > tt.roundTrips {
					t.Errorf("%d round trips, budget %d:\n%s", n.RoundTrips(), tt.roundTrips, strings.Join(n.Statements(), "\n"))
				}
				if tt.writes >= 0 && n.Writes() != tt.writes {
					t.Errorf("%d writes, want %d", n.Writes(), tt.writes)
				}
				if n.Commits() != tt.commits {
					t.Errorf("%d commits, want %d", n.Commits(), tt.commits)
				}
			})
		}
		// The submit that books the held time commits once.
		karin.walk(strings.Replace(loc, "/steg/tid", "/steg/projekt", 1), map[string]url.Values{"projekt": {"fragor": {"Ett plank."}}})
		resp, n := p.Measure(t, karin.c, "POST", "/utkast/"+draftID+"/skicka", url.Values{})
		if resp.StatusCode != http.StatusSeeOther || n.Commits() != 1 {
			t.Errorf("submit: status %d, %d commits, want 1:\n%s", resp.StatusCode, n.Commits(), strings.Join(n.Statements(), "\n"))
		}
	})

	t.Run("summer time", func(t *testing.T) {
		// Friday 26 March 2027; the clocks go forward in the night to Sunday.
		bkSetClock(p, bkAt(2027, 3, 26, 10, 0))
		_, loc := karin.start("boka-grillplats-mjornstranden")
		page := karin.page(loc)
		assertContains(t, "the days around the change", page, "lördag 27 mars 2027", "söndag 28 mars 2027", "kl. 13:00–21:00",
			`value="2027-03-27T12:00:00Z/2027-03-27T20:00:00Z"`, `value="2027-03-28T11:00:00Z/2027-03-28T19:00:00Z"`)
	})
}

// bfMail waits for the development mailbox's e-mail to Karin whose subject starts so.
func bfMail(t *testing.T, p *webtest.Portal, subject string) string {
	t.Helper()
	deadline := time.Now().Add(30 * time.Second)
	for {
		var body string
		err := p.Pool.QueryRow(context.Background(), `SELECT subject || E'\n' || body FROM dev_mailbox
			WHERE recipient = 'karin@example.se' AND subject LIKE $1 || '%' ORDER BY created_at DESC LIMIT 1`, subject).Scan(&body)
		if err == nil {
			return body
		}
		if time.Now().After(deadline) {
			t.Fatalf("no e-mail %q: %v", subject, err)
		}
		time.Sleep(50 * time.Millisecond)
	}
}

// An e-service admin adds a booking field: the editor offers the municipality's resources and
// refuses a field without one, or with one it does not have.
func TestBookingFieldEditor(t *testing.T) {
	p := webtest.Start(t)
	erik := staffBrowser(t, p, "eservice-admin-alingsas")
	store := eservice.NewStore(p.Pool)
	e, err := store.CreateByAdmin(t.Context(), staffActor(t, p, "ali-1003"), "Boka bastun", "", "culture")
	if err != nil {
		t.Fatal(err)
	}
	base := "/personal/etjanster/" + e.ID.String() + "/formular"
	if resp, body := erik.post(base+"/steg", url.Values{"new_step_title": {"Tid"}, "new_step_key": {"tid"}}); resp.StatusCode != http.StatusSeeOther {
		t.Fatalf("add a step: %d: %s", resp.StatusCode, errorText(body))
	}
	assertContains(t, "the new booking field", erik.page(base+"/steg/tid/nytt-falt?typ=booking"),
		`<option value="booking" selected>`, "Vad ska bokas?", `<option value="radgivning-bygglov">Rådgivning bygglov</option>`,
		`<option value="grillplats-mjornstranden">`)
	field := url.Values{"type": {"booking"}, "key": {"tid"}, "label_sv": {"Välj en tid"}, "required": {"yes"}, "action": {"save"}}
	resp, body := erik.post(base+"/steg/tid/nytt-falt", field)
	editorRefused(t, "a booking field without a resource", resp, body, "resource", "Välj vad som ska bokas i bokningsfältet.", `value="Välj en tid"`)
	field.Set("resource", "idrottshall-ekangen") // Motala's
	resp, body = erik.post(base+"/steg/tid/nytt-falt", field)
	editorRefused(t, "another municipality's resource", resp, body, "resource", "Välj en av kommunens bokningsbara resurser.")
	field.Set("resource", "radgivning-bygglov")
	if resp, body := erik.post(base+"/steg/tid/nytt-falt", field); resp.StatusCode != http.StatusSeeOther {
		t.Fatalf("a booking field: %d: %s", resp.StatusCode, errorText(body))
	}
	v, _, err := store.Working(t.Context(), e.ID)
	if err != nil {
		t.Fatal(err)
	}
	if f, ok := v.Definition.Field("tid"); !ok || f.Type != form.Booking || f.Resource != "radgivning-bygglov" || !f.Required {
		t.Errorf("the stored field: %+v", f)
	}
	assertContains(t, "the field's form", erik.page(base+"/falt/tid"), `<option value="radgivning-bygglov" selected>`)

	// The preview offers the free times and holds none.
	preview := "/personal/etjanster/" + e.ID.String() + "/forhandsgranska"
	page := erik.page(preview + "/steg/tid")
	m := regexp.MustCompile(`name="tid" value="([^"]+)"`).FindStringSubmatch(page)
	if m == nil {
		t.Fatalf("the preview offers no time: %s", errorText(page))
	}
	if resp, body := erik.step(preview+"/steg/tid", url.Values{"tid": {m[1]}}, "next"); resp.StatusCode != http.StatusSeeOther {
		t.Fatalf("a time picked in the preview: %d: %s", resp.StatusCode, errorText(body))
	}
	if n := dbInt(t, p, `SELECT count(*) FROM booking_hold`); n != 0 {
		t.Errorf("the preview holds %d times", n)
	}
	start, end, _ := form.ParseBookingValue(m[1])
	assertContains(t, "the preview's review", erik.page(preview+"/granska"), i18n.Clock(start)+"–"+i18n.Clock(end))
}
