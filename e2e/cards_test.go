package e2e

import (
	"testing"

	"github.com/minasidor/minasidor/internal/browsertest"
	"github.com/minasidor/minasidor/internal/web/webtest"
)

// The cards of the start page and Mina sidor line up: in a wide window the cards of one row
// start at the same height (a card after a card had a margin inside the grid).
func TestCardsLineUp(t *testing.T) {
	t.Parallel()
	p := webtest.Start(t)
	b := browsertest.New(t)
	check := func(page string) {
		t.Helper()
		tops := browsertest.Eval[[]float64](b, `[...document.querySelector("ul.cards").children].map(c => c.getBoundingClientRect().top)`)
		if len(tops) < 2 {
			t.Fatalf("%s: %d cards", page, len(tops))
		}
		for i, top := range tops[1:] {
			if top != tops[0] {
				t.Errorf("%s: card %d starts at %.0f px, the first at %.0f px", page, i+2, top, tops[0])
			}
		}
	}
	b.Navigate(p.URL + "/")
	check("the start page")
	b.Navigate(p.URL + "/login?return=%2Fmina-sidor")
	clickThroughSAMLPost(t, b, pickPerson(karinName), "/mina-sidor")
	check("Mina sidor")
	b.Navigate(p.URL + "/")
	check("the start page, logged in")
}
