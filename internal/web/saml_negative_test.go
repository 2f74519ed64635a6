package web_test

import (
	"bytes"
	"encoding/base64"
	"io"
	"net/http"
	"net/http/httptest"
	"net/url"
	"regexp"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/beevik/etree"
	"github.com/crewjam/saml"
	"github.com/minasidor/minasidor/internal/auth"
	"github.com/minasidor/minasidor/internal/auth/devidp"
	"github.com/minasidor/minasidor/internal/population"
	"github.com/minasidor/minasidor/internal/web"
	"github.com/minasidor/minasidor/internal/web/webtest"
	dsig "github.com/russellhaering/goxmldsig"
)

// The negative side of the citizen login: every answer the assertion consumer must refuse is
// refused with the right status and a clear Swedish page, leaves no session and no account, and
// is refused for the right reason (checked in the portal's log, which never holds the personal
// identity number or the SAML message).

const (
	adultNumber     = "198504129829" // test person "adult", Karin Lindqvist
	protectedNumber = "199007239842" // test person "protected"
	evilEntity      = "http://evil.example/saml/metadata"

	// sigInvalid begins the cause the strong-signature verifier logs for a signature that does not
	// verify (the signature value or the digest).
	sigInvalid = `err="signature: `
)

// refusal is how a refused login must look.
type refusal struct {
	status  int
	heading string // the failure page's heading (sv.json login.*.heading)
	reason  string // the reason in the log line "citizen login failed"
	cause   string // part of the logged cause: the login was refused for this reason
}

func failedBecause(cause string) refusal {
	return refusal{http.StatusBadRequest, "Inloggningen misslyckades", "failed", cause}
}

func expiredBecause(cause string) refusal {
	return refusal{http.StatusBadRequest, "Inloggningen gick ut", "expired", cause}
}

// attempt makes one login attempt with client c, which must end without a session, and returns
// the assertion consumer's answer.
type attempt func(t *testing.T, p *webtest.Portal, c *http.Client) *http.Response

