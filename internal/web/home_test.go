package web_test

import (
	"testing"

	"github.com/minasidor/minasidor/internal/web/webtest"
)

// The start page offers a visitor to log in, and tells someone logged in who they are instead.
func TestStartPageLoginCard(t *testing.T) {
	p := webtest.Start(t)
	visitor := newBrowser(t, p).page("/")
	assertContains(t, "the visitor's start page", visitor, "Logga in med e-legitimation", `href="/login?return=%2F"`)

	karin := loggedIn(t, p, "adult").page("/")
	assertContains(t, "the logged-in start page", karin, "Du är inloggad som Karin Lindqvist", `href="/mina-sidor/uppgifter"`)
	assertLacks(t, "the logged-in start page", karin, "Logga in", "/login?")
}
