package e2e

import (
	"context"
	"fmt"
	"net/http"
	"net/url"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/chromedp/chromedp"
	"github.com/google/uuid"
	"github.com/minasidor/minasidor/internal/browsertest"
	"github.com/minasidor/minasidor/internal/casework"
	"github.com/minasidor/minasidor/internal/message"
	"github.com/minasidor/minasidor/internal/web/webtest"
)

// ScreenshotsVariable names a folder the staff case page's screenshots are kept in, for a person
// to look at; without it they go to the test's temporary folder and are removed with it.
const screenshotsVariable = "E2E_SCREENSHOTS"

// The caseworker's case page, as a caseworker sees it in a browser, of a case with a supplement,
// messages, a note and a history: at 1280 px the actions stand in a column beside the case and
// the answers start above the fold; at 375 and 320 px it is one column, the case first, and
// nothing scrolls sideways. axe (WCAG 2.2 AA) checks it at every width, with the question that
// closing a case asks, which works without JavaScript. A screenshot is taken at 1280 and 375 px.
func TestStaffCasePageLayout(t *testing.T) {
	t.Parallel()
	p := webtest.Start(t)
	caseID := cpSupplementedCase(t, p)
	path := "/personal/arenden/" + caseID.String()
	shots := os.Getenv(screenshotsVariable)
	if shots == "" {
		shots = t.TempDir()
	} else if err := os.MkdirAll(shots, 0o755); err != nil {
		t.Fatal(err)
	}

	for _, width := range []int{1280, 375, 320} {
		t.Run(widthName(width), func(t *testing.T) {
			b := browsertest.New(t, browsertest.WithWindowSize(width, 900), browsertest.WithoutJavaScript())
			b.Navigate(p.URL + "/personal/login?return=" + url.QueryEscape(path))
			bdLogin(t, b, pickPerson("Anna Handläggare"), path)
			b.Navigate(p.URL + path) // axe and the reflow check, at this width
			if width != 320 {
				shot := filepath.Join(shots, fmt.Sprintf("staff-case-%dpx.png", width))
				b.Screenshot(shot)
				t.Logf("screenshot: %s", shot)
			}
			type box struct{ Left, Right, Top, Bottom float64 }
			rect := func(sel string) box {
				t.Helper()
				return browsertest.Eval[box](b, `(() => { const r = document.querySelector(`+fmt.Sprintf("%q", sel)+`).getBoundingClientRect();
					return {left: r.left, right: r.right, top: r.top + scrollY, bottom: r.bottom + scrollY}; })()`)
			}
			main, actions, answers := rect(".case-main"), rect(".case-actions"), rect("#answers-heading")
			closing := rect(".panel-danger")
			viewport := browsertest.Eval[float64](b, `innerHeight`)
			if width >= 1280 {
				if actions.Left < main.Right {
					t.Errorf("the actions (left %.0f) are not beside the case (right %.0f)", actions.Left, main.Right)
				}
				if d := actions.Top - main.Top; d < -1 || d > 1 {
					t.Errorf("the actions start at %.0f, the case at %.0f: not side by side", actions.Top, main.Top)
				}
				if answers.Top > viewport {
					t.Errorf("the answers start at %.0f px, below the fold (%.0f px)", answers.Top, viewport)
				}
				if main.Right-main.Left < 600 {
					t.Errorf("the case column is %.0f px wide", main.Right-main.Left)
				}
			} else {
				if actions.Top < main.Bottom {
					t.Errorf("on a narrow screen the actions (top %.0f) do not follow the case (bottom %.0f)", actions.Top, main.Bottom)
				}
				if d := actions.Left - main.Left; d < -1 || d > 1 {
					t.Errorf("on a narrow screen the actions (left %.0f) and the case (left %.0f) are not one column", actions.Left, main.Left)
				}
			}
			if closing.Top < rect(`form[action$="/anteckning"]`).Bottom {
				t.Error("closing the case is not the last of the actions")
			}
			if w, cw := browsertest.Eval[int](b, `document.documentElement.scrollWidth`), browsertest.Eval[int](b, `document.documentElement.clientWidth`); w > cw {
				t.Errorf("the page is %d px wide in a %d px window", w, cw)
			}
			text := b.Text("main")
			for _, want := range []string{"Sökandens svar", "Komplettering 1", "Kungsgatan 14", "Karin Lindqvist skickade in ärendet"} {
				if !strings.Contains(text, want) {
					t.Errorf("the page lacks %q", want)
				}
			}

			// Closing asks once more, without JavaScript; going back keeps the decision.
			b.Run(chromedp.SendKeys(chromedp.CSS("#decision"), "Lyktan är lagad."))
			b.ClickAndWait(`form[action$="/avsluta"] button`)
			if h := b.Text("h1"); !strings.HasPrefix(h, "Vill du avsluta ärende") {
				t.Fatalf("closing did not ask: %s", h)
			}
			if width == 1280 {
				b.Screenshot(filepath.Join(shots, "staff-case-close-1280px.png"))
			}
			b.ClickAndWait(`button[name="back"]`)
			if got := browsertest.Eval[string](b, `document.getElementById("decision").value`); got != "Lyktan är lagad." {
				t.Errorf("back on the case page, the decision is %q", got)
			}

			// The queue: the search button by its field, the filters' labels on one line.
			b.Navigate(p.URL + "/personal/arenden?flik=active")
			if width == 1280 {
				b.Screenshot(filepath.Join(shots, "queue-1280px.png"))
			}
			field, button := rect("#sok"), rect(`.queue-search button`)
			if d := button.Top - field.Top; d < -2 || d > 2 || button.Left < field.Right {
				t.Errorf("the search button (%+v) is not beside its field (%+v)", button, field)
			}
			// Fields side by side have their labels and the bottoms of their inputs on one line each.
			type filter struct{ Label, Bottom float64 }
			filters := browsertest.Eval[[]filter](b, `[...document.querySelectorAll(".queue-filters .field")].map(f => ({
				label: f.querySelector("label").getBoundingClientRect().top,
				bottom: f.querySelector("select, input").getBoundingClientRect().bottom}))`)
			if len(filters) < 4 {
				t.Fatalf("%d filters", len(filters))
			}
			rows := 0
			for i, f := range filters {
				if i == 0 || f.Label-filters[i-1].Label > 1 {
					rows++
				} else if d := f.Label - filters[i-1].Label; d < -1 || f.Bottom-filters[i-1].Bottom > 1 || f.Bottom-filters[i-1].Bottom < -1 {
					t.Errorf("filters %d and %d are side by side but do not line up: %+v, %+v", i-1, i, filters[i-1], f)
				}
			}
			if width == 1280 && rows > 2 {
				t.Errorf("at 1280 px the filters take %d rows", rows)
			}
		})
	}
}

