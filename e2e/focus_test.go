package e2e

import (
	"testing"

	"github.com/minasidor/minasidor/internal/browsertest"
	"github.com/minasidor/minasidor/internal/web/webtest"
)

// A date field keeps the site's focus ring on every stop of the keyboard inside it: the day,
// month and year, and the calendar button, which Chromium focuses inside the input (the input is
// then only :focus-within).
func TestDateFieldKeepsFocusRing(t *testing.T) {
	t.Parallel()
	p := webtest.Start(t)
	b := browsertest.New(t)
	b.Navigate(p.URL + "/e-tjanster/begaran-om-allman-handling")
	// A form field as the e-service's steps render it, with the site's stylesheet.
	browsertest.Eval[bool](b, `document.querySelector("main .wrap").insertAdjacentHTML("afterbegin",
		'<div class="field"><label for="when">Datum</label><input type="date" id="when" name="when"></div><a id="after" href="#main">Nästa</a>'); true`)
	browsertest.Eval[bool](b, `document.getElementById("when").focus(); true`)
	b.PressShiftTab()
	stops := 0
	for i := 0; i < 8; i++ {
		b.PressTab()
		id := browsertest.Eval[string](b, `document.activeElement.id`)
		if id == "after" {
			break
		}
		if id != "when" {
			t.Fatalf("the focus went to %q, not through the date field", id)
		}
		stops++
		ring := browsertest.Eval[string](b, `(() => { const e = document.getElementById("when"); const s = getComputedStyle(e); return s.outlineStyle + " " + s.outlineWidth })()`)
		if ring != "solid 3px" {
			t.Errorf("stop %d in the date field (Tab %d): outline %q, want the site's ring (solid 3px)", stops, i+1, ring)
		}
	}
	if stops < 4 {
		t.Errorf("the date field has %d keyboard stops, want day, month, year and the calendar button", stops)
	}
}
