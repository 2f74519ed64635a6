package web_test

import (
	"html"
	"net/http"
	"net/url"
	"regexp"
	"strings"
	"testing"

	"github.com/minasidor/minasidor/internal/web/webtest"
)

// Bad input always gets a clear answer, and never loses what the user typed: every form of every
// page each kind of user reaches by link is sent as a browser sends it, first with a text typed
// in each of its text inputs and text areas, then with nothing filled in (its hidden inputs,
// selected options and checked boxes as they are, and an empty file for each file input). Each
// is done, or refused with the form's error summary or an alert and with every text typed shown
// again; none is answered with a server error or as a request the portal cannot read. The forms
// that end the session or the account are left out; the others are sent after the walk, so that
// what they change (an archived e-service, a removed field) does not hide pages from it. A form
// whose target such a change removed may find nothing.
func TestFormsAnswerBadInputClearly(t *testing.T) {
	// Each user has a portal of their own, so that what one user's forms change (a case closed,
	// withdrawn or assigned) does not take forms from another's walk.
	for _, user := range []struct {
		name  string
		setup func(t *testing.T, p *webtest.Portal) *esBrowser
		start string
	}{
		{"a citizen", func(t *testing.T, p *webtest.Portal) *esBrowser {
			karin, _, _ := karinWithCase(t, p)
			karin.start("felanmalan-gatubelysning")
			rwBook(t, p, karin)
			return karin
		}, "/mina-sidor"},
		{"a caseworker", func(t *testing.T, p *webtest.Portal) *esBrowser {
			karinWithCase(t, p)
			return staffBrowser(t, p, "caseworker-alingsas")
		}, "/personal"},
		{"an e-service administrator", func(t *testing.T, p *webtest.Portal) *esBrowser {
			return staffBrowser(t, p, "eservice-admin-alingsas")
		}, "/personal"},
		{"a municipality administrator", func(t *testing.T, p *webtest.Portal) *esBrowser {
			return staffBrowser(t, p, "municipality-admin-alingsas")
		}, "/personal"},
		{"a registrar", func(t *testing.T, p *webtest.Portal) *esBrowser {
			karin, _, reference := karinWithCase(t, p)
			pdAsk(karin, url.Values{"references": {reference}, "delivery": {"mypages"}})
			return staffBrowser(t, p, "registrar-alingsas")
		}, "/personal"},
	} {
		t.Run(user.name, func(t *testing.T) {
			p := webtest.Start(t)
			b := user.setup(t, p)
			sent := map[string]bool{}
			var forms []browserForm
			for _, v := range crawl(t, p, b.c, p.URL, []string{user.start}) {
				for _, f := range formsOf(v.body) {
					if route := webtest.Route(f.action); !sent[route] && !endsSession.MatchString(f.action) {
						sent[route] = true
						f.from = v.path
						forms = append(forms, f)
					}
				}
			}
			if len(forms) < 3 {
				t.Fatalf("the walk found %d forms", len(forms))
			}
			for _, f := range forms {
				typed := url.Values{}
				for k, v := range f.values {
					typed[k] = v
				}
				for _, name := range f.texts {
					typed.Set(name, "Skrivet i "+name)
				}
				body := sendForm(t, b, f, typed)
				for _, name := range f.texts {
					if body != "" && !strings.Contains(body, "Skrivet i "+name) {
						t.Errorf("the form of %s to %s, refused, lost what was typed in %s", f.from, f.action, name)
					}
				}
				sendForm(t, b, f, f.values)
			}
			t.Logf("%d forms sent", len(forms))
		})
	}
}

// karinWithCase is Karin, logged in, with a street-lighting case she has submitted with a photo;
// it returns her browser, the case's id and its reference.
func karinWithCase(t *testing.T, p *webtest.Portal) (karin *esBrowser, caseID, reference string) {
	t.Helper()
	karin = loggedIn(t, p, "adult")
	caseID = csSubmitStreetLighting(karin, pngImage(t), nil)
	return karin, caseID, dbString(t, p, `SELECT reference FROM cases WHERE id = $1`, caseID)
}

// endsSession are the forms that log out or erase the account: the walk's user would go with them.
var endsSession = regexp.MustCompile(`/logout$|/radera$`)

