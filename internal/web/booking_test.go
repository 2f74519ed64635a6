package web_test

import (
	"context"
	"fmt"
	"html"
	"io"
	"net/http"
	"net/url"
	"regexp"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/google/uuid"
	"github.com/minasidor/minasidor/internal/booking"
	"github.com/minasidor/minasidor/internal/i18n"
	"github.com/minasidor/minasidor/internal/web/webtest"
)

// Booking through the real server and PostgreSQL: Mina bokningar, the free times by day, booking,
// the calendar file, moving and cancelling a booking with the resource's limits, summer time, and
// the capacity that the database guarantees under 1,000 concurrent attempts.

// bkResource adds a resource to Alingsås open 09:00–12:00 every day (or the hours given), with
// the given slot length in minutes and capacity, and returns its id.
func bkResource(t *testing.T, p *webtest.Portal, slug string, slotMinutes, capacity, aheadDays, bookBefore, cancelBefore int, hours ...string) uuid.UUID {
	t.Helper()
	ctx := context.Background()
	var id uuid.UUID
	err := p.Pool.QueryRow(ctx, `
		INSERT INTO booking_resource (tenant_id, slug, name, place, slot_minutes, capacity, ahead_days, book_before_minutes, cancel_before_minutes)
		SELECT id, $1, jsonb_build_object('sv', 'Testresurs ' || $1::text, 'en', 'Test resource ' || $1::text), '{"sv": "Stadshuset"}', $2, $3, $4, $5, $6
		FROM tenant WHERE slug = 'alingsas' RETURNING id`, slug, slotMinutes, capacity, aheadDays, bookBefore, cancelBefore).Scan(&id)
	if err != nil {
		t.Fatal(err)
	}
	if len(hours) == 0 {
		hours = []string{"09:00", "12:00"}
	}
	for wd := 1; wd <= 7; wd++ {
		if _, err := p.Pool.Exec(ctx, `INSERT INTO booking_hours (resource_id, weekday, opens, closes) VALUES ($1, $2, $3, $4)`,
			id, wd, hours[0], hours[1]); err != nil {
			t.Fatal(err)
		}
	}
	return id
}

// bkAt is a wall-clock time in Stockholm.
func bkAt(y int, m time.Month, d, h, min int) time.Time {
	return time.Date(y, m, d, h, min, 0, 0, i18n.Stockholm)
}

// bkSetClock puts the portal's booking clock at now.
func bkSetClock(p *webtest.Portal, now time.Time) {
	p.BookingClock.Advance(now.Sub(p.BookingClock.Now()))
}

func bkValue(t time.Time) string { return t.UTC().Format(time.RFC3339) }

var bkRedirect = regexp.MustCompile(`^/mina-sidor/bokningar/([0-9a-f-]{36})\?`)

// bkBook books the time and returns the booking's id.
func bkBook(t *testing.T, p *webtest.Portal, c *http.Client, resource uuid.UUID, start time.Time) string {
	t.Helper()
	resp := p.Do(t, c, "POST", "/boka/"+resource.String(), url.Values{"tid": {bkValue(start)}})
	if resp.StatusCode != http.StatusSeeOther {
		t.Fatalf("book %s: status %d: %s", start, resp.StatusCode, webtest.ReadBody(t, resp))
	}
	m := bkRedirect.FindStringSubmatch(resp.Header.Get("Location"))
	if m == nil || !strings.HasSuffix(resp.Header.Get("Location"), "?bokad=1") {
		t.Fatalf("book: redirected to %q", resp.Header.Get("Location"))
	}
	return m[1]
}

func bkBooked(t *testing.T, p *webtest.Portal, resource uuid.UUID, start time.Time) int {
	t.Helper()
	var n int
	err := p.Pool.QueryRow(context.Background(), `
		SELECT coalesce((SELECT booked FROM booking_slot WHERE resource_id = $1 AND starts_at = $2), 0)`, resource, start).Scan(&n)
	if err != nil {
		t.Fatal(err)
	}
	return n
}

func bkGet(t *testing.T, p *webtest.Portal, c *http.Client, path string, want int) string {
	t.Helper()
	resp := p.Do(t, c, "GET", path, nil)
	body := webtest.ReadBody(t, resp)
	if resp.StatusCode != want {
		t.Fatalf("GET %s: status %d, want %d: %s", path, resp.StatusCode, want, body)
	}
	return html.UnescapeString(body)
}

