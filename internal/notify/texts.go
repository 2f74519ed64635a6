package notify

import (
	"slices"
	"strings"

	"github.com/minasidor/minasidor/internal/i18n"
)

// Kinds are the kinds of notice. The texts of each are in the message catalogue:
// "notice.<kind>.subject" (the e-mail's subject) and "notice.<kind>.lead" (the sentence that says
// what happened); "notice.read" and "notice.footer" end every notice of a case, "notice.read" and
// "notice.booking.footer" every notice of a booking, and "notice.code.<channel>.*" carry a
// one-time code. Placeholders: {municipality}, {eservice}, {reference}, {url} (the login address)
// and, for codes, {code}; a booking's notices have {eservice} (the resource's name), {place} and
// {time}, and a booking made with a case adds "notice.booking.case" with the case's {reference};
// a draft's notice has {eservice} and {time} (when it will be deleted, at the earliest). By design there is none for case content or message text: a notice only says that there is
// something to read after logging in.
var Kinds = []string{KindCaseSubmitted, KindNewMessage, KindStatusChanged, KindSupplementRequested, KindCaseClosed,
	KindBookingConfirmed, KindBookingReminder, KindBookingCancelled, KindBookingCancelledByCitizen, KindRequestAnswered,
	KindSigningRequested, KindSigningReminder, KindSigningDeclined, KindSigningReturned, KindSigningSubmitted,
	KindDraftExpiring, KindExtractReady, KindRepresentationRefused}

// isBooking reports whether notices of the kind are of a booking rather than of a case.
func isBooking(kind string) bool { return strings.HasPrefix(kind, "booking_") }

// message is a rendered notice.
type message struct {
	Subject string
	Body    string // e-mail body
	SMS     string
}

// vars are the values of a notice's placeholders, and the e-service's own text for the notice.
type vars struct {
	Municipality, EService, Reference, URL string
	Place, Time                            string // of a booking
	// Extra is the text the e-service's admin adds to this kind of notice (such as the usual
	// handling time), already in the notice's language; "" for none. It is a fixed text of the
	// e-service, never case content, and is not searched for placeholders.
	Extra string
	// Attached is a notice that carries its documents (a request's answer by e-mail): it says so
	// instead of asking to log in.
	Attached bool
}

// render returns the notice of kind in lang (Swedish when lang is unknown). ok is false for an
// unknown kind.
func render(kind, lang string, v vars) (m message, ok bool) {
	if !slices.Contains(Kinds, kind) {
		return message{}, false
	}
	p := i18n.For(lang)
	r := strings.NewReplacer("{municipality}", v.Municipality, "{eservice}", v.EService,
		"{reference}", v.Reference, "{url}", v.URL, "{place}", v.Place, "{time}", v.Time)
	lead, read, footer := r.Replace(p.T("notice."+kind+".lead")), r.Replace(p.T("notice.read")), p.T("notice.footer")
	if isBooking(kind) {
		// A booking's notice names its time and place, and the case it was booked with: nothing
		// of what the citizen wrote.
		footer = p.T("notice.booking.footer")
		if v.Reference != "" {
			lead += " " + r.Replace(p.T("notice.booking.case"))
		}
	}
	if v.Attached {
		read, footer = p.T("notice.attached"), p.T("notice.attached.footer")
	}
	body, sms := lead+"\n\n", v.Municipality+": "+lead+" "
	if extra := strings.TrimSpace(v.Extra); extra != "" {
		body += extra + "\n\n"
		sms += strings.Join(strings.Fields(extra), " ") + " "
	}
	return message{
		Subject: r.Replace(p.T("notice." + kind + ".subject")),
		Body:    body + read + "\n\n" + footer + "\n\n" + v.Municipality + "\n",
		SMS:     sms + read,
	}, true
}

// renderCode returns the message that carries a one-time code through channel (ChannelEmail or
// ChannelSMS); a text message has no subject.
func renderCode(channel, lang, code string) message {
	p := i18n.For(lang)
	body := strings.ReplaceAll(p.T("notice.code."+channel+".body"), "{code}", code)
	m := message{Body: body + "\n", SMS: body}
	if channel == ChannelEmail {
		m.Subject = p.T("notice.code.email.subject")
	}
	return m
}

// pickLang is the language a notice is written in: the recipient's when the catalogue has it,
// otherwise Swedish.
func pickLang(lang string) string { return string(i18n.For(lang).Lang) }