// TestSAMLNegative posts answers the service provider must refuse, each on a portal of its own.
func TestSAMLNegative(t *testing.T) {
	tests := []struct {
		name string
		try  attempt
		want refusal
	}{
		// 1. Bad signatures.
		{"bad signature/response", tampered(devidp.Options{}, func(t *testing.T, r *etree.Element) {
			flipSignature(t, r)
		}), failedBecause(sigInvalid)},
		{"bad signature/assertion", tampered(devidp.Options{}, func(t *testing.T, r *etree.Element) {
			flipSignature(t, assertionOf(t, r))
		}), failedBecause(sigInvalid)},
		{"bad signature/response and assertion", tampered(devidp.Options{}, func(t *testing.T, r *etree.Element) {
			flipSignature(t, r)
			flipSignature(t, assertionOf(t, r))
		}), failedBecause(sigInvalid)},

		// 2. An attribute changed after signing, signatures kept.
		{"personal number changed after signing", tampered(devidp.Options{}, func(t *testing.T, r *etree.Element) {
			setPersonalNumber(t, assertionOf(t, r), protectedNumber)
		}), failedBecause(sigInvalid)},

		// 3. Signed by a key the SP does not trust, as the IdP's entity id.
		{"unknown key", signedByUnknownKey(false), failedBecause("signature: could not verify certificate against trusted certs")},
		{"unknown key, trusted certificate in KeyInfo", signedByUnknownKey(true), failedBecause(sigInvalid)},

		// 4. No signature at all.
		{"unsigned", tampered(devidp.Options{}, func(t *testing.T, r *etree.Element) {
			removeSignatures(r)
		}), failedBecause("signature element not present")},

		// 5. More than one assertion, and signature wrapping.
		{"wrapping/forged copy after the signed assertion", tampered(devidp.Options{}, func(t *testing.T, r *etree.Element) {
			r.AddChild(forgedCopy(t, assertionOf(t, r)))
		}), failedBecause("2 assertions")},
		{"wrapping/forged copy before the signed assertion, response unsigned", tampered(devidp.Options{}, func(t *testing.T, r *etree.Element) {
			a := assertionOf(t, r)
			r.RemoveChild(r.SelectElement("Signature"))
			r.InsertChildAt(a.Index(), forgedCopy(t, a))
		}), failedBecause("2 assertions")},
		{"wrapping/signed assertion moved into Extensions", tampered(devidp.Options{}, func(t *testing.T, r *etree.Element) {
			a := assertionOf(t, r)
			r.RemoveChild(r.SelectElement("Signature"))
			forged := forgedCopy(t, a)
			r.RemoveChild(a)
			ext := etree.NewElement("samlp:Extensions")
			ext.AddChild(a)
			r.InsertChildAt(r.SelectElement("Status").Index(), ext)
			r.AddChild(forged)
		}), failedBecause("2 assertions")},
		{"wrapping/forged assertion in the signed assertion's Advice", tampered(devidp.Options{}, func(t *testing.T, r *etree.Element) {
			a := assertionOf(t, r)
			advice := etree.NewElement("saml:Advice")
			advice.AddChild(forgedCopy(t, a))
			a.InsertChildAt(a.SelectElement("Conditions").Index()+1, advice)
		}), failedBecause("2 assertions")},
		{"wrapping/signed assertion in a forged assertion's Advice", tampered(devidp.Options{}, func(t *testing.T, r *etree.Element) {
			a := assertionOf(t, r)
			r.RemoveChild(r.SelectElement("Signature"))
			forged := forgedCopy(t, a)
			r.RemoveChild(a)
			advice := etree.NewElement("saml:Advice")
			advice.AddChild(a)
			forged.InsertChildAt(forged.SelectElement("Conditions").Index()+1, advice)
			r.AddChild(forged)
		}), failedBecause("2 assertions")},

		// 6. Audience, destination, issuer.
		{"wrong audience", answered(devidp.Options{Modify: func(a *saml.Assertion) {
			a.Conditions.AudienceRestrictions[0].Audience.Value = evilEntity
		}}), failedBecause("AudienceRestriction")},
		// Not in the brief's list: the Web SSO profile (saml-profiles-2.0-os 4.1.4.2) and the Swedish
		// e-ID framework require an AudienceRestriction naming the SP in every bearer assertion.
		{"no audience restriction", answered(devidp.Options{Modify: func(a *saml.Assertion) {
			a.Conditions.AudienceRestrictions = nil
		}}), failedBecause("AudienceRestriction")},
		{"wrong destination", answered(devidp.Options{Destination: "http://evil.example/saml/acs"}), failedBecause("Destination")},
		{"wrong issuer", answered(devidp.Options{Issuer: "http://evil.example/idp/metadata"}), failedBecause("Issuer does not match")},

		// 7. Validity period.
		{"expired", answered(devidp.Options{Now: time.Now().Add(-10 * time.Minute)}), failedBecause("expired")},
		{"not yet valid", answered(devidp.Options{Now: time.Now().Add(10 * time.Minute)}), failedBecause("not yet valid")},

		// 9. The pending login of another browser.
		{"another browser's login, no cookie", func(t *testing.T, p *webtest.Portal, c *http.Client) *http.Response {
			form := p.Answer(t, p.BeginLogin(t, p.Client(t), "/mina-sidor"), "adult", devidp.Options{})
			return p.Do(t, c, "POST", "/saml/acs", form)
		}, expiredBecause("no relay state or no binding cookie")},
		{"another browser's login, own cookie", func(t *testing.T, p *webtest.Portal, c *http.Client) *http.Response {
			form := p.Answer(t, p.BeginLogin(t, p.Client(t), "/mina-sidor"), "adult", devidp.Options{})
			p.BeginLogin(t, c, "/mina-sidor") // c's own login: c holds a binding cookie of its own
			return p.Do(t, c, "POST", "/saml/acs", form)
		}, expiredBecause("no pending login for this handle and browser")},

		// 10. Unsolicited answers, and answers to another request.
		{"unsolicited, no relay state, no cookie", func(t *testing.T, p *webtest.Portal, c *http.Client) *http.Response {
			form := p.Answer(t, p.BeginLogin(t, p.Client(t), "/mina-sidor"), "adult", devidp.Options{})
			form.Del("RelayState")
			return p.Do(t, c, "POST", "/saml/acs", form)
		}, expiredBecause("no relay state")},
		{"unsolicited, no relay state, with cookie", func(t *testing.T, p *webtest.Portal, c *http.Client) *http.Response {
			form := p.Answer(t, p.BeginLogin(t, c, "/mina-sidor"), "adult", devidp.Options{})
			form.Set("RelayState", "")
			return p.Do(t, c, "POST", "/saml/acs", form)
		}, expiredBecause("no relay state")},
		{"assertion answers another request", answered(devidp.Options{Modify: func(a *saml.Assertion) {
			a.Subject.SubjectConfirmations[0].SubjectConfirmationData.InResponseTo = "id-0123456789abcdef0123456789abcdef01234567"
		}}), failedBecause("SubjectConfirmation")},
		{"answer to another login's request", func(t *testing.T, p *webtest.Portal, c *http.Client) *http.Response {
			own := p.BeginLogin(t, c, "/mina-sidor")
			form := p.Answer(t, p.BeginLogin(t, p.Client(t), "/mina-sidor"), "adult", devidp.Options{})
			form.Set("RelayState", own.RelayState) // c's own pending login and cookie, another request's answer
			return p.Do(t, c, "POST", "/saml/acs", form)
		}, failedBecause("InResponseTo")},

		// 11. Level of assurance too low.
		{"loa2", answered(devidp.Options{LoA: "http://id.elegnamnden.se/loa/1.0/loa2"}),
			refusal{http.StatusForbidden, "Din e-legitimation räcker inte", "loa too low", "level of assurance"}},

		// 12. The user cancels at the IdP: the development IdP's cancel button.
		{"cancelled at the IdP", cancelAtIdP, refusal{http.StatusOK, "Inloggningen avbröts", "cancelled", "cancelled"}},

		// 13. A pending login older than its lifetime.
		{"pending login expired", func(t *testing.T, p *webtest.Portal, c *http.Client) *http.Response {
			req := p.BeginLogin(t, c, "/mina-sidor")
			tag, err := p.Pool.Exec(t.Context(), `UPDATE login_pending SET created_at = now() - interval '11 minutes' WHERE handle = $1`, req.RelayState)
			if err != nil || tag.RowsAffected() != 1 {
				t.Fatalf("age the pending login: %v, %d rows", err, tag.RowsAffected())
			}
			return p.Do(t, c, "POST", "/saml/acs", p.Answer(t, req, "adult", devidp.Options{}))
		}, expiredBecause("pending login expired")},

		// 16. A SHA-1 signature.
		{"SHA-1 signature", func(t *testing.T, p *webtest.Portal, c *http.Client) *http.Response {
			form := p.Answer(t, p.BeginLogin(t, c, "/mina-sidor"), "adult", devidp.Options{SignatureMethod: dsig.RSASHA1SignatureMethod})
			r := decodeResponse(t, form.Get("SAMLResponse"))
			for _, el := range []*etree.Element{r, assertionOf(t, r)} {
				if m := el.FindElement("./Signature/SignedInfo/SignatureMethod"); m == nil || m.SelectAttrValue("Algorithm", "") != dsig.RSASHA1SignatureMethod {
					t.Fatalf("the development IdP did not sign %s with RSA-SHA1", el.Tag)
				}
			}
			return p.Do(t, c, "POST", "/saml/acs", form)
		}, failedBecause("weaker than RSA-SHA256")},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			p, logs := startPortal(t)
			c := p.Client(t)
			resp := tt.try(t, p, c)
			assertRefused(t, p, c, resp, tt.want, logs)
			if n := accounts(t, p); n != 0 {
				t.Errorf("%d accounts after a refused login", n)
			}
		})
	}
}