func TestBookingBookRebookCancel(t *testing.T) {
	p := webtest.Start(t)
	// Tuesday 8 December 2026, 10:00.
	bkSetClock(p, bkAt(2026, 12, 8, 10, 0))
	res := bkResource(t, p, "radgivning", 30, 1, 14, 120, 1440, "09:00", "16:00")
	c := p.Client(t)

	// Not logged in: the pages ask for a login.
	for _, path := range []string{"/mina-sidor/bokningar", "/boka/" + res.String()} {
		if resp := p.Do(t, c, "GET", path, nil); resp.StatusCode != http.StatusSeeOther || !strings.Contains(resp.Header.Get("Location"), "/login") {
			t.Errorf("GET %s without login: status %d to %q", path, resp.StatusCode, resp.Header.Get("Location"))
		}
	}
	p.Login(t, c, "adult", "/mina-sidor")

	// Mina sidor links to Mina bokningar, which lists the municipality's resources, the demo's too.
	if page := bkGet(t, p, c, "/mina-sidor", http.StatusOK); !strings.Contains(page, `href="/mina-sidor/bokningar"`) {
		t.Error("Mina sidor has no link to Mina bokningar")
	}
	list := bkGet(t, p, c, "/mina-sidor/bokningar", http.StatusOK)
	for _, want := range []string{"Du har inga kommande bokningar.", "/boka/" + res.String(), "Rådgivning bygglov", "Grillplats Mjörnstranden"} {
		if !strings.Contains(list, want) {
			t.Errorf("Mina bokningar lacks %q", want)
		}
	}
	if strings.Contains(list, "Idrottshall Ekängen") {
		t.Error("Mina bokningar in Alingsås offers Motala's hall")
	}

	// The free times: from 12:00 today (two hours' notice) on, by day, in Stockholm time.
	times := bkGet(t, p, c, "/boka/"+res.String(), http.StatusOK)
	for _, want := range []string{"tisdag 8 december 2026", "kl. 12:00–12:30", "onsdag 9 december 2026", "kl. 09:00–09:30", "Du kan boka upp till 14 dagar framåt."} {
		if !strings.Contains(times, want) {
			t.Errorf("the times page lacks %q", want)
		}
	}
	if strings.Contains(times, bkValue(bkAt(2026, 12, 8, 11, 30))) {
		t.Error("a time within the two hours' notice is offered")
	}
	if strings.Contains(times, bkValue(bkAt(2026, 12, 8, 16, 0))) {
		t.Error("a time outside the opening hours (16:00 closes) is offered")
	}
	// Too soon, not a time of the resource, too far ahead: refused, nothing booked.
	for _, start := range []time.Time{bkAt(2026, 12, 8, 11, 30), bkAt(2026, 12, 9, 9, 10), bkAt(2026, 12, 23, 9, 0)} {
		resp := p.Do(t, c, "POST", "/boka/"+res.String(), url.Values{"tid": {bkValue(start)}})
		if body := html.UnescapeString(webtest.ReadBody(t, resp)); resp.StatusCode != http.StatusUnprocessableEntity || !strings.Contains(body, "Den tiden går inte att boka.") {
			t.Errorf("book %s: status %d", start, resp.StatusCode)
		}
	}
	if resp := p.Do(t, c, "POST", "/boka/"+res.String(), url.Values{}); resp.StatusCode != http.StatusUnprocessableEntity {
		t.Errorf("book without a time: status %d", resp.StatusCode)
	}

	// Book Thursday 09:00; the page says so; the time is no longer offered; another citizen gets
	// "no longer free".
	first := bkAt(2026, 12, 10, 9, 0)
	id := bkBook(t, p, c, res, first)
	page := bkGet(t, p, c, "/mina-sidor/bokningar/"+id+"?bokad=1", http.StatusOK)
	for _, want := range []string{"Klart! Tiden är bokad.", "torsdag 10 december 2026 kl. 09:00–09:30", "Stadshuset", "Alingsås kommun", "Du kan avboka eller boka om tiden fram till 2026-12-09 09:00."} {
		if !strings.Contains(page, want) {
			t.Errorf("the booking's page lacks %q", want)
		}
	}
	if strings.Contains(bkGet(t, p, c, "/boka/"+res.String(), http.StatusOK), bkValue(first)) {
		t.Error("a booked time is still offered")
	}
	other := p.Client(t)
	p.Login(t, other, "guardian1", "/mina-sidor")
	resp := p.Do(t, other, "POST", "/boka/"+res.String(), url.Values{"tid": {bkValue(first)}})
	if body := html.UnescapeString(webtest.ReadBody(t, resp)); resp.StatusCode != http.StatusConflict || !strings.Contains(body, "Tiden är inte längre ledig.") {
		t.Errorf("book a taken time: status %d", resp.StatusCode)
	}
	// Another citizen cannot see, move or cancel it.
	bkGet(t, p, other, "/mina-sidor/bokningar/"+id, http.StatusNotFound)
	bkGet(t, p, other, "/mina-sidor/bokningar/"+id+"/kalender.ics", http.StatusNotFound)
	if resp := p.Do(t, other, "POST", "/mina-sidor/bokningar/"+id+"/avboka", url.Values{}); resp.StatusCode != http.StatusNotFound {
		t.Errorf("another citizen cancels: status %d", resp.StatusCode)
	}

	// The calendar file.
	resp = p.Do(t, c, "GET", "/mina-sidor/bokningar/"+id+"/kalender.ics", nil)
	ics := webtest.ReadBody(t, resp)
	if resp.StatusCode != http.StatusOK || !strings.HasPrefix(resp.Header.Get("Content-Type"), "text/calendar") {
		t.Fatalf("ics: status %d, %s", resp.StatusCode, resp.Header.Get("Content-Type"))
	}
	for _, want := range []string{"BEGIN:VCALENDAR\r\n", "UID:" + id + "@minasidor\r\n", "DTSTART:20261210T080000Z\r\n", "DTEND:20261210T083000Z\r\n",
		"SUMMARY:Testresurs radgivning\r\n", "LOCATION:Stadshuset\r\n", "STATUS:CONFIRMED\r\n", "END:VCALENDAR\r\n"} {
		if !strings.Contains(ics, want) {
			t.Errorf("ics lacks %q:\n%s", want, ics)
		}
	}

	// Rebook to a time that is taken: refused, the booking stays.
	taken := bkAt(2026, 12, 11, 9, 0)
	bkBook(t, p, other, res, taken)
	resp = p.Do(t, c, "POST", "/mina-sidor/bokningar/"+id+"/omboka", url.Values{"tid": {bkValue(taken)}})
	if body := html.UnescapeString(webtest.ReadBody(t, resp)); resp.StatusCode != http.StatusConflict || !strings.Contains(body, "Tiden är inte längre ledig.") {
		t.Errorf("rebook to a taken time: status %d", resp.StatusCode)
	}
	if bkBooked(t, p, res, first) != 1 {
		t.Error("a refused rebooking released the old time")
	}

	// Rebook to Friday 10:00, twice (a double click): one new place, the old one free again.
	rebook := bkGet(t, p, c, "/mina-sidor/bokningar/"+id+"/omboka", http.StatusOK)
	if !strings.Contains(rebook, "Din bokade tid nu") || !strings.Contains(rebook, bkValue(bkAt(2026, 12, 11, 10, 0))) {
		t.Error("the rebooking page lacks the current time or the new times")
	}
	second := bkAt(2026, 12, 11, 10, 0)
	var newID string
	for range 2 {
		resp = p.Do(t, c, "POST", "/mina-sidor/bokningar/"+id+"/omboka", url.Values{"tid": {bkValue(second)}})
		m := bkRedirect.FindStringSubmatch(resp.Header.Get("Location"))
		if resp.StatusCode != http.StatusSeeOther || m == nil || !strings.HasSuffix(resp.Header.Get("Location"), "?ombokad=1") {
			t.Fatalf("rebook: status %d to %q", resp.StatusCode, resp.Header.Get("Location"))
		}
		if newID != "" && m[1] != newID {
			t.Errorf("a second rebooking made another booking %s (first %s)", m[1], newID)
		}
		newID = m[1]
	}
	if bkBooked(t, p, res, first) != 0 || bkBooked(t, p, res, second) != 1 {
		t.Errorf("after rebooking: old time %d places taken, new %d", bkBooked(t, p, res, first), bkBooked(t, p, res, second))
	}
	if page := bkGet(t, p, c, "/mina-sidor/bokningar/"+newID+"?ombokad=1", http.StatusOK); !strings.Contains(page, "Din bokning är flyttad") || !strings.Contains(page, "fredag 11 december 2026 kl. 10:00–10:30") {
		t.Error("the moved booking's page lacks its message or time")
	}
	list = bkGet(t, p, c, "/mina-sidor/bokningar", http.StatusOK)
	if !strings.Contains(list, "fredag 11 december 2026 kl. 10:00–10:30") || strings.Contains(list, "torsdag 10 december 2026 kl. 09:00") {
		t.Error("Mina bokningar does not list the moved booking at its new time only")
	}

	// Cancel, twice: one place back, the page says it is cancelled.
	for range 2 {
		resp = p.Do(t, c, "POST", "/mina-sidor/bokningar/"+newID+"/avboka", url.Values{})
		if resp.StatusCode != http.StatusSeeOther || resp.Header.Get("Location") != "/mina-sidor/bokningar/"+newID+"?avbokad=1" {
			t.Fatalf("cancel: status %d to %q", resp.StatusCode, resp.Header.Get("Location"))
		}
	}
	if n := bkBooked(t, p, res, second); n != 0 {
		t.Errorf("after cancelling twice: %d places taken", n)
	}
	page = bkGet(t, p, c, "/mina-sidor/bokningar/"+newID+"?avbokad=1", http.StatusOK)
	if !strings.Contains(page, "Bokningen är avbokad.") || strings.Contains(page, `/avboka"`) {
		t.Error("the cancelled booking's page lacks its message, or still offers to cancel")
	}
	if resp := p.Do(t, c, "POST", "/mina-sidor/bokningar/"+newID+"/omboka", url.Values{"tid": {bkValue(first)}}); resp.StatusCode != http.StatusConflict {
		t.Errorf("rebook a cancelled booking: status %d", resp.StatusCode)
	}
	list = bkGet(t, p, c, "/mina-sidor/bokningar", http.StatusOK)
	if !strings.Contains(list, "Du har inga kommande bokningar.") || !strings.Contains(list, "Avbokad") {
		t.Error("Mina bokningar does not list the cancelled booking as past")
	}

	// The cancellation limit: a day before. At 09:01 the day before, too late.
	late := bkBook(t, p, c, res, bkAt(2026, 12, 12, 9, 0))
	bkSetClock(p, bkAt(2026, 12, 11, 9, 1))
	page = bkGet(t, p, c, "/mina-sidor/bokningar/"+late, http.StatusOK)
	if !strings.Contains(page, "Det går inte längre att avboka eller boka om på webben") || strings.Contains(page, `/avboka"`) {
		t.Error("past the limit, the page still offers to cancel")
	}
	resp = p.Do(t, c, "POST", "/mina-sidor/bokningar/"+late+"/avboka", url.Values{})
	if body := html.UnescapeString(webtest.ReadBody(t, resp)); resp.StatusCode != http.StatusConflict || !strings.Contains(body, "för sent att avboka") {
		t.Errorf("cancel past the limit: status %d", resp.StatusCode)
	}
	if resp := p.Do(t, c, "POST", "/mina-sidor/bokningar/"+late+"/omboka", url.Values{"tid": {bkValue(bkAt(2026, 12, 14, 9, 0))}}); resp.StatusCode != http.StatusConflict {
		t.Errorf("rebook past the limit: status %d", resp.StatusCode)
	}
	if n := bkBooked(t, p, res, bkAt(2026, 12, 12, 9, 0)); n != 1 {
		t.Errorf("past the limit: %d places taken, want 1", n)
	}
}

