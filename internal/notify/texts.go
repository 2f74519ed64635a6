package notify

import "strings"

// text is one notice in one language. Placeholders: {municipality}, {eservice}, {reference},
// {url} (the login address) and, for codes, {code}. By design there is none for case content or
// message text: a notice only says that there is something to read after logging in.
type text struct {
	Subject string // e-mail subject
	Lead    string // the sentence that says what happened
}

// texts holds the notices by kind and language. Swedish is the default.
var texts = map[string]map[string]text{
	KindCaseSubmitted: {
		"sv": {"Vi har tagit emot ditt ärende {reference}", "{municipality} har tagit emot ditt ärende {reference} ({eservice})."},
		"en": {"We have received your case {reference}", "{municipality} has received your case {reference} ({eservice})."},
	},
	KindNewMessage: {
		"sv": {"Nytt meddelande i ditt ärende {reference}", "Du har fått ett nytt meddelande från {municipality} i ditt ärende {reference} ({eservice})."},
		"en": {"New message in your case {reference}", "You have a new message from {municipality} in your case {reference} ({eservice})."},
	},
	KindStatusChanged: {
		"sv": {"Ny status i ditt ärende {reference}", "{municipality} har ändrat status på ditt ärende {reference} ({eservice})."},
		"en": {"New status of your case {reference}", "{municipality} has changed the status of your case {reference} ({eservice})."},
	},
	KindSupplementRequested: {
		"sv": {"Komplettering behövs i ditt ärende {reference}", "{municipality} behöver fler uppgifter från dig i ditt ärende {reference} ({eservice})."},
		"en": {"More information needed in your case {reference}", "{municipality} needs more information from you in your case {reference} ({eservice})."},
	},
	KindCaseClosed: {
		"sv": {"Ditt ärende {reference} är avslutat", "{municipality} har avslutat ditt ärende {reference} ({eservice})."},
		"en": {"Your case {reference} is closed", "{municipality} has closed your case {reference} ({eservice})."},
	},
}

// The rest of a notice, by language.
var (
	readText = map[string]string{
		"sv": "Logga in på Mina sidor för att läsa: {url}",
		"en": "Log in to Mina sidor to read more: {url}",
	}
	footerText = map[string]string{
		"sv": "Av säkerhetsskäl står inget om innehållet i ärendet i e-post eller sms.\nDet går inte att svara på det här meddelandet.",
		"en": "For your security, e-mail and text messages never contain anything from the case itself.\nPlease do not reply to this message.",
	}
	codeTexts = map[string]map[string]text{
		ChannelEmail: {
			"sv": {"Din kod till Mina sidor", "Din kod är {code}. Skriv in den på Mina sidor för att bekräfta din e-postadress. Koden gäller i 15 minuter.\n\nHar du inte bett om en kod kan du bortse från det här meddelandet."},
			"en": {"Your code for Mina sidor", "Your code is {code}. Enter it on Mina sidor to confirm your e-mail address. The code is valid for 15 minutes.\n\nIf you did not ask for a code, you can ignore this message."},
		},
		ChannelSMS: {
			"sv": {"", "{code} är din kod till Mina sidor. Den gäller i 15 minuter."},
			"en": {"", "{code} is your code for Mina sidor. It is valid for 15 minutes."},
		},
	}
)

// message is a rendered notice.
type message struct {
	Subject string
	Body    string // e-mail body
	SMS     string
}

// vars are the values of a notice's placeholders, and the e-service's own text for the notice.
type vars struct {
	Municipality, EService, Reference, URL string
	// Extra is the text the e-service's admin adds to this kind of notice (such as the usual
	// handling time), already in the notice's language; "" for none. It is a fixed text of the
	// e-service, never case content, and is not searched for placeholders.
	Extra string
}

// render returns the notice of kind in lang (Swedish when lang is unknown). ok is false for an
// unknown kind.
func render(kind, lang string, v vars) (m message, ok bool) {
	byLang, ok := texts[kind]
	if !ok {
		return message{}, false
	}
	lang = pickLang(lang)
	t := byLang[lang]
	r := strings.NewReplacer("{municipality}", v.Municipality, "{eservice}", v.EService,
		"{reference}", v.Reference, "{url}", v.URL)
	lead, read := r.Replace(t.Lead), r.Replace(readText[lang])
	body, sms := lead+"\n\n", v.Municipality+": "+lead+" "
	if extra := strings.TrimSpace(v.Extra); extra != "" {
		body += extra + "\n\n"
		sms += strings.Join(strings.Fields(extra), " ") + " "
	}
	return message{
		Subject: r.Replace(t.Subject),
		Body:    body + read + "\n\n" + footerText[lang] + "\n\n" + v.Municipality + "\n",
		SMS:     sms + read,
	}, true
}

// renderCode returns the message that carries a one-time code through channel.
func renderCode(channel, lang, code string) message {
	t := codeTexts[channel][pickLang(lang)]
	body := strings.ReplaceAll(t.Lead, "{code}", code)
	return message{Subject: t.Subject, Body: body + "\n", SMS: body}
}

func pickLang(lang string) string {
	if lang == "en" {
		return "en"
	}
	return "sv"
}