// The helpers that change responses must not break a good one by themselves: a response decoded
// and encoded again, untouched, is accepted. Without this the tampering cases prove nothing.
func TestSAMLNegativeControlRoundTrip(t *testing.T) {
	p, logs := startPortal(t)
	c := p.Client(t)
	resp := tampered(devidp.Options{}, func(*testing.T, *etree.Element) {})(t, p, c)
	assertLoggedIn(t, p, c, resp, "/mina-sidor")
	assertCleanLog(t, logs.String())
}

// Clock skew up to auth.ClockSkew (60 s) is allowed either way.
func TestSAMLNegativeClockSkewBoundary(t *testing.T) {
	for _, skew := range []time.Duration{-30 * time.Second, 30 * time.Second} {
		t.Run(skew.String(), func(t *testing.T) {
			t.Parallel()
			p, _ := startPortal(t)
			c := p.Client(t)
			resp := answered(devidp.Options{Now: time.Now().Add(skew)})(t, p, c)
			assertLoggedIn(t, p, c, resp, "/mina-sidor")
		})
	}
}

// 8. Replays: an accepted answer never logs anyone in a second time.
func TestSAMLNegativeReplay(t *testing.T) {
	// first logs client a in with an answer to its own login, and returns the form it posted and the
	// request id it answered.
	first := func(t *testing.T, p *webtest.Portal, a *http.Client) (url.Values, string) {
		req := p.BeginLogin(t, a, "/mina-sidor")
		var requestID string
		if err := p.Pool.QueryRow(t.Context(), `SELECT request_id FROM login_pending WHERE handle = $1`, req.RelayState).Scan(&requestID); err != nil {
			t.Fatal(err)
		}
		form := p.Answer(t, req, "adult", devidp.Options{})
		assertLoggedIn(t, p, a, p.Do(t, a, "POST", "/saml/acs", form), "/mina-sidor")
		return form, requestID
	}

	t.Run("same form twice by the same browser", func(t *testing.T) {
		t.Parallel()
		p, logs := startPortal(t)
		a := p.Client(t)
		form, _ := first(t, p, a)
		resp := p.Do(t, a, "POST", "/saml/acs", form)
		// a is still logged in from the first post, so only the page and the log are checked here.
		body := webtest.ReadBody(t, resp)
		assertFailurePage(t, resp, body, expiredBecause(""))
		assertLogged(t, logs.String(), expiredBecause("no relay state or no binding cookie"))
		if n := accounts(t, p); n != 1 {
			t.Errorf("%d accounts, want 1", n)
		}
	})

	t.Run("accepted answer with another login's relay state and cookie", func(t *testing.T) {
		t.Parallel()
		p, logs := startPortal(t)
		form, _ := first(t, p, p.Client(t))
		b := p.Client(t)
		replay := url.Values{"SAMLResponse": form["SAMLResponse"], "RelayState": {p.BeginLogin(t, b, "/mina-sidor").RelayState}}
		assertRefused(t, p, b, p.Do(t, b, "POST", "/saml/acs", replay), failedBecause("InResponseTo"), logs)
		if n := accounts(t, p); n != 1 {
			t.Errorf("%d accounts, want 1", n)
		}
	})

	// The answer is made to look like an answer to b's login (its pending row is given the replayed
	// request's id), so that only the table of used assertions can catch it.
	t.Run("replayed assertion caught by the used-assertion table", func(t *testing.T) {
		t.Parallel()
		p, logs := startPortal(t)
		form, requestID := first(t, p, p.Client(t))
		b := p.Client(t)
		handle := p.BeginLogin(t, b, "/mina-sidor").RelayState
		if _, err := p.Pool.Exec(t.Context(), `UPDATE login_pending SET request_id = $1 WHERE handle = $2`, requestID, handle); err != nil {
			t.Fatal(err)
		}
		replay := url.Values{"SAMLResponse": form["SAMLResponse"], "RelayState": {handle}}
		assertRefused(t, p, b, p.Do(t, b, "POST", "/saml/acs", replay), failedBecause("assertion replayed"), logs)
		if n := accounts(t, p); n != 1 {
			t.Errorf("%d accounts, want 1", n)
		}
	})
}