// Times are wall-clock times in Stockholm on both sides of the changes to and from summer time:
// 09:00 is 08:00 UTC in winter and 07:00 UTC in summer, and the days are calendar days.
func TestBookingSummerTime(t *testing.T) {
	p := webtest.Start(t)
	res := bkResource(t, p, "sommartid", 60, 1, 30, 0, 0, "09:00", "11:00")
	c := p.Client(t)
	p.Login(t, c, "adult", "/mina-sidor")
	cases := []struct {
		name   string
		now    time.Time
		from   string
		before time.Time // the day before the change, 09:00
		after  time.Time // the day after
		utc    [2]string // 09:00 before and after, in UTC
	}{
		{"spring", bkAt(2027, 3, 26, 12, 0), "2027-03-27", bkAt(2027, 3, 27, 9, 0), bkAt(2027, 3, 29, 9, 0), [2]string{"2027-03-27T08:00:00Z", "2027-03-29T07:00:00Z"}},
		{"autumn", bkAt(2027, 10, 29, 12, 0), "2027-10-30", bkAt(2027, 10, 30, 9, 0), bkAt(2027, 11, 1, 9, 0), [2]string{"2027-10-30T07:00:00Z", "2027-11-01T08:00:00Z"}},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			bkSetClock(p, tc.now)
			page := bkGet(t, p, c, "/boka/"+res.String()+"?fran="+tc.from, http.StatusOK)
			for _, want := range []string{`value="` + tc.utc[0] + `"`, `value="` + tc.utc[1] + `"`} {
				if !strings.Contains(page, want) {
					t.Errorf("the times lack %s", want)
				}
			}
			// Three days each with 09:00 and 10:00: six times, none at 08:00 or 11:00 local time.
			if n := strings.Count(page, `name="tid"`); n < 6 {
				t.Errorf("%d times shown", n)
			}
			if strings.Contains(page, "kl. 08:00") || strings.Contains(page, "kl. 11:00–") {
				t.Error("a time outside 09:00–11:00 local time is shown")
			}
			for i, start := range []time.Time{tc.before, tc.after} {
				if bkValue(start) != tc.utc[i] {
					t.Fatalf("test data: %s is %s", start, bkValue(start))
				}
				id := bkBook(t, p, c, res, start)
				ics := bkGet(t, p, c, "/mina-sidor/bokningar/"+id+"/kalender.ics", http.StatusOK)
				u, _ := time.Parse(time.RFC3339, tc.utc[i])
				if want := "DTSTART:" + u.Format("20060102T150405Z"); !strings.Contains(ics, want) {
					t.Errorf("ics lacks %s", want)
				}
				if page := bkGet(t, p, c, "/mina-sidor/bokningar/"+id, http.StatusOK); !strings.Contains(page, "kl. 09:00–10:00") {
					t.Errorf("the booking of %s is not shown at 09:00–10:00", start)
				}
			}
		})
	}
}

