package e2e

import (
	"context"
	"net/url"
	"strings"
	"testing"
	"time"

	"github.com/chromedp/chromedp"
	"github.com/google/uuid"
	"github.com/minasidor/minasidor/internal/booking"
	"github.com/minasidor/minasidor/internal/browsertest"
	"github.com/minasidor/minasidor/internal/i18n"
	"github.com/minasidor/minasidor/internal/web/webtest"
)

// A citizen books an advisor's time, moves it and cancels it in a browser without JavaScript, at
// a desktop's width and at 320 px; the advisor cancels another in the calendar with a message,
// which the citizen reads. axe checks every page.
func TestBookingWithoutJavaScript(t *testing.T) {
	for _, width := range citizenWidths {
		t.Run(widthName(width), func(t *testing.T) { bookingWithoutJavaScript(t, width) })
	}
}

func bookingWithoutJavaScript(t *testing.T, width int) {
	p := webtest.Start(t)
	// Tuesday 8 December 2026, 10:00 in Alingsås.
	now := time.Date(2026, 12, 8, 10, 0, 0, 0, i18n.Stockholm)
	p.BookingClock.Advance(now.Sub(p.BookingClock.Now()))
	b := browsertest.New(t, browsertest.WithoutJavaScript(), browsertest.WithWindowSize(width, 900))

	b.Navigate(p.URL + "/login?return=%2Fmina-sidor")
	bdLogin(t, b, pickPerson(karinName), "/mina-sidor")
	b.ClickAndWait(`a[href="/mina-sidor/bokningar"]`)
	if got := b.Text("h1"); got != "Mina bokningar" {
		t.Fatalf("h1 = %q, want Mina bokningar", got)
	}
	if !strings.Contains(b.Text("main"), "Du har inga kommande bokningar.") {
		t.Error("a new citizen has upcoming bookings")
	}

	// The advisor's free times, a week by day; book Thursday 09:00.
	var advice string
	if err := p.Pool.QueryRow(context.Background(), `SELECT id FROM booking_resource WHERE slug = 'radgivning-bygglov'`).Scan(&advice); err != nil {
		t.Fatal(err)
	}
	b.ClickAndWait(`main a[href="/boka/` + advice + `"]`)
	if got := b.Text("h1"); got != "Rådgivning bygglov" {
		t.Fatalf("h1 = %q", got)
	}
	if got := b.Text("#dag-2026-12-10 legend"); got != "torsdag 10 december 2026" {
		t.Errorf("the day's legend = %q", got)
	}
	b.Click(`label[for="tid-20261210T0800"]`)
	b.ClickAndWait(`form.booking-times button[type="submit"]`)
	main := b.Text("main")
	for _, want := range []string{"Klart! Tiden är bokad.", "torsdag 10 december 2026 kl. 09:00–09:30", "Stadshuset, Stora torget 1, Alingsås"} {
		if !strings.Contains(main, want) {
			t.Errorf("the booking's page lacks %q: %s", want, main)
		}
	}
	if got := b.Attr(`a[href$="/kalender.ics"]`, "download"); got != "" {
		t.Errorf("the calendar link's download attribute = %q", got)
	}

	// Move it to Monday 14 December 09:00.
	b.ClickAndWait(`a[href$="/omboka"]`)
	if !strings.Contains(b.Text("main"), "Din bokade tid nu") {
		t.Error("the rebooking page does not show the current time")
	}
	b.Click(`label[for="tid-20261214T0800"]`)
	b.ClickAndWait(`form.booking-times button[type="submit"]`)
	main = b.Text("main")
	if !strings.Contains(main, "Din bokning är flyttad till den nya tiden.") || !strings.Contains(main, "måndag 14 december 2026 kl. 09:00–09:30") {
		t.Errorf("after moving: %s", main)
	}

	// Cancel it.
	b.ClickAndWait(`form[action$="/avboka"] button`)
	main = b.Text("main")
	if !strings.Contains(main, "Bokningen är avbokad.") || !strings.Contains(main, "Avbokad") {
		t.Errorf("after cancelling: %s", main)
	}
	b.ClickAndWait(`main a[href="/mina-sidor/bokningar"]`)
	main = b.Text("main")
	if !strings.Contains(main, "Du har inga kommande bokningar.") || !strings.Contains(main, "måndag 14 december 2026 kl. 09:00–09:30") {
		t.Errorf("Mina bokningar after cancelling: %s", main)
	}

	// Book Thursday 09:00 again; the advisor cancels it in the calendar with a message.
	b.ClickAndWait(`main a[href="/boka/` + advice + `"]`)
	b.Click(`label[for="tid-20261210T0800"]`)
	b.ClickAndWait(`form.booking-times button[type="submit"]`)
	booking := b.Location()
	b.ClickAndWait(`form.logout button`)

	b.Navigate(p.URL + "/personal/login?return=%2Fpersonal%2Fbokningar")
	bdLogin(t, b, pickPerson("Anna Handläggare"), "/personal/bokningar")
	b.ClickAndWait(`main a[href="/personal/bokningar/` + advice + `"]`)
	b.ClickAndWait(`main a[href$="?dag=2026-12-08&vy=dag"]`)
	b.ClickAndWait(`main a[href$="?dag=2026-12-09&vy=dag"]`) // Nästa
	b.ClickAndWait(`main a[href$="?dag=2026-12-10&vy=dag"]`)
	if got := b.Text("#tid-20261210T0800"); !strings.Contains(got, karinName) || !strings.Contains(got, "1 av 1 platser bokade.") {
		t.Fatalf("the calendar's 09:00: %q", got)
	}
	b.Run(chromedp.SendKeys(chromedp.CSS(`#tid-20261210T0800 textarea`), "Rådgivaren är sjuk. Välkommen att boka en ny tid."))
	b.ClickAndWait(`#tid-20261210T0800 form[action$="/avboka"] button`)
	if !strings.Contains(b.Text("main"), "Bokningen är avbokad.") {
		t.Errorf("after the advisor cancelled: %s", b.Text("main"))
	}
	b.ClickAndWait(`form.logout button`)

	b.Navigate(p.URL + "/login?return=" + url.QueryEscape(strings.TrimPrefix(booking, p.URL)))
	bdLogin(t, b, pickPerson(karinName), strings.TrimPrefix(strings.Split(booking, "?")[0], p.URL))
	main = b.Text("main")
	if !strings.Contains(main, "Avbokad av kommunen") || !strings.Contains(main, "Rådgivaren är sjuk. Välkommen att boka en ny tid.") {
		t.Errorf("the citizen's cancelled booking: %s", main)
	}
}