// 14. A body over the limit is refused before the assertion consumer reads it.
func TestSAMLNegativeBodyTooLarge(t *testing.T) {
	p, _ := startPortal(t)
	for _, declared := range []bool{true, false} {
		c := p.Client(t)
		req := p.BeginLogin(t, c, "/mina-sidor")
		form := url.Values{
			"RelayState":   {req.RelayState},
			"SAMLResponse": {base64.StdEncoding.EncodeToString(bytes.Repeat([]byte("<x/>"), int(p.Config.MaxBodyBytes)))},
		}
		var body io.Reader = strings.NewReader(form.Encode())
		if !declared {
			body = io.MultiReader(body) // hides the length: sent chunked
		}
		post, _ := http.NewRequest("POST", p.URL+"/saml/acs", body)
		post.Header.Set("Content-Type", "application/x-www-form-urlencoded")
		resp, err := c.Do(post)
		if err != nil {
			t.Fatal(err)
		}
		page := webtest.ReadBody(t, resp)
		if resp.StatusCode != http.StatusRequestEntityTooLarge || !strings.Contains(page, "För mycket data") {
			t.Errorf("declared=%v: status %d", declared, resp.StatusCode)
		}
		assertNoSession(t, p, c)
	}
	if n := accounts(t, p); n != 0 {
		t.Errorf("%d accounts after refused logins", n)
	}
}