// 1,000 concurrent attempts over HTTP at a time with 10 places: exactly 10 bookings, 990 clear
// "no longer free" answers, and no server error.
func TestBookingConcurrentAttempts(t *testing.T) {
	p := webtest.Start(t)
	bkSetClock(p, bkAt(2026, 12, 8, 10, 0))
	res := bkResource(t, p, "kurs", 120, 10, 30, 0, 0, "18:00", "20:00")
	start := bkAt(2026, 12, 15, 18, 0)

	const attempts, people, inFlight = 1000, 5, 200
	var clients []*http.Client
	for _, person := range []string{"adult", "guardian1", "guardian2", "signatory", "noaddress"}[:people] {
		c := p.Client(t)
		c.Transport.(*http.Transport).MaxIdleConnsPerHost = inFlight
		p.Login(t, c, person, "/mina-sidor")
		clients = append(clients, c)
	}
	target := p.URL + "/boka/" + res.String()
	body := url.Values{"tid": {bkValue(start)}}.Encode()
	attempt := func(c *http.Client) (int, string, error) {
		req, err := http.NewRequest("POST", target, strings.NewReader(body))
		if err != nil {
			return 0, "", err
		}
		req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
		req.Header.Set("Origin", p.URL)
		req.Header.Set("Sec-Fetch-Site", "same-origin")
		resp, err := c.Do(req)
		if err != nil {
			return 0, "", err
		}
		defer resp.Body.Close()
		b, err := io.ReadAll(resp.Body)
		return resp.StatusCode, string(b), err
	}

	var (
		mu                    sync.Mutex
		booked, taken, others int
		problems              []string
		wg                    sync.WaitGroup
	)
	gate := make(chan struct{})
	slots := make(chan struct{}, inFlight)
	began := time.Now()
	for i := range attempts {
		wg.Add(1)
		go func() {
			defer wg.Done()
			<-gate
			slots <- struct{}{}
			defer func() { <-slots }()
			status, page, err := attempt(clients[i%people])
			mu.Lock()
			defer mu.Unlock()
			switch {
			case err != nil:
				others++
				problems = append(problems, err.Error())
			case status == http.StatusSeeOther:
				booked++
			case status == http.StatusConflict && strings.Contains(html.UnescapeString(page), "Tiden är inte längre ledig."):
				taken++
			default:
				others++
				problems = append(problems, fmt.Sprintf("status %d", status))
			}
		}()
	}
	close(gate)
	wg.Wait()
	t.Logf("%d attempts in %s: %d booked, %d no longer free, %d other", attempts, time.Since(began).Round(time.Millisecond), booked, taken, others)
	if booked != 10 || taken != attempts-10 || others != 0 {
		if len(problems) > 5 {
			problems = problems[:5]
		}
		t.Errorf("booked %d, no longer free %d, other %d (%v); want 10, 990, 0", booked, taken, others, problems)
	}
	var slotBooked, rows int
	if err := p.Pool.QueryRow(context.Background(), `
		SELECT (SELECT booked FROM booking_slot WHERE resource_id = $1), (SELECT count(*) FROM booking WHERE resource_id = $1 AND state = 'booked')`,
		res).Scan(&slotBooked, &rows); err != nil {
		t.Fatal(err)
	}
	if slotBooked != 10 || rows != 10 {
		t.Errorf("the database has %d places taken and %d bookings, want 10 and 10", slotBooked, rows)
	}
}