// An e-service admin adds a resource and closes a day of it without JavaScript; axe checks every
// page.
func TestBookingResourceAdminWithoutJavaScript(t *testing.T) {
	p := webtest.Start(t)
	now := time.Date(2026, 12, 8, 10, 0, 0, 0, i18n.Stockholm)
	p.BookingClock.Advance(now.Sub(p.BookingClock.Now()))
	b := browsertest.New(t, browsertest.WithoutJavaScript())

	b.Navigate(p.URL + "/personal/login?return=%2Fpersonal%2Fresurser")
	bdLogin(t, b, pickPerson("Erik Förvaltare"), "/personal/resurser")
	b.ClickAndWait(`main a[href="/personal/resurser/ny"]`)
	b.Run(chromedp.SendKeys(chromedp.CSS("#name_sv"), "Bastu Nolhaga"))
	b.Run(chromedp.SendKeys(chromedp.CSS("#place_sv"), "Nolhagabadet"))
	b.ClickAndWait(`main form.form button[type="submit"]`)
	if !strings.Contains(b.Text("main"), "Ändringarna är sparade.") {
		t.Fatalf("after saving: %s", b.Text("main"))
	}
	b.Run(chromedp.SetValue(chromedp.CSS("#day"), "2026-12-09"))
	b.ClickAndWait(`form[action$="/dagar"] button[type="submit"]`)
	if !strings.Contains(b.Text("main"), "onsdag 9 december 2026: stängt") {
		t.Errorf("after closing a day: %s", b.Text("main"))
	}
	b.ClickAndWait(`main a[href="/personal/resurser"]`)
	if !strings.Contains(b.Text("main"), "Bastu Nolhaga") {
		t.Errorf("the list lacks the new resource: %s", b.Text("main"))
	}
}

// A citizen books the building permit advice through its e-service without JavaScript, at a
// desktop's width and at 320 px: a time picked on the form's first step is held for the draft
// (a time taken meanwhile is refused at the field), the review says until when, and the submit
// books it with the case, which Mina bokningar shows. axe checks every page.
func TestBookingEServiceWithoutJavaScript(t *testing.T) {
	for _, width := range citizenWidths {
		t.Run(widthName(width), func(t *testing.T) { bookingEServiceWithoutJavaScript(t, width) })
	}
}