// 15. Wherever the return address points, a login ends on this site.
func TestSAMLNegativeReturnPath(t *testing.T) {
	p, _ := startPortal(t)
	tests := []struct {
		ret  string
		want string // the exact Location, or "" for any path on this site
	}{
		{"https://evil.example/", "/mina-sidor"},
		{"//evil.example", "/mina-sidor"},
		{"/\\evil.example", "/mina-sidor"},
		{"javascript:alert(1)", "/mina-sidor"},
		{"http:/evil", "/mina-sidor"},
		{"/%2F%2Fevil.example", ""},
		{"/\t/evil.example", "/mina-sidor"},
		// An encoded slash next to a character url.URL cannot keep as typed: RequestURI re-escapes the
		// decoded path, and "/%2F" becomes "//".
		{"/%2Fevil.example/é", ""},
		{"/%2Fevil.example/ x", ""},
		{"/%2Fevil.example/|", ""},
	}
	base, _ := url.Parse(p.URL)
	local := func(loc string) bool {
		u, err := url.Parse(loc)
		return err == nil && strings.HasPrefix(loc, "/") && !strings.HasPrefix(loc, "//") && !strings.HasPrefix(loc, "/\\") &&
			u.Scheme == "" && u.Host == "" && base.ResolveReference(u).Host == base.Host
	}
	for _, tt := range tests {
		t.Run(tt.ret, func(t *testing.T) {
			c := p.Client(t)
			resp := p.Do(t, c, "POST", "/saml/acs", p.Answer(t, p.BeginLogin(t, c, tt.ret), "adult", devidp.Options{}))
			loc := resp.Header.Get("Location")
			if resp.StatusCode != http.StatusSeeOther || !local(loc) || (tt.want != "" && loc != tt.want) {
				t.Errorf("return %q: login answered %d, Location %q: want a path on this site (%q)", tt.ret, resp.StatusCode, loc, tt.want)
			}
			if r := p.Do(t, c, "GET", "/mina-sidor", nil); r.StatusCode != http.StatusOK {
				t.Errorf("no session after the login: /mina-sidor answered %d", r.StatusCode)
			}
			// A logged-in visitor starting a login is sent straight to the return address.
			resp = p.Do(t, c, "GET", "/login?return="+url.QueryEscape(tt.ret), nil)
			if loc := resp.Header.Get("Location"); resp.StatusCode != http.StatusSeeOther || !local(loc) {
				t.Errorf("return %q when logged in: status %d, Location %q", tt.ret, resp.StatusCode, loc)
			}
		})
	}
}

// 17. The log tells why a login failed and who logged in (by account id), never the personal
// identity number, the person's name or the SAML message.
func TestSAMLNegativeLogHygiene(t *testing.T) {
	p, logs := startPortal(t)
	failed := tampered(devidp.Options{}, func(t *testing.T, r *etree.Element) { flipSignature(t, r) })
	fc := p.Client(t)
	assertRefused(t, p, fc, failed(t, p, fc), failedBecause(sigInvalid), logs)
	c := p.Client(t)
	assertLoggedIn(t, p, c, answered(devidp.Options{})(t, p, c), "/mina-sidor")

	log := logs.String()
	for _, want := range []string{`msg="citizen login failed"`, "reason=failed", `msg="citizen logged in"`, "account="} {
		if !strings.Contains(log, want) {
			t.Errorf("log lacks %q", want)
		}
	}
	assertCleanLog(t, log)
}

// Attempts.

// answered is a login started by c, answered by the development IdP with opts, posted by c.
func answered(opts devidp.Options) attempt {
	return tampered(opts, nil)
}