// The calendar of a resource for its handlers: the bookers (audited), blocking and opening a
// time, cancelling a booking with a message the citizen reads; nobody else sees it.
func TestBookingStaffCalendar(t *testing.T) {
	p := webtest.Start(t)
	ctx := context.Background()
	bkSetClock(p, bkAt(2026, 12, 8, 10, 0))
	var res uuid.UUID
	if err := p.Pool.QueryRow(ctx, `SELECT id FROM booking_resource WHERE slug = 'radgivning-bygglov'`).Scan(&res); err != nil {
		t.Fatal(err)
	}
	citizen := p.Client(t)
	p.Login(t, citizen, "adult", "/mina-sidor")
	booked := bkAt(2026, 12, 10, 9, 0)
	id := bkBook(t, p, citizen, res, booked)

	// Sara has a protected identity: the calendar never shows her name.
	sara := p.Client(t)
	p.Login(t, sara, "protected", "/mina-sidor")
	bkBook(t, p, sara, res, bkAt(2026, 12, 10, 9, 30))

	sc := p.Client(t)
	p.LoginAt(t, sc, p.URL, "/personal", "caseworker-alingsas", "/personal")
	list := bkGet(t, p, sc, "/personal/bokningar", http.StatusOK)
	if !strings.Contains(list, "/personal/bokningar/"+res.String()) || !strings.Contains(list, "Grillplats Mjörnstranden") {
		t.Error("the handler's list lacks the resources they handle")
	}
	count := func(sql string) int {
		var n int
		if err := p.Pool.QueryRow(ctx, sql).Scan(&n); err != nil {
			t.Fatal(err)
		}
		return n
	}
	reads := count(`SELECT count(*) FROM audit_record WHERE what = 'bookings'`)
	calendar := "/personal/bokningar/" + res.String()
	page := bkGet(t, p, sc, calendar+"?dag=2026-12-10&vy=dag", http.StatusOK)
	for _, want := range []string{"torsdag 10 december 2026", "Karin Lindqvist", "1 av 1 platser bokade.", "kl. 09:00–09:30", "kl. 15:30–16:00"} {
		if !strings.Contains(page, want) {
			t.Errorf("the day's calendar lacks %q", want)
		}
	}
	if !strings.Contains(page, "Skyddad identitet") || strings.Contains(page, "Sara") || strings.Contains(page, "Nyström") {
		t.Error("the calendar shows a protected identity's name, or does not say it is protected")
	}
	week := bkGet(t, p, sc, calendar, http.StatusOK)
	if !strings.Contains(week, "tisdag 8 december 2026 – måndag 14 december 2026") || !strings.Contains(week, "Karin Lindqvist") || !strings.Contains(week, "Stängt.") {
		t.Error("the week's calendar lacks the period, the booker or a closed day")
	}
	if n := count(`SELECT count(*) FROM audit_record WHERE what = 'bookings'`); n != reads+2 {
		t.Errorf("%d audit records of calendar reads, want %d", n, reads+2)
	}

	// Staff who do not handle the resource, and another municipality's, find nothing.
	for _, key := range []string{"restricted-alingsas"} {
		other := p.Client(t)
		p.LoginAt(t, other, p.URL, "/personal", key, "/personal")
		bkGet(t, p, other, calendar, http.StatusNotFound)
		if resp := p.Do(t, other, "POST", calendar+"/avboka", url.Values{"bokning": {id}}); resp.StatusCode != http.StatusNotFound {
			t.Errorf("%s cancels: status %d", key, resp.StatusCode)
		}
	}
	motala := p.Client(t)
	p.LoginAt(t, motala, p.HostURL("motala.localhost"), "/personal", "caseworker-motala", "/personal")
	if resp := p.Do(t, motala, "GET", p.HostURL("motala.localhost")+calendar, nil); resp.StatusCode != http.StatusNotFound {
		t.Errorf("Motala's caseworker reads Alingsås' calendar: status %d", resp.StatusCode)
	}
	if n := count(`SELECT count(*) FROM audit_record WHERE what = 'bookings'`); n != reads+2 {
		t.Errorf("%d audit records of calendar reads after the refused ones, want %d", n, reads+2)
	}

	// Block 10:00 that day: citizens can no longer book it; open it again.
	blocked := bkAt(2026, 12, 10, 10, 0)
	resp := p.Do(t, sc, "POST", calendar+"/blockera", url.Values{"tid": {bkValue(blocked)}, "blockera": {"ja"}, "dag": {"2026-12-10"}, "vy": {"dag"}})
	if resp.StatusCode != http.StatusSeeOther || resp.Header.Get("Location") != calendar+"?dag=2026-12-10&vy=dag&klart=blockerad" {
		t.Fatalf("block: status %d to %q", resp.StatusCode, resp.Header.Get("Location"))
	}
	if page := bkGet(t, p, sc, resp.Header.Get("Location"), http.StatusOK); !strings.Contains(page, "Tiden är blockerad.") || !strings.Contains(page, "Blockerad: tiden går inte att boka.") {
		t.Error("the calendar does not show the blocked time")
	}
	if strings.Contains(bkGet(t, p, citizen, "/boka/"+res.String(), http.StatusOK), bkValue(blocked)) {
		t.Error("a blocked time is offered")
	}
	if resp := p.Do(t, citizen, "POST", "/boka/"+res.String(), url.Values{"tid": {bkValue(blocked)}}); resp.StatusCode != http.StatusConflict {
		t.Errorf("book a blocked time: status %d", resp.StatusCode)
	}
	if resp := p.Do(t, sc, "POST", calendar+"/blockera", url.Values{"tid": {bkValue(blocked)}, "blockera": {"nej"}}); resp.StatusCode != http.StatusSeeOther {
		t.Errorf("open: status %d", resp.StatusCode)
	}
	if !strings.Contains(bkGet(t, p, citizen, "/boka/"+res.String(), http.StatusOK), bkValue(blocked)) {
		t.Error("an opened time is not offered")
	}

	// Cancel Karin's booking with a message, twice: one place back; she reads it.
	for range 2 {
		resp = p.Do(t, sc, "POST", calendar+"/avboka", url.Values{"bokning": {id}, "meddelande": {"Handläggaren är sjuk. Boka gärna en ny tid."}, "dag": {"2026-12-10"}, "vy": {"vecka"}})
		if resp.StatusCode != http.StatusSeeOther || resp.Header.Get("Location") != calendar+"?dag=2026-12-10&vy=vecka&klart=avbokad" {
			t.Fatalf("cancel: status %d to %q", resp.StatusCode, resp.Header.Get("Location"))
		}
	}
	if n := bkBooked(t, p, res, booked); n != 0 {
		t.Errorf("after the staff cancelled: %d places taken", n)
	}
	page = bkGet(t, p, citizen, "/mina-sidor/bokningar/"+id, http.StatusOK)
	if !strings.Contains(page, "Avbokad av kommunen") || !strings.Contains(page, "Handläggaren är sjuk. Boka gärna en ny tid.") {
		t.Error("the citizen's booking does not show the cancellation and its message")
	}
	if n := count(`SELECT count(*) FROM admin_event WHERE action IN ('booking_cancelled', 'booking_time_blocked', 'booking_time_opened')`); n != 3 {
		t.Errorf("%d changes in the change log, want 3", n)
	}
}

