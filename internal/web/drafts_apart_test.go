package web_test

import (
	"net/url"
	"testing"

	"github.com/minasidor/minasidor/internal/web/webtest"
)

// Two drafts of the same e-service are told apart on Mina sidor and Mina ärenden: each shows when
// it was started and its first answer (here the child's name).
func TestDraftsToldApart(t *testing.T) {
	p := webtest.Start(t)
	b := loggedIn(t, p, "guardian1")
	for _, child := range []struct{ name, number string }{
		{"Elsa Bergström", "20160514-9820"},
		{"Olle Bergström", childNumber(t, "20150302", "238")},
	} {
		_, loc := b.start("anmalan-till-kulturskola")
		b.walk(loc, map[string]url.Values{"child": {"child_name": {child.name}, "child_personal_number": {child.number}, "school_year": {"3"}}})
	}
	for _, path := range []string{"/mina-sidor", "/mina-sidor/arenden"} {
		assertContains(t, path, b.page(path), "Första svaret: Elsa Bergström", "Första svaret: Olle Bergström", "Påbörjad 20")
	}
}