// tampered is answered with the response changed by change (nil: left as signed) before it is
// posted.
func tampered(opts devidp.Options, change func(*testing.T, *etree.Element)) attempt {
	return func(t *testing.T, p *webtest.Portal, c *http.Client) *http.Response {
		form := p.Answer(t, p.BeginLogin(t, c, "/mina-sidor"), "adult", opts)
		if change != nil {
			r := decodeResponse(t, form.Get("SAMLResponse"))
			change(t, r)
			form.Set("SAMLResponse", encodeResponse(t, r))
		}
		return p.Do(t, c, "POST", "/saml/acs", form)
	}
}

// signedByUnknownKey answers c's login from a second IdP with the real one's entity id but a key
// of its own. With trustedCert, its signatures claim the trusted IdP's certificate in KeyInfo.
func signedByUnknownKey(trustedCert bool) attempt {
	return func(t *testing.T, p *webtest.Portal, c *http.Client) *http.Response {
		keys, err := auth.NewKeyPair("Rogue IdP")
		if err != nil {
			t.Fatal(err)
		}
		base, _ := url.Parse(p.URL)
		rogue := devidp.New(base, keys)
		if rogue.EntityID() != p.DevIdP.EntityID() {
			t.Fatalf("rogue entity id %q, want %q", rogue.EntityID(), p.DevIdP.EntityID())
		}
		if err := rogue.Register([]byte(webtest.ReadBody(t, p.Do(t, p.Client(t), "GET", "/saml/metadata", nil)))); err != nil {
			t.Fatal(err)
		}
		own := p.BeginLogin(t, c, "/mina-sidor")
		req, err := rogue.Parse(httptest.NewRequest("GET", p.URL+"/idp/sso", nil), own.SAMLRequest, own.RelayState)
		if err != nil {
			t.Fatal(err)
		}
		person, _ := population.FindTestPerson("adult")
		answer, err := rogue.Respond(req, person, devidp.Options{})
		if err != nil {
			t.Fatal(err)
		}
		encoded := answer.SAMLResponse
		if trustedCert {
			r := decodeResponse(t, encoded)
			trusted := base64.StdEncoding.EncodeToString(p.DevIdP.Keys().Certificate.Raw)
			certs := r.FindElements("//Signature/KeyInfo/X509Data/X509Certificate")
			if len(certs) != 2 {
				t.Fatalf("%d certificates in the rogue answer, want 2", len(certs))
			}
			for _, el := range certs {
				el.SetText(trusted)
			}
			encoded = encodeResponse(t, r)
		}
		return p.Do(t, c, "POST", "/saml/acs", url.Values{"SAMLResponse": {encoded}, "RelayState": {answer.RelayState}})
	}
}

// cancelAtIdP starts a login as a browser does, presses the development IdP's cancel button and
// posts its answer.
func cancelAtIdP(t *testing.T, p *webtest.Portal, c *http.Client) *http.Response {
	start := p.Do(t, c, "GET", "/login?return=%2Fmina-sidor", nil)
	if start.StatusCode != http.StatusSeeOther {
		t.Fatalf("login start: status %d", start.StatusCode)
	}
	picker := webtest.ReadBody(t, p.Do(t, c, "GET", start.Header.Get("Location"), nil))
	// The cancel form is the one holding the hidden input "cancel".
	at := strings.Index(picker, `name="cancel"`)
	if at < 0 {
		t.Fatal("the development IdP's page has no cancel button")
	}
	form := webtest.HiddenInputs("<main>" + picker[strings.LastIndex(picker[:at], "<form"):])
	if form.Get("cancel") != "1" || form.Get("SAMLRequest") == "" || form.Get("RelayState") == "" || form.Has("person") {
		t.Fatalf("cancel form %v", form)
	}
	answer := p.Do(t, c, "POST", "/idp/sso", form)
	if answer.StatusCode != http.StatusOK {
		t.Fatalf("development IdP cancel: status %d", answer.StatusCode)
	}
	return p.Do(t, c, "POST", "/saml/acs", webtest.HiddenInputs(webtest.ReadBody(t, answer)))
}

// Changing responses.