// A booking, its move, its reminder a day before and the staff's cancellation each tell the
// citizen by their chosen channel, naming the place and time; the reminder goes once.
func TestBookingNotices(t *testing.T) {
	p := webtest.Start(t)
	ctx := context.Background()
	bkSetClock(p, bkAt(2026, 12, 8, 10, 0))
	var res uuid.UUID
	if err := p.Pool.QueryRow(ctx, `SELECT id FROM booking_resource WHERE slug = 'radgivning-bygglov'`).Scan(&res); err != nil {
		t.Fatal(err)
	}
	citizen := p.Client(t)
	p.Login(t, citizen, "adult", "/mina-sidor")
	// Her confirmed e-mail address (a changed address is unconfirmed again, so in two steps).
	for _, sql := range []string{`UPDATE account SET email = 'karin@example.se', preferred_channel = 'email' WHERE personal_number = '198504129829'`,
		`UPDATE account SET email_verified_at = now() WHERE personal_number = '198504129829'`} {
		if _, err := p.Pool.Exec(ctx, sql); err != nil {
			t.Fatal(err)
		}
	}
	// mail waits for the development mailbox's e-mail to Karin whose subject starts so.
	mail := func(subject string) string {
		t.Helper()
		deadline := time.Now().Add(20 * time.Second)
		for {
			var body string
			err := p.Pool.QueryRow(ctx, `SELECT subject || E'\n' || body FROM dev_mailbox WHERE recipient = 'karin@example.se' AND subject LIKE $1 || '%'`, subject).Scan(&body)
			if err == nil {
				return body
			}
			if time.Now().After(deadline) {
				t.Fatalf("no e-mail %q: %v", subject, err)
			}
			time.Sleep(50 * time.Millisecond) // delivery runs after the commit, in the job queue
		}
	}

	id := bkBook(t, p, citizen, res, bkAt(2026, 12, 10, 9, 0))
	body := mail("Din bokning: Rådgivning bygglov 2026-12-10 09:00")
	for _, want := range []string{"Du har bokat Rådgivning bygglov hos Alingsås kommun 2026-12-10 09:00.", "Plats: Stadshuset, Stora torget 1, Alingsås."} {
		if !strings.Contains(body, want) {
			t.Errorf("the confirmation lacks %q:\n%s", want, body)
		}
	}
	resp := p.Do(t, citizen, "POST", "/mina-sidor/bokningar/"+id+"/omboka", url.Values{"tid": {bkValue(bkAt(2026, 12, 10, 13, 0))}})
	newID := bkRedirect.FindStringSubmatch(resp.Header.Get("Location"))[1]
	mail("Din bokning: Rådgivning bygglov 2026-12-10 13:00")

	// The reminder: from 13:00 the day before, once.
	store := booking.NewStore(p.Pool, p.Notices, p.BookingClock.Now)
	bkSetClock(p, bkAt(2026, 12, 9, 12, 55))
	if n, err := store.Remind(ctx); err != nil || n != 0 {
		t.Fatalf("reminders before their time: %d, %v", n, err)
	}
	bkSetClock(p, bkAt(2026, 12, 9, 13, 0))
	for want := 1; want >= 0; want-- {
		if n, err := store.Remind(ctx); err != nil || n != want {
			t.Fatalf("reminders: %d, %v; want %d", n, err, want)
		}
	}
	if body := mail("Påminnelse: Rådgivning bygglov 2026-12-10 13:00"); !strings.Contains(body, "Plats: Stadshuset") {
		t.Errorf("the reminder lacks the place:\n%s", body)
	}
	// A booking made after its reminder time gets no reminder.
	bkBook(t, p, citizen, res, bkAt(2026, 12, 10, 15, 0))
	if n, err := store.Remind(ctx); err != nil || n != 0 {
		t.Errorf("reminders of a booking made within a day: %d, %v", n, err)
	}

	// The advisor cancels it: a notice, which names neither the message nor anything else.
	sc := p.Client(t)
	p.LoginAt(t, sc, p.URL, "/personal", "caseworker-alingsas", "/personal")
	p.Do(t, sc, "POST", "/personal/bokningar/"+res.String()+"/avboka", url.Values{"bokning": {newID}, "meddelande": {"Rådgivaren är sjuk."}})
	body = mail("Din bokning 2026-12-10 13:00 är avbokad")
	if !strings.Contains(body, "Alingsås kommun har avbokat din bokning av Rådgivning bygglov 2026-12-10 13:00.") || strings.Contains(body, "sjuk") {
		t.Errorf("the cancellation notice:\n%s", body)
	}
	var kinds []string
	rows, err := p.Pool.Query(ctx, `SELECT kind FROM notice WHERE booking_id IS NOT NULL ORDER BY created_at, kind`)
	if err != nil {
		t.Fatal(err)
	}
	for rows.Next() {
		var k string
		rows.Scan(&k)
		kinds = append(kinds, k)
	}
	if got := strings.Join(kinds, " "); got != "booking_confirmed booking_confirmed booking_reminder booking_confirmed booking_cancelled" {
		t.Errorf("notices: %s", got)
	}
}

