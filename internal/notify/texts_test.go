package notify

import (
	"strings"
	"testing"
)

// Every kind has its texts in both languages, and no placeholder is left unfilled. A case's
// notice names its reference, a booking's its time, a draft's to sign or expiring its e-service;
// a ready register extract names nothing but the login address.
func TestTexts(t *testing.T) {
	v := vars{Municipality: "Alingsås kommun", EService: "Bygglov", Reference: "ALI-2026-000001", URL: "https://x.se/mina-sidor",
		Place: "Stadshuset", Time: "2026-12-10 09:00"}
	for _, kind := range Kinds {
		names := v.Reference
		switch {
		case strings.HasPrefix(kind, "booking_"):
			names = v.Time
		case kind == KindDraftExpiring:
			names = v.EService
		case kind == KindExtractReady:
			names = ""
		}
		if strings.HasPrefix(kind, "signing_") && kind != KindSigningSubmitted {
			names = v.EService
		}
		for _, lang := range []string{"sv", "en", "de"} {
			m, ok := render(kind, lang, v)
			if !ok {
				t.Fatalf("%s: no text", kind)
			}
			for _, s := range []string{m.Subject, m.Body, m.SMS} {
				if s == "" || strings.Contains(s, "{") {
					t.Errorf("%s/%s: %q", kind, lang, s)
				}
				if !strings.Contains(s, names) {
					t.Errorf("%s/%s: %q lacks %q", kind, lang, s, names)
				}
			}
			if !strings.Contains(m.Body, v.URL) || !strings.Contains(m.SMS, v.URL) {
				t.Errorf("%s/%s: no login address", kind, lang)
			}
		}
	}
	if _, ok := render("no_such_kind", "sv", v); ok {
		t.Error("an unknown kind has a text")
	}
	for _, channel := range []string{ChannelEmail, ChannelSMS} {
		for _, lang := range []string{"sv", "en"} {
			m := renderCode(channel, lang, "123456")
			text := m.Body
			if channel == ChannelSMS {
				text = m.SMS
			}
			if !strings.Contains(text, "123456") || strings.Contains(text, "{") {
				t.Errorf("code %s/%s: %q", channel, lang, text)
			}
		}
	}
}

// The texts come from the message catalogue, whole: a notice reads as it always has.
func TestTextsFromCatalogue(t *testing.T) {
	v := vars{Municipality: "Alingsås kommun", EService: "Bygglov", Reference: "ALI-2026-000001", URL: "https://x.se/mina-sidor",
		Extra: "Vi svarar\ninom en vecka."}
	sv, _ := render(KindCaseClosed, "sv", v)
	want := message{
		Subject: "Ditt ärende ALI-2026-000001 är avslutat",
		Body: "Alingsås kommun har avslutat ditt ärende ALI-2026-000001 (Bygglov).\n\nVi svarar\ninom en vecka.\n\n" +
			"Logga in på Mina sidor för att läsa: https://x.se/mina-sidor\n\n" +
			"Av säkerhetsskäl står inget om innehållet i ärendet i e-post eller sms.\nDet går inte att svara på det här meddelandet.\n\n" +
			"Alingsås kommun\n",
		SMS: "Alingsås kommun: Alingsås kommun har avslutat ditt ärende ALI-2026-000001 (Bygglov). Vi svarar inom en vecka. " +
			"Logga in på Mina sidor för att läsa: https://x.se/mina-sidor",
	}
	if sv != want {
		t.Errorf("sv notice:\n got %q\nwant %q", sv, want)
	}
	if en, _ := render(KindNewMessage, "en", v); en.Subject != "New message in your case ALI-2026-000001" {
		t.Errorf("en subject %q", en.Subject)
	}
	if de, _ := render(KindNewMessage, "de", v); de.Subject != "Nytt meddelande i ditt ärende ALI-2026-000001" {
		t.Errorf("an unknown language is not Swedish: %q", de.Subject)
	}
	email := renderCode(ChannelEmail, "sv", "123456")
	if email.Subject != "Din kod till Mina sidor" || !strings.HasPrefix(email.Body, "Din kod är 123456. ") {
		t.Errorf("e-mail code %+v", email)
	}
	sms := renderCode(ChannelSMS, "en", "123456")
	if sms.Subject != "" || sms.SMS != "123456 is your code for Mina sidor. It is valid for 15 minutes." {
		t.Errorf("text message code %+v", sms)
	}
}