func decodeResponse(t *testing.T, encoded string) *etree.Element {
	t.Helper()
	raw, err := base64.StdEncoding.DecodeString(encoded)
	if err != nil {
		t.Fatal(err)
	}
	doc := etree.NewDocument()
	if err := doc.ReadFromBytes(raw); err != nil {
		t.Fatal(err)
	}
	if doc.Root() == nil || doc.Root().Tag != "Response" {
		t.Fatal("not a SAML response")
	}
	return doc.Root()
}

func encodeResponse(t *testing.T, r *etree.Element) string {
	t.Helper()
	doc := etree.NewDocument()
	doc.SetRoot(r)
	raw, err := doc.WriteToBytes()
	if err != nil {
		t.Fatal(err)
	}
	return base64.StdEncoding.EncodeToString(raw)
}

func assertionOf(t *testing.T, r *etree.Element) *etree.Element {
	t.Helper()
	a := r.SelectElement("Assertion")
	if a == nil {
		t.Fatal("the response has no assertion (encrypted?)")
	}
	return a
}

// flipSignature changes one bit of the signature value of el's own signature.
func flipSignature(t *testing.T, el *etree.Element) {
	t.Helper()
	sv := el.FindElement("./Signature/SignatureValue")
	if sv == nil {
		t.Fatalf("%s is not signed", el.Tag)
	}
	b, err := base64.StdEncoding.DecodeString(strings.Join(strings.Fields(sv.Text()), ""))
	if err != nil || len(b) == 0 {
		t.Fatalf("signature value: %v", err)
	}
	b[len(b)/2] ^= 0x01
	sv.SetText(base64.StdEncoding.EncodeToString(b))
}

func setPersonalNumber(t *testing.T, assertion *etree.Element, pnr string) {
	t.Helper()
	n := 0
	for _, attr := range assertion.FindElements("./AttributeStatement/Attribute") {
		if attr.SelectAttrValue("Name", "") == auth.AttrPersonalNumber {
			for _, v := range attr.SelectElements("AttributeValue") {
				v.SetText(pnr)
				n++
			}
		}
	}
	if n == 0 {
		t.Fatal("the assertion has no personalIdentityNumber")
	}
}

// forgedCopy is a copy of assertion naming the protected person, without a signature of its own.
func forgedCopy(t *testing.T, assertion *etree.Element) *etree.Element {
	t.Helper()
	forged := assertion.Copy()
	forged.RemoveChild(forged.SelectElement("Signature"))
	setPersonalNumber(t, forged, protectedNumber)
	return forged
}

func removeSignatures(r *etree.Element) {
	for _, sig := range r.FindElements("//Signature") {
		sig.Parent().RemoveChild(sig)
	}
}

// Checks.

var retryLink = regexp.MustCompile(`<a class="button" href="([^"]*)">Försök igen</a>`)

// assertRefused checks a refused login: its page, its log line, and that c has no session.
func assertRefused(t *testing.T, p *webtest.Portal, c *http.Client, resp *http.Response, want refusal, logs *logBuffer) {
	t.Helper()
	body := webtest.ReadBody(t, resp)
	assertFailurePage(t, resp, body, want)
	assertNoSession(t, p, c)
	log := logs.String()
	assertLogged(t, log, want)
	assertCleanLog(t, log)
}

// assertFailurePage checks the status and the Swedish failure page: its heading, a retry link to
// the login, and nothing of the person or the SAML message.
func assertFailurePage(t *testing.T, resp *http.Response, body string, want refusal) {
	t.Helper()
	if resp.StatusCode != want.status {
		t.Errorf("status %d, want %d (Location %q)", resp.StatusCode, want.status, resp.Header.Get("Location"))
	}
	if !strings.Contains(body, `<html lang="sv">`) || !strings.Contains(body, "<h1>"+want.heading+"</h1>") {
		t.Errorf("the page is not the Swedish failure page %q:\n%s", want.heading, body)
	}
	if m := retryLink.FindStringSubmatch(body); m == nil || !strings.HasPrefix(m[1], "/login?return=") {
		t.Errorf("no “Försök igen” link to /login?return=… (%v)", m)
	}
	for _, secret := range []string{adultNumber, adultNumber[:8], protectedNumber, "SAMLResponse", "PHNhbWxwOlJlc3BvbnNl", "urn:oasis:names:tc:SAML"} {
		if strings.Contains(body, secret) {
			t.Errorf("the failure page contains %q", secret)
		}
	}
}