// An e-service admin adds a resource with its hours and handler, closes a day, changes it and
// archives it, each in the change log; citizens book by it at once; others may not manage it.
func TestBookingAdminResources(t *testing.T) {
	p := webtest.Start(t)
	ctx := context.Background()
	bkSetClock(p, bkAt(2026, 12, 8, 10, 0))
	var anna string
	if err := p.Pool.QueryRow(ctx, `SELECT id FROM staff WHERE employee_id = 'ali-1001'`).Scan(&anna); err != nil {
		t.Fatal(err)
	}
	admin := p.Client(t)
	p.LoginAt(t, admin, p.URL, "/personal", "eservice-admin-alingsas", "/personal")
	if list := bkGet(t, p, admin, "/personal/resurser", http.StatusOK); !strings.Contains(list, "Rådgivning bygglov") || strings.Contains(list, "Idrottshall Ekängen") {
		t.Error("the admin's list does not hold exactly the municipality's resources")
	}
	form := bkGet(t, p, admin, "/personal/resurser/ny", http.StatusOK)
	if !strings.Contains(form, `name="hours_1_0_opens" value="09:00"`) || !strings.Contains(form, `value="`+anna+`"`) {
		t.Error("the new resource's form lacks the default hours or the staff to choose")
	}

	// Refused: no name, no places, hours that end before they start. Nothing is stored.
	bad := url.Values{"name_sv": {""}, "slot_minutes": {"60"}, "capacity": {"0"}, "ahead_days": {"30"}, "book_before_minutes": {"0"},
		"cancel_before_minutes": {"60"}, "reminder_minutes": {"0"}, "hours_1_0_opens": {"20:00"}, "hours_1_0_closes": {"17:00"}}
	resp := p.Do(t, admin, "POST", "/personal/resurser/ny", bad)
	body := html.UnescapeString(webtest.ReadBody(t, resp))
	if resp.StatusCode != http.StatusUnprocessableEntity {
		t.Fatalf("a bad resource: status %d", resp.StatusCode)
	}
	for _, want := range []string{"Skriv ett namn på svenska.", "Värdet är utanför det tillåtna.", "En öppettid måste sluta efter att den börjar"} {
		if !strings.Contains(body, want) {
			t.Errorf("the refused form lacks %q", want)
		}
	}

	good := url.Values{"name_sv": {"Bastu Nolhaga"}, "place_sv": {"Nolhagabadet"}, "slot_minutes": {"60"}, "capacity": {"4"}, "ahead_days": {"30"},
		"book_before_minutes": {"0"}, "cancel_before_minutes": {"60"}, "reminder_minutes": {"0"},
		"hours_1_0_opens": {"17:00"}, "hours_1_0_closes": {"20:00"}, "handler": {anna}}
	resp = p.Do(t, admin, "POST", "/personal/resurser/ny", good)
	m := regexp.MustCompile(`^/personal/resurser/([0-9a-f-]{36})\?klart=sparad$`).FindStringSubmatch(resp.Header.Get("Location"))
	if resp.StatusCode != http.StatusSeeOther || m == nil {
		t.Fatalf("add: status %d to %q: %s", resp.StatusCode, resp.Header.Get("Location"), webtest.ReadBody(t, resp))
	}
	id := m[1]
	page := bkGet(t, p, admin, "/personal/resurser/"+id+"?klart=sparad", http.StatusOK)
	if !strings.Contains(page, "Ändringarna är sparade.") || !strings.Contains(page, `value="Nolhagabadet"`) {
		t.Error("the saved resource's form lacks its message or values")
	}
	// The calendar names the bookers, to the resource's handlers only: the admin, who is not one,
	// is not sent there.
	if strings.Contains(page, `href="/personal/bokningar/`+id+`"`) {
		t.Error("the form links to the calendar a staff member who does not handle the resource")
	}

	// Citizens can book it at once: Monday 14 December 17:00–20:00, four places an hour.
	citizen := p.Client(t)
	p.Login(t, citizen, "adult", "/mina-sidor")
	if !strings.Contains(bkGet(t, p, citizen, "/mina-sidor/bokningar", http.StatusOK), "/boka/"+id) {
		t.Error("Mina bokningar does not offer the new resource")
	}
	times := bkGet(t, p, citizen, "/boka/"+id, http.StatusOK)
	for _, want := range []string{"måndag 14 december 2026", "kl. 17:00–18:00", "kl. 19:00–20:00", "4 platser kvar"} {
		if !strings.Contains(times, want) {
			t.Errorf("the new resource's times lack %q", want)
		}
	}
	// Its handler sees its calendar; an admin who handles it too is linked there from the form.
	anne := p.Client(t)
	p.LoginAt(t, anne, p.URL, "/personal", "caseworker-alingsas", "/personal")
	bkGet(t, p, anne, "/personal/bokningar/"+id, http.StatusOK)
	bkGet(t, p, admin, "/personal/bokningar/"+id, http.StatusNotFound)
	both := url.Values{"handler": {anna, p.StaffMember(t, "ali-1003").ID.String()}}
	for k, v := range good {
		if k != "handler" {
			both[k] = v
		}
	}
	if resp := p.Do(t, admin, "POST", "/personal/resurser/"+id, both); resp.StatusCode != http.StatusSeeOther {
		t.Fatalf("add the admin as a handler: status %d", resp.StatusCode)
	}
	if !strings.Contains(bkGet(t, p, admin, "/personal/resurser/"+id, http.StatusOK), `href="/personal/bokningar/`+id+`"`) {
		t.Error("the form does not link a handler to the calendar")
	}
	bkGet(t, p, admin, "/personal/bokningar/"+id, http.StatusOK)
	// A caseworker does not manage resources.
	if resp := p.Do(t, anne, "GET", "/personal/resurser", nil); resp.StatusCode == http.StatusOK {
		t.Error("a caseworker reaches the resources' admin")
	}

	// A day open at hours that end before they start is refused, with what was typed kept and
	// the problem at the day's own hours; nothing is stored.
	resp = p.Do(t, admin, "POST", "/personal/resurser/"+id+"/dagar", url.Values{"day": {"2026-12-15"}, "closed": {"no"}, "opens": {"18:00"}, "closes": {"17:00"}})
	refused := webtest.ReadBody(t, resp)
	if resp.StatusCode != http.StatusUnprocessableEntity {
		t.Fatalf("a day with bad hours: status %d", resp.StatusCode)
	}
	for _, want := range []string{`href="#day-opens"`, `id="day" name="day" type="date" value="2026-12-15"`, `id="day-open" name="closed" value="no" checked`,
		`name="opens" size="5" inputmode="numeric" value="18:00"`, `name="closes" size="5" inputmode="numeric" value="17:00"`} {
		if !strings.Contains(refused, want) {
			t.Errorf("the refused day's form lacks %s", want)
		}
	}
	if strings.Contains(bkGet(t, p, admin, "/personal/resurser/"+id, http.StatusOK), "15 december 2026") {
		t.Error("a refused day is listed")
	}

	// Close Monday 14 December; change the places; both in the change log.
	resp = p.Do(t, admin, "POST", "/personal/resurser/"+id+"/dagar", url.Values{"day": {"2026-12-14"}, "closed": {"yes"}})
	if resp.StatusCode != http.StatusSeeOther {
		t.Fatalf("close a day: status %d: %s", resp.StatusCode, webtest.ReadBody(t, resp))
	}
	if strings.Contains(bkGet(t, p, citizen, "/boka/"+id, http.StatusOK), `id="dag-2026-12-14"`) {
		t.Error("a closed day's times are offered")
	}
	if page := bkGet(t, p, admin, "/personal/resurser/"+id, http.StatusOK); !strings.Contains(page, "måndag 14 december 2026: stängt") {
		t.Error("the form does not list the closed day")
	}
	resp = p.Do(t, admin, "POST", "/personal/resurser/"+id+"/dagar/2026-12-14/ta-bort", url.Values{})
	if resp.StatusCode != http.StatusSeeOther || !strings.Contains(bkGet(t, p, citizen, "/boka/"+id, http.StatusOK), `id="dag-2026-12-14"`) {
		t.Errorf("reopen a day: status %d, or its times are not offered again", resp.StatusCode)
	}
	good.Set("capacity", "2")
	if resp := p.Do(t, admin, "POST", "/personal/resurser/"+id, good); resp.StatusCode != http.StatusSeeOther {
		t.Fatalf("change: status %d", resp.StatusCode)
	}
	if !strings.Contains(bkGet(t, p, citizen, "/boka/"+id, http.StatusOK), "2 platser kvar") {
		t.Error("the changed capacity is not offered")
	}

	// Archive it: no longer offered; the change log has every change.
	if resp := p.Do(t, admin, "POST", "/personal/resurser/"+id+"/arkivera", url.Values{}); resp.StatusCode != http.StatusSeeOther {
		t.Fatalf("archive: status %d", resp.StatusCode)
	}
	bkGet(t, p, citizen, "/boka/"+id, http.StatusNotFound)
	var actions string
	if err := p.Pool.QueryRow(ctx, `SELECT string_agg(action, ' ' ORDER BY at, id) FROM admin_event WHERE detail->>'resource' = $1`, id).Scan(&actions); err != nil {
		t.Fatal(err)
	}
	if want := "booking_resource_created booking_resource_changed booking_day_changed booking_day_restored booking_resource_changed booking_resource_archived"; actions != want {
		t.Errorf("change log: %s, want %s", actions, want)
	}
}