func bookingEServiceWithoutJavaScript(t *testing.T, width int) {
	p := webtest.Start(t)
	ctx := context.Background()
	// Tuesday 8 December 2026, 10:00 in Alingsås.
	now := time.Date(2026, 12, 8, 10, 0, 0, 0, i18n.Stockholm)
	p.BookingClock.Advance(now.Sub(p.BookingClock.Now()))
	b := browsertest.New(t, browsertest.WithoutJavaScript(), browsertest.WithWindowSize(width, 900))

	b.Navigate(p.URL + "/login?return=%2Fe-tjanster%2Fboka-radgivning-bygglov")
	bdLogin(t, b, pickPerson(karinName), "/e-tjanster/boka-radgivning-bygglov")
	b.ClickAndWait(esStart)
	if got := b.Text("h1"); !strings.Contains(got, "Välj en tid") {
		t.Fatalf("the first step's h1 = %q", got)
	}
	if got := b.Text("#tid-dag-2026-12-10 legend"); got != "torsdag 10 december 2026" {
		t.Errorf("the day's legend = %q", got)
	}

	// 09:30 is booked by someone else after the page was shown: Nästa says so at the field.
	var advice, karin uuid.UUID
	if err := p.Pool.QueryRow(ctx, `SELECT id FROM booking_resource WHERE slug = 'radgivning-bygglov'`).Scan(&advice); err != nil {
		t.Fatal(err)
	}
	if err := p.Pool.QueryRow(ctx, `SELECT id FROM account WHERE personal_number = '198504129829'`).Scan(&karin); err != nil {
		t.Fatal(err)
	}
	if _, err := booking.NewStore(p.Pool, p.Notices, p.BookingClock.Now).Book(ctx, karin, advice, time.Date(2026, 12, 10, 9, 30, 0, 0, i18n.Stockholm)); err != nil {
		t.Fatal(err)
	}
	b.Click(`label[for="tid-20261210T0830"]`)
	if status := b.ClickAndWait(esNext); status != 409 {
		t.Errorf("Nästa with a time taken meanwhile: status %d, want 409", status)
	}
	if got := b.Text(".error-summary"); !strings.Contains(got, "Tiden är inte längre ledig.") {
		t.Errorf("the error summary = %q", got)
	}

	// 09:00 is held; the step shows until when.
	b.Click(`label[for="tid-20261210T0800"]`)
	b.ClickAndWait(esNext)
	b.ClickAndWait(`nav.progress a`) // back to the first step
	if got := b.Text(".booking-field .notice.ok"); !strings.Contains(got, "Tiden är reserverad för dig till kl.") {
		t.Errorf("the step with the held time says %q", got)
	}
	if got := b.Text(`label[for="tid-reserverad-tid"]`); !strings.Contains(got, "torsdag 10 december 2026 kl. 09:00–09:30") {
		t.Errorf("the held time's label = %q", got)
	}
	b.ClickAndWait(esNext)
	b.Run(chromedp.SendKeys(chromedp.CSS("#fragor"), "Ett garage på tomten."))
	b.ClickAndWait(esNext)
	main := b.Text("main")
	for _, want := range []string{"torsdag 10 december 2026 kl. 09:00–09:30", "Tiden är reserverad för dig till kl.", "Ett garage på tomten."} {
		if !strings.Contains(main, want) {
			t.Errorf("the review lacks %q: %s", want, main)
		}
	}
	b.ClickAndWait(esSubmit)
	main = b.Text("main")
	if !strings.Contains(main, "Ditt ärende är nu inskickat") || !strings.Contains(main, "torsdag 10 december 2026 kl. 09:00–09:30") {
		t.Errorf("the receipt: %s", main)
	}
	reference := b.Text("p.reference strong")

	// Mina bokningar lists it with its case; its page links to the case.
	b.Navigate(p.URL + "/mina-sidor/bokningar")
	if got := b.Text("main"); !strings.Contains(got, "Rådgivning bygglov, torsdag 10 december 2026 kl. 09:00–09:30") || !strings.Contains(got, reference) {
		t.Errorf("Mina bokningar: %s", got)
	}
	b.ClickAndWait(`main a[href^="/mina-sidor/bokningar/"]`)
	b.ClickAndWait(`main dd a[href^="/arenden/"]`)
	if got := b.Text("main"); !strings.Contains(got, "Tid bokad: torsdag 10 december 2026 kl. 09:00–09:30") {
		t.Errorf("the case page: %s", got)
	}
}
