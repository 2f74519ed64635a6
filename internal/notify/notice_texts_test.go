package notify_test

import (
	"strings"
	"testing"
	"time"

	"github.com/minasidor/minasidor/internal/notify"
)

// The text an e-service's admin wrote for a kind of notice is in the e-mail of that kind, in the
// notice's language, or in Swedish when there is no translation; other kinds go without it.
func TestNoticeTextOfEService(t *testing.T) {
	srv := startSMTP(t)
	e := newEnv(t, notify.Config{SMTP: srv.config()})
	_, err := e.pool.Exec(t.Context(), `UPDATE eservice SET notice_texts = $2 WHERE id = $1`, e.eserviceID, map[string]map[string]string{
		notify.KindCaseSubmitted: {"sv": "Handläggningstiden är normalt fyra veckor.", "en": "It usually takes four weeks."},
		notify.KindCaseClosed:    {"sv": "Tack för att du använde e-tjänsten."},
	})
	e.must(err)
	karin := e.account(acct{Email: "karin@example.se", Channel: "email", EmailVerified: true})
	anna := e.account(acct{Email: "anna@example.se", Channel: "email", EmailVerified: true, Lang: "en"})
	karinCase, _ := e.newCase(karin)
	annaCase, _ := e.newCase(anna)
	e.start()

	next := func(to string) parsedMail {
		t.Helper()
		m := srv.next(t)
		if len(m.To) != 1 || m.To[0] != to {
			t.Fatalf("e-mail to %v, want %s", m.To, to)
		}
		return parseMail(t, m)
	}
	e.enqueue(karin, karinCase, notify.KindCaseSubmitted)
	p := next("karin@example.se")
	lead := strings.Index(p.Body, "har tagit emot ditt ärende")
	extra := strings.Index(p.Body, "Handläggningstiden är normalt fyra veckor.")
	login := strings.Index(p.Body, "Logga in på Mina sidor")
	if lead < 0 || extra < lead || login < extra {
		t.Errorf("the e-service's text is not between the lead and the login line:\n%s", p.Body)
	}
	checkNoContent(t, p.Body)

	e.enqueue(anna, annaCase, notify.KindCaseSubmitted)
	p = next("anna@example.se")
	if !strings.Contains(p.Body, "It usually takes four weeks.") || strings.Contains(p.Body, "fyra veckor") {
		t.Errorf("English notice without the English text:\n%s", p.Body)
	}

	e.enqueue(anna, annaCase, notify.KindCaseClosed)
	p = next("anna@example.se")
	if !strings.Contains(p.Body, "Tack för att du använde e-tjänsten.") {
		t.Errorf("no Swedish text where there is no English one:\n%s", p.Body)
	}

	e.enqueue(karin, karinCase, notify.KindNewMessage)
	p = next("karin@example.se")
	if strings.Contains(p.Body, "fyra veckor") || strings.Contains(p.Body, "Tack för") {
		t.Errorf("a kind without a text has another kind's:\n%s", p.Body)
	}
	srv.none(t, 200*time.Millisecond)
}