// The booking pages cost their few queries; a page that changes nothing writes nothing, and a
// booking, a move or a cancellation commits once. (The notice of a booking, a move or a
// cancellation costs two or three round trips of the job queue's, which batches its notification.)
func TestBookingPageBudgets(t *testing.T) {
	p := webtest.Start(t)
	ctx := context.Background()
	bkSetClock(p, bkAt(2026, 12, 8, 10, 0))
	var res uuid.UUID
	if err := p.Pool.QueryRow(ctx, `SELECT id FROM booking_resource WHERE slug = 'radgivning-bygglov'`).Scan(&res); err != nil {
		t.Fatal(err)
	}
	c := p.Client(t)
	p.Login(t, c, "adult", "/mina-sidor")
	id := bkBook(t, p, c, res, bkAt(2026, 12, 10, 9, 0))
	other := bkBook(t, p, c, res, bkAt(2026, 12, 10, 13, 0))
	staffClient := p.Client(t)
	p.LoginAt(t, staffClient, p.URL, "/personal", "caseworker-alingsas", "/personal")
	for _, tt := range []struct {
		name                        string
		c                           *http.Client
		method, path                string
		form                        url.Values
		status                      int
		roundTrips, writes, commits int
	}{
		{"Mina bokningar", c, "GET", "/mina-sidor/bokningar", nil, 200, 3, 0, 0},
		{"free times", c, "GET", "/boka/" + res.String(), nil, 200, 5, 0, 0},
		{"a booking", c, "GET", "/mina-sidor/bokningar/" + id, nil, 200, 2, 0, 0},
		{"its calendar file", c, "GET", "/mina-sidor/bokningar/" + id + "/kalender.ics", nil, 200, 2, 0, 0},
		{"book", c, "POST", "/boka/" + res.String(), url.Values{"tid": {bkValue(bkAt(2026, 12, 10, 10, 0))}}, 303, 13, -1, 1},
		{"move", c, "POST", "/mina-sidor/bokningar/" + id + "/omboka", url.Values{"tid": {bkValue(bkAt(2026, 12, 10, 11, 0))}}, 303, 17, -1, 1},
		// It writes the booking, its slot and the citizen's confirmation (a notice and its job).
		{"cancel", c, "POST", "/mina-sidor/bokningar/" + other + "/avboka", url.Values{}, 303, 11, -1, 1},
		{"the calendar", staffClient, "GET", "/personal/bokningar/" + res.String(), nil, 200, 11, 1, 1},
	} {
		t.Run(tt.name, func(t *testing.T) {
			// A session's idle deadline moves on at most once a minute, on whichever request comes
			// then: a request just before makes the measured one's cost its own, however slow the
			// machine.
			webtest.ReadBody(t, p.Do(t, tt.c, "GET", "/kakor", nil))
			resp, n := p.Measure(t, tt.c, tt.method, tt.path, tt.form)
			if resp.StatusCode != tt.status {
				t.Fatalf("status %d, want %d", resp.StatusCode, tt.status)
			}
			t.Logf("%s: %d round trips, %d writes, %d commits", tt.name, n.RoundTrips(), n.Writes(), n.Commits())
			if n.RoundTrips() > tt.roundTrips {
				t.Errorf("%d round trips, budget %d:\n%s", n.RoundTrips(), tt.roundTrips, strings.Join(n.Statements(), "\n"))
			}
			if tt.writes >= 0 && n.Writes() != tt.writes {
				t.Errorf("%d writes, want %d:\n%s", n.Writes(), tt.writes, strings.Join(n.Statements(), "\n"))
			}
			if n.Commits() != tt.commits {
				t.Errorf("%d commits, want %d:\n%s", n.Commits(), tt.commits, strings.Join(n.Statements(), "\n"))
			}
		})
	}
}

// bkPost posts a form from any goroutine, as a browser does, and returns the status and where it
// leads.
func bkPost(p *webtest.Portal, c *http.Client, path string, form url.Values) (int, string, error) {
	req, err := http.NewRequest("POST", p.URL+path, strings.NewReader(form.Encode()))
	if err != nil {
		return 0, "", err
	}
	req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
	req.Header.Set("Origin", p.URL)
	req.Header.Set("Sec-Fetch-Site", "same-origin")
	resp, err := c.Do(req)
	if err != nil {
		return 0, "", err
	}
	defer resp.Body.Close()
	io.Copy(io.Discard, resp.Body)
	return resp.StatusCode, resp.Header.Get("Location"), nil
}

// Five simultaneous presses of Boka om, or of Avboka, move or cancel the booking once: one new
// place, one place back.
func TestBookingConcurrentDoubleClicks(t *testing.T) {
	p := webtest.Start(t)
	bkSetClock(p, bkAt(2026, 12, 8, 10, 0))
	res := bkResource(t, p, "dubbelklick", 60, 3, 14, 0, 0)
	c := p.Client(t)
	p.Login(t, c, "adult", "/mina-sidor")
	from, to := bkAt(2026, 12, 10, 9, 0), bkAt(2026, 12, 10, 10, 0)
	id := bkBook(t, p, c, res, from)

	press := func(path string, form url.Values) []string {
		var wg sync.WaitGroup
		out := make([]string, 5)
		for i := range out {
			wg.Add(1)
			go func() {
				defer wg.Done()
				status, loc, err := bkPost(p, c, path, form)
				out[i] = fmt.Sprintf("%d %s %v", status, loc, err)
			}()
		}
		wg.Wait()
		return out
	}
	moved := press("/mina-sidor/bokningar/"+id+"/omboka", url.Values{"tid": {bkValue(to)}})
	for _, got := range moved {
		if got != moved[0] || !strings.HasPrefix(got, "303 /mina-sidor/bokningar/") || !strings.HasSuffix(got, "?ombokad=1 <nil>") {
			t.Errorf("five moves: %q", moved)
			break
		}
	}
	if a, b := bkBooked(t, p, res, from), bkBooked(t, p, res, to); a != 0 || b != 1 {
		t.Errorf("after five moves: %d and %d places taken, want 0 and 1", a, b)
	}
	newID := bkRedirect.FindStringSubmatch(strings.Fields(moved[0])[1])[1]
	cancelled := press("/mina-sidor/bokningar/"+newID+"/avboka", url.Values{})
	for _, got := range cancelled {
		if got != "303 /mina-sidor/bokningar/"+newID+"?avbokad=1 <nil>" {
			t.Errorf("five cancellations: %q", cancelled)
			break
		}
	}
	if n := bkBooked(t, p, res, to); n != 0 {
		t.Errorf("after five cancellations: %d places taken", n)
	}
}