// browserForm is a form as a browser sends it.
type browserForm struct {
	action, from string
	values       url.Values // what is sent untouched: hidden inputs, selected options, checked boxes
	texts        []string   // the names of its text inputs and text areas
	files        []upload   // an empty file for each file input; nil for a form that is not multipart
}

// sendForm sends the form with values and fails t when the answer is not clear; it returns the
// page of a refusal, and "" for any other answer.
func sendForm(t *testing.T, b *esBrowser, f browserForm, values url.Values) string {
	t.Helper()
	var resp *http.Response
	var body string
	if f.files != nil {
		resp, body = b.multipart(f.action, values, f.files...)
	} else {
		resp, body = b.post(f.action, values)
	}
	switch {
	case strings.Contains(resp.Header.Get("Location"), "login"):
		t.Fatalf("the form of %s to %s sent the user to log in: the walk lost its session", f.from, f.action)
	case resp.StatusCode >= 500 || resp.StatusCode == http.StatusBadRequest:
		t.Errorf("the form of %s to %s: status %d: %s", f.from, f.action, resp.StatusCode, errorText(body))
	case resp.StatusCode != http.StatusUnprocessableEntity:
		return ""
	case !strings.Contains(body, `class="error-summary"`) && !strings.Contains(body, `role="alert"`):
		t.Errorf("the form of %s to %s is refused without an error summary or an alert", f.from, f.action)
	}
	return body
}

var (
	postForm    = regexp.MustCompile(`(?s)<form([^>]*method="post"[^>]*)>(.*?)</form>`)
	formAction  = regexp.MustCompile(`\baction="(/[^"]*)"`)
	input       = regexp.MustCompile(`(?s)<input\b[^>]*>`)
	inputName   = regexp.MustCompile(`\bname="([^"]+)"`)
	inputType   = regexp.MustCompile(`\btype="([^"]+)"`)
	inputValue  = regexp.MustCompile(`\bvalue="([^"]*)"`)
	textArea    = regexp.MustCompile(`<textarea\b[^>]*\bname="([^"]+)"`)
	selectInput = regexp.MustCompile(`(?s)<select\b[^>]*\bname="([^"]+)"[^>]*>(.*?)</select>`)
	option      = regexp.MustCompile(`<option value="([^"]*)"( selected)?`)
)

// formsOf are the page's forms that post to the portal.
func formsOf(page string) []browserForm {
	var out []browserForm
	for _, m := range postForm.FindAllStringSubmatch(page, -1) {
		a := formAction.FindStringSubmatch(m[1])
		if a == nil {
			continue
		}
		f := browserForm{action: html.UnescapeString(a[1]), values: url.Values{}}
		if strings.Contains(m[1], `enctype="multipart/form-data"`) {
			f.files = []upload{}
		}
		for _, sel := range selectInput.FindAllStringSubmatch(m[2], -1) {
			if opts := option.FindAllStringSubmatch(sel[2], -1); len(opts) > 0 {
				chosen := opts[0][1]
				for _, o := range opts {
					if o[2] != "" {
						chosen = o[1]
					}
				}
				f.values.Set(sel[1], html.UnescapeString(chosen))
			}
		}
		for _, in := range input.FindAllString(m[2], -1) {
			name := inputName.FindStringSubmatch(in)
			if name == nil {
				continue
			}
			value := ""
			if v := inputValue.FindStringSubmatch(in); v != nil {
				value = html.UnescapeString(v[1])
			}
			typ := "text"
			if t := inputType.FindStringSubmatch(in); t != nil {
				typ = t[1]
			}
			switch {
			case typ == "hidden", (typ == "checkbox" || typ == "radio") && strings.Contains(in, " checked"):
				f.values.Add(name[1], value)
			case typ == "file" && f.files != nil:
				f.files = append(f.files, upload{Field: name[1]})
			case typ == "text" || typ == "email" || typ == "tel" || typ == "url" || typ == "search":
				f.texts = append(f.texts, name[1])
			}
		}
		for _, ta := range textArea.FindAllStringSubmatch(m[2], -1) {
			f.texts = append(f.texts, ta[1])
		}
		out = append(out, f)
	}
	return out
}
