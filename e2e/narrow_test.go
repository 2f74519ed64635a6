package e2e

import (
	"fmt"
	"testing"

	"github.com/minasidor/minasidor/internal/browsertest"
	"github.com/minasidor/minasidor/internal/web/webtest"
)

// citizenWidths are the window widths the citizen's journeys run at: a desktop, and the narrowest
// phone that WCAG's reflow criterion (1.4.10) names. Every page they visit is checked with axe and
// for sideways scrolling (browsertest.CheckReflow).
var citizenWidths = []int{1280, 320}

func widthName(width int) string { return fmt.Sprintf("%dpx", width) }

// The portal's own pages fit a 320 px window, and pass axe there.
func TestNarrowWindowPages(t *testing.T) {
	t.Parallel()
	p := webtest.Start(t)
	b := browsertest.New(t, browsertest.WithWindowSize(320, 700))
	for _, path := range []string{"/", "/e-tjanster", "/e-tjanster/ansokan-om-skolskjuts", "/tillganglighet", "/kakor"} {
		b.Navigate(p.URL + path)
	}
	b.Navigate(p.URL + "/login?return=%2Fmina-sidor")
	clickThroughSAMLPost(t, b, pickPerson(karinName), "/mina-sidor")
	for _, path := range []string{"/mina-sidor", "/mina-sidor/arenden", "/mina-sidor/uppgifter"} {
		b.Navigate(p.URL + path)
	}
}
