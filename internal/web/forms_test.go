package web_test

import (
	"net/http"
	"net/url"
	"regexp"
	"strings"
	"testing"

	"github.com/minasidor/minasidor/internal/web/webtest"
)

// Bad input always gets a clear answer: every form of every page each kind of user reaches by
// link, sent as a browser sends it with nothing filled in (its hidden inputs, and an empty file
// for each file input), is either done or refused with the form's error summary or an alert,
// never answered with a server error or as a request the portal cannot read. The forms that end
// the session or the account are left out; the others are sent after the walk, so that what they
// change (an archived e-service, a removed field) does not hide pages from it. A form whose
// target such a change removed may find nothing.
func TestEmptyFormsAreAnsweredClearly(t *testing.T) {
	// Each user has a portal of their own, so that what one user's forms change (a case closed,
	// withdrawn or assigned) does not take forms from another's walk.
	for _, user := range []struct {
		name  string
		setup func(t *testing.T, p *webtest.Portal) *esBrowser
		start string
	}{
		{"a citizen", func(t *testing.T, p *webtest.Portal) *esBrowser {
			karin, _ := karinWithCase(t, p)
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
			karin, reference := karinWithCase(t, p)
			pdAsk(karin, url.Values{"references": {reference}, "delivery": {"mypages"}})
			return staffBrowser(t, p, "registrar-alingsas")
		}, "/personal"},
	} {
		t.Run(user.name, func(t *testing.T) {
			p := webtest.Start(t)
			b := user.setup(t, p)
			sent := map[string]bool{}
			var forms []emptyForm
			for _, v := range crawl(t, p, b.c, p.URL, []string{user.start}) {
				for _, f := range formsOf(v.body) {
					if route := routeOf(f.action); !sent[route] && !endsSession.MatchString(f.action) {
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
				var resp *http.Response
				var body string
				if f.files != nil {
					resp, body = b.multipart(f.action, f.hidden, f.files...)
				} else {
					resp, body = b.post(f.action, f.hidden)
				}
				switch {
				case strings.Contains(resp.Header.Get("Location"), "login"):
					t.Fatalf("the empty form of %s to %s sent the user to log in: the walk lost its session", f.from, f.action)
				case resp.StatusCode >= 500 || resp.StatusCode == http.StatusBadRequest:
					t.Errorf("the empty form of %s to %s: status %d: %s", f.from, f.action, resp.StatusCode, errorText(body))
				case resp.StatusCode == http.StatusUnprocessableEntity && !strings.Contains(body, `class="error-summary"`) && !strings.Contains(body, `role="alert"`):
					t.Errorf("the empty form of %s to %s is refused without an error summary or an alert", f.from, f.action)
				}
			}
			t.Logf("%d forms sent", len(forms))
		})
	}
}

// karinWithCase is Karin, logged in, with a street-lighting case she has submitted with a photo;
// it returns her browser and the case's reference.
func karinWithCase(t *testing.T, p *webtest.Portal) (*esBrowser, string) {
	t.Helper()
	karin := loggedIn(t, p, "adult")
	caseID := csSubmitStreetLighting(karin, pngImage(t), nil)
	return karin, dbString(t, p, `SELECT reference FROM cases WHERE id = $1`, caseID)
}

// endsSession are the forms that log out or erase the account: the walk's user would go with them.
var endsSession = regexp.MustCompile(`/logout$|/radera$`)

// emptyForm is a form as a browser sends it with nothing filled in.
type emptyForm struct {
	action, from string
	hidden       url.Values
	files        []upload // an empty file for each file input; nil for a form that is not multipart
}

var (
	postForm  = regexp.MustCompile(`(?s)<form([^>]*method="post"[^>]*)>(.*?)</form>`)
	formAttr  = regexp.MustCompile(`\baction="(/[^"]*)"`)
	fileInput = regexp.MustCompile(`(?s)<input[^>]*type="file"[^>]*>`)
	inputName = regexp.MustCompile(`\bname="([^"]+)"`)
	hidden    = regexp.MustCompile(`<input type="hidden" name="([^"]+)" value="([^"]*)"`)
)

// formsOf are the page's forms that post to the portal.
func formsOf(page string) []emptyForm {
	var out []emptyForm
	for _, m := range postForm.FindAllStringSubmatch(page, -1) {
		a := formAttr.FindStringSubmatch(m[1])
		if a == nil {
			continue
		}
		f := emptyForm{action: rwSlash.Replace(a[1]), hidden: url.Values{}}
		for _, h := range hidden.FindAllStringSubmatch(m[2], -1) {
			f.hidden.Add(h[1], h[2])
		}
		if strings.Contains(m[1], `enctype="multipart/form-data"`) {
			f.files = []upload{}
			for _, in := range fileInput.FindAllString(m[2], -1) {
				if n := inputName.FindStringSubmatch(in); n != nil {
					f.files = append(f.files, upload{Field: n[1]})
				}
			}
		}
		out = append(out, f)
	}
	return out
}