// assertNoSession checks that c is not logged in: Mina sidor sends it to the login, whatever
// session cookie it may hold.
func assertNoSession(t *testing.T, p *webtest.Portal, c *http.Client) {
	t.Helper()
	resp := p.Do(t, c, "GET", "/mina-sidor", nil)
	if resp.StatusCode != http.StatusSeeOther || resp.Header.Get("Location") != "/login?return=%2Fmina-sidor" {
		t.Errorf("after a refused login /mina-sidor answers %d, Location %q (session cookie %q)",
			resp.StatusCode, resp.Header.Get("Location"), cookie(c, p.URL, web.SessionCookie))
	}
}

// assertLogged checks that the log explains the refusal with the expected reason and cause.
func assertLogged(t *testing.T, log string, want refusal) {
	t.Helper()
	for _, line := range strings.Split(log, "\n") {
		if strings.Contains(line, `msg="citizen login failed"`) && strings.Contains(line, "reason="+strconvQuote(want.reason)) &&
			strings.Contains(strings.ToLower(line), strings.ToLower(want.cause)) {
			return
		}
	}
	t.Errorf("no log line for a login %s because of %q; log:\n%s", want.reason, want.cause, failureLines(log))
}

// assertCleanLog checks that the log holds nothing of the person or the SAML message.
func assertCleanLog(t *testing.T, log string) {
	t.Helper()
	for _, secret := range []string{adultNumber, adultNumber[:8], protectedNumber, "SAMLResponse", "PHNhbWxwOlJlc3BvbnNl", "urn:oasis:names:tc:SAML", "SignatureValue", "Lindqvist", "Karin"} {
		if strings.Contains(log, secret) {
			t.Errorf("the log contains %q", secret)
		}
	}
}

// assertLoggedIn checks an accepted login: 303 to want, and a session for c.
func assertLoggedIn(t *testing.T, p *webtest.Portal, c *http.Client, resp *http.Response, want string) {
	t.Helper()
	if resp.StatusCode != http.StatusSeeOther || resp.Header.Get("Location") != want {
		t.Fatalf("login: status %d, Location %q, want 303 to %q:\n%s", resp.StatusCode, resp.Header.Get("Location"), want, webtest.ReadBody(t, resp))
	}
	if r := p.Do(t, c, "GET", want, nil); r.StatusCode != http.StatusOK {
		t.Errorf("after the login %s answers %d", want, r.StatusCode)
	}
}

func accounts(t *testing.T, p *webtest.Portal) int {
	t.Helper()
	var n int
	if err := p.Pool.QueryRow(t.Context(), `SELECT count(*) FROM account`).Scan(&n); err != nil {
		t.Fatal(err)
	}
	return n
}

func failureLines(log string) string {
	var out []string
	for _, line := range strings.Split(log, "\n") {
		if strings.Contains(line, "login") && !strings.Contains(line, `msg=request`) {
			out = append(out, line)
		}
	}
	return strings.Join(out, "\n")
}

// strconvQuote quotes a log value as slog's text handler does: only when it must.
func strconvQuote(s string) string {
	if strings.ContainsAny(s, " \"=") {
		return `"` + s + `"`
	}
	return s
}

// The portal, with its log.

// logBuffer collects the portal's log; the server writes it from its own goroutines.
type logBuffer struct {
	mu  sync.Mutex
	buf bytes.Buffer
}

func (l *logBuffer) Write(b []byte) (int, error) {
	l.mu.Lock()
	defer l.mu.Unlock()
	return l.buf.Write(b)
}

func (l *logBuffer) String() string {
	l.mu.Lock()
	defer l.mu.Unlock()
	return l.buf.String()
}

// startPortal is webtest.Start with the portal's log kept, so that tests can see why a login was
// refused and that the log holds no personal data.
func startPortal(t *testing.T) (*webtest.Portal, *logBuffer) {
	t.Helper()
	logs := &logBuffer{}
	p := webtest.StartWithLog(t, logs)
	t.Cleanup(func() {
		if t.Failed() {
			t.Logf("portal log (login lines):\n%s", failureLines(logs.String()))
		}
	})
	return p, logs
}
