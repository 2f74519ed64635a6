package notify

import (
	"strings"
	"testing"
)

// A booking's notice ends by saying that it names only the time and place, not "the case"; a
// booking made with a case names the case's reference, and one made without names none.
func TestBookingTexts(t *testing.T) {
	v := vars{Municipality: "Alingsås kommun", EService: "Rådgivning bygglov", URL: "https://x.se/mina-sidor",
		Place: "Stadshuset", Time: "2026-12-10 09:00"}
	for _, kind := range []string{KindBookingConfirmed, KindBookingReminder, KindBookingCancelled, KindBookingCancelledByCitizen} {
		m, _ := render(kind, "sv", v)
		if !strings.Contains(m.Body, "står bara tid och plats för bokningen") || strings.Contains(m.Body, "innehållet i ärendet") ||
			strings.Contains(m.Body, "ärende") {
			t.Errorf("%s without a case:\n%s", kind, m.Body)
		}
		withCase := v
		withCase.Reference = "ALI-2026-000042"
		m, _ = render(kind, "en", withCase)
		if !strings.Contains(m.Body, "The booking belongs to your case ALI-2026-000042.") || !strings.Contains(m.SMS, "ALI-2026-000042") {
			t.Errorf("%s with a case:\n%s", kind, m.Body)
		}
	}
	m, _ := render(KindBookingCancelledByCitizen, "sv", v)
	if m.Subject != "Du har avbokat Rådgivning bygglov 2026-12-10 09:00" {
		t.Errorf("the citizen's cancellation: %q", m.Subject)
	}
	if m, _ := render(KindCaseSubmitted, "sv", vars{Reference: "ALI-2026-000042"}); !strings.Contains(m.Body, "innehållet i ärendet") {
		t.Errorf("a case's notice lost its footer:\n%s", m.Body)
	}
}