// cpSupplementedCase makes a case the caseworker's page has much to show of: Karin submits a
// fault report, Anna takes it, writes and asks for a supplement, Karin moves the place and
// writes, Anna notes something and flags the case. It returns the case's id.
func cpSupplementedCase(t *testing.T, p *webtest.Portal) uuid.UUID {
	t.Helper()
	ctx := context.Background()
	c := p.Client(t)
	if resp := p.Login(t, c, "adult", "/mina-sidor"); resp.StatusCode != http.StatusOK {
		t.Fatalf("login: %d", resp.StatusCode)
	}
	post := func(path string, form url.Values) string {
		t.Helper()
		resp := p.Do(t, c, "POST", path, form)
		if resp.StatusCode != http.StatusSeeOther {
			t.Fatalf("POST %s: %d: %.500s", path, resp.StatusCode, webtest.ReadBody(t, resp))
		}
		return resp.Header.Get("Location")
	}
	fault := url.Values{"action": {"next"}, "location": {"Kungsgatan 12"}, "fault_type": {"slackt"},
		"description": {"Lyktan vid busshållplatsen har varit släckt i en vecka."}}
	feedback := url.Values{"action": {"next"}, "wants_feedback": {"no"}}
	review := post(post(post("/e-tjanster/felanmalan-gatubelysning/starta", nil), fault), feedback)
	receipt := post(strings.TrimSuffix(review, "/granska")+"/skicka", url.Values{})
	caseID := uuid.MustParse(strings.Split(strings.TrimPrefix(receipt, "/arenden/"), "/")[0])

	cases := casework.NewStore(p.Pool, p.Notices)
	anna := p.StaffMember(t, "ali-1001")
	if err := cases.Assign(ctx, anna, caseID, anna.ID); err != nil {
		t.Fatal(err)
	}
	if err := cases.SendMessage(ctx, anna, caseID, "Vilken stolpe gäller det? Står det ett nummer på den?"); err != nil {
		t.Fatal(err)
	}
	if err := cases.RequestSupplement(ctx, anna, caseID, "Ange närmaste husnummer."); err != nil {
		t.Fatal(err)
	}
	fault.Set("location", "Kungsgatan 14")
	review = post(post(post("/arenden/"+caseID.String()+"/komplettera", nil), fault), feedback)
	post(strings.TrimSuffix(review, "/granska")+"/skicka", url.Values{})
	if _, err := message.NewStore(p.Pool, p.Notices).Send(ctx, caseID, message.Citizen, "Karin Lindqvist",
		"Stolpen står vid busshållplatsen, nummer 4711.", nil); err != nil {
		t.Fatal(err)
	}
	if err := cases.AddNote(ctx, anna, caseID, "Ring gatuenheten om stolpe 4711."); err != nil {
		t.Fatal(err)
	}
	if err := cases.ToggleFlag(ctx, anna, caseID); err != nil {
		t.Fatal(err)
	}
	return caseID
}
