package web_test

import (
	"net/url"
	"strings"
	"testing"

	"github.com/minasidor/minasidor/internal/web/webtest"
)

// The accessibility statement lists what is known not to work yet, in both languages, instead of
// saying that there is nothing; the session's timeout is the configured one.
func TestAccessibilityStatementListsKnownShortcomings(t *testing.T) {
	p := webtest.Start(t)
	c := p.Client(t)
	_, sv := get(t, c, p.URL+"/tillganglighet")
	for _, want := range []string{"Kända brister", "WCAG 2.2", `<ul class="known-faults">`, "inte en taggad PDF",
		"ingen varning innan du loggas ut efter 20 minuter", "Filer som bifogas"} {
		if !strings.Contains(sv, want) {
			t.Errorf("the Swedish statement lacks %q", want)
		}
	}
	if strings.Contains(sv, "känner inte till några brister") {
		t.Error("the statement still says that there are no known shortcomings")
	}

	p.Do(t, c, "POST", "/sprak", url.Values{"lang": {"en"}, "return": {"/tillganglighet"}})
	_, en := get(t, c, p.URL+"/tillganglighet")
	for _, want := range []string{"Known shortcomings", "not a tagged PDF", "no warning before you are logged out after 20 minutes"} {
		if !strings.Contains(en, want) {
			t.Errorf("the English statement lacks %q", want)
		}
	}
}
