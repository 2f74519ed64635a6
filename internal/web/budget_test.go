package web_test

import (
	"net/http"
	"net/url"
	"strings"
	"testing"

	"github.com/minasidor/minasidor/internal/web/webtest"
)

// Every page costs its few queries, not nine: round trips to PostgreSQL per request are counted
// with a pgx tracer and held to a budget, a page that changes nothing writes nothing, and a use
// case that changes something commits once.
func TestPageBudgets(t *testing.T) {
	p := webtest.Start(t)
	karin := loggedIn(t, p, "adult")
	caseID := csSubmitStreetLighting(karin, nil, nil)
	csSubmitStreetLighting(karin, nil, nil)
	reviewed, loc := karin.start("felanmalan-gatubelysning") // a draft for the step pages and the review
	anna := staffBrowser(t, p, "caseworker-alingsas")
	withPhoto := csSubmitStreetLighting(karin, pngImage(t), nil)
	var photo, resource string
	if err := p.Pool.QueryRow(t.Context(), `SELECT id FROM upload WHERE case_id = $1`, withPhoto).Scan(&photo); err != nil {
		t.Fatal(err)
	}
	if err := p.Pool.QueryRow(t.Context(), `SELECT h.resource_id FROM booking_handler h JOIN staff s ON s.id = h.staff_id
		WHERE s.employee_id = 'ali-1001' ORDER BY h.resource_id LIMIT 1`).Scan(&resource); err != nil {
		t.Fatal(err)
	}

	steps := streetLightingSteps()
	save := url.Values{"action": {"next"}}
	for k, v := range steps["fault"] {
		save[k] = v
	}
	for _, tt := range []struct {
		name       string
		b          *esBrowser
		method     string
		path       string
		form       url.Values
		status     int
		roundTrips int
		writes     int // -1: not held to a number
		commits    int // -1: not held to a number
	}{
		{"Mina sidor", karin, "GET", "/mina-sidor", nil, 200, 3, 0, 0},
		{"Mina ärenden", karin, "GET", "/mina-sidor/arenden", nil, 200, 3, 0, 0},
		// It marks the caseworkers' messages read as it shows them: its one write, in the read's
		// transaction.
		{"the citizen's case page", karin, "GET", "/arenden/" + caseID, nil, 200, 4, -1, -1},
		{"a receipt", karin, "GET", "/arenden/" + caseID + "/kvitto", nil, 200, 2, 0, 0},
		{"a file of a case, to the citizen", karin, "GET", "/arenden/" + withPhoto + "/filer/" + photo, nil, 200, 2, 0, 0},
		{"the queue", anna, "GET", "/personal/arenden", nil, 200, 4, 1, 1},
		{"a search", anna, "GET", "/personal/arenden?sok=lykta", nil, 200, 4, 1, 1},
		// It looks the name up among the accounts first, in a round trip of its own.
		{"a search of a full name", anna, "GET", "/personal/arenden?sok=Karin+Lindqvist", nil, 200, 4, 1, 1},
		{"the caseworker's case page", anna, "GET", "/personal/arenden/" + caseID, nil, 200, 4, -1, 1},
		{"a file of a case, to the caseworker", anna, "GET", "/personal/arenden/" + withPhoto + "/filer/" + photo, nil, 200, 3, 1, 1},
		{"a booking calendar", anna, "GET", "/personal/bokningar/" + resource, nil, 200, 3, 1, 1},
		{"a step", karin, "GET", loc, nil, 200, 3, 0, 0},
		{"a step saved", karin, "POST", loc, save, 303, 4, -1, 1},
		// The review: the session, the journey, and the draft's files with the signing rule.
		{"a review", karin, "GET", "/utkast/" + reviewed + "/granska", nil, 200, 3, 0, 0},
		// A caseworker's message: the session, the staff member, begin, the access check, the
		// case's lock (which reads whether Karin has chosen a channel), one batch of the message,
		// its event and the citizen's notice, and the commit. Karin has chosen none, so no job is
		// queued to deliver the notice (with a channel, below, it is).
		{"a caseworker's message", anna, "POST", "/personal/arenden/" + caseID + "/meddelande", url.Values{"text": {"Vi har börjat."}}, 303, 7, -1, 1},
		// A change of status with a message: the case is locked and its status found in one
		// statement, and the change written in one batch with its notice; then the message's
		// batch as above, on the case already locked.
		{"a change of status with a message", anna, "POST", "/personal/arenden/" + caseID + "/status",
			url.Values{"status": {"under_handlaggning"}, "text": {"Vi tittar på lyktan."}}, 303, 8, -1, 1},
	} {
		t.Run(tt.name, func(t *testing.T) {
			// A session's idle deadline moves on at most once a minute, on whichever request comes
			// then: a request just before makes the measured one's cost its own, however slow the
			// machine.
			webtest.ReadBody(t, p.Do(t, tt.b.c, "GET", "/kakor", nil))
			resp, n := p.Measure(t, tt.b.c, tt.method, tt.path, tt.form)
			if resp.StatusCode != tt.status {
				t.Fatalf("status %d, want %d", resp.StatusCode, tt.status)
			}
			t.Logf("%s: %d round trips, %d writes, %d commits", tt.name, n.RoundTrips(), n.Writes(), n.Commits())
			if tt.roundTrips >= 0 && n.RoundTrips() > tt.roundTrips {
				t.Errorf("%d round trips, budget %d:\n%s", n.RoundTrips(), tt.roundTrips, strings.Join(n.Statements(), "\n"))
			}
			if tt.writes >= 0 && n.Writes() != tt.writes {
				t.Errorf("%d writes, want %d:\n%s", n.Writes(), tt.writes, strings.Join(n.Statements(), "\n"))
			}
			if tt.commits >= 0 && n.Commits() != tt.commits {
				t.Errorf("%d commits, want %d:\n%s", n.Commits(), tt.commits, strings.Join(n.Statements(), "\n"))
			}
		})
	}

	// Submitting is one commit: the case, its history, its files and the notice's outbox row.
	// Its round trips: the session, the journey's read, begin, the draft's lock (with the
	// e-service's rules, the submitter, whether they chose a channel, and the webhooks that want
	// the event), and one batch of the case's row, the rest and the commit. Karin has chosen no
	// channel, so no job delivers her notice; once she has, the job (River: its insert and its
	// notify) comes before the last batch.
	// oneCommit posts form to path and wants a redirect after one commit in at most most round trips.
	oneCommit := func(name string, c *http.Client, path string, form url.Values, most int) {
		t.Helper()
		resp, n := p.Measure(t, c, "POST", path, form)
		if resp.StatusCode != http.StatusSeeOther || n.Commits() != 1 || n.RoundTrips() > most {
			t.Errorf("%s: status %d, %d commits, %d round trips, want 1 commit in at most %d:\n%s",
				name, resp.StatusCode, n.Commits(), n.RoundTrips(), most, strings.Join(n.Statements(), "\n"))
		}
	}
	submit := func(name string, most int) {
		t.Helper()
		draftID, loc := karin.start("felanmalan-gatubelysning")
		karin.walk(loc, steps)
		oneCommit(name, karin.c, "/utkast/"+draftID+"/skicka", url.Values{}, most)
	}
	submit("submit", 5)
	if _, err := p.Pool.Exec(t.Context(), `UPDATE account SET email = 'karin@example.se', email_verified_at = now(), preferred_channel = 'email'
		WHERE personal_number = '198504129829'`); err != nil {
		t.Fatal(err)
	}
	submit("submit with a notice by e-mail", 7)

	// With a channel chosen, each notice gets its delivery job: River's insert, and its notify
	// when it has not notified within the last 100 ms (a change of status with a message has two
	// notices, and River notifies of the first job at most).
	for _, tt := range []struct {
		name, path string
		form       url.Values
		most       int
	}{
		{"a caseworker's message, with a channel", "/meddelande", url.Values{"text": {"Lyktan är lagad."}}, 9},
		{"a change of status with a message, with a channel", "/status", url.Values{"status": {"inkommen"}, "text": {"Vi tittar igen."}}, 11},
	} {
		oneCommit(tt.name, anna.c, "/personal/arenden/"+caseID+tt.path, tt.form, tt.most)
	}
}
