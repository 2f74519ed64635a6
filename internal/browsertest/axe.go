package browsertest

import (
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"testing"

	"github.com/chromedp/chromedp"
)

// axePath is where npm ci puts axe-core, relative to the repository root (see package.json).
const axePath = "node_modules/axe-core/axe.min.js"

// axeTags are the rule sets every page must pass: WCAG 2.0, 2.1 and 2.2, levels A and AA. WCAG
// 2.2 adds no level A rule that axe checks; its AA rule is target-size (2.5.8).
var axeTags = []string{"wcag2a", "wcag2aa", "wcag21a", "wcag21aa", "wcag22aa"}

// axeSource reads axe-core once per test binary.
var axeSource = sync.OnceValues(func() (string, error) {
	root, err := repoRoot()
	if err != nil {
		return "", err
	}
	src, err := os.ReadFile(filepath.Join(root, axePath))
	if err != nil {
		return "", fmt.Errorf("browsertest: axe-core is missing (%v); run `npm ci` in %s to install it (make test does it)", err, root)
	}
	return string(src), nil
})

// repoRoot walks up from the working directory to the folder that holds go.mod.
func repoRoot() (string, error) {
	dir, err := os.Getwd()
	if err != nil {
		return "", err
	}
	for {
		if _, err := os.Stat(filepath.Join(dir, "go.mod")); err == nil {
			return dir, nil
		}
		parent := filepath.Dir(dir)
		if parent == dir {
			return "", errors.New("browsertest: no go.mod above the working directory")
		}
		dir = parent
	}
}

// Violation is one axe rule that a page breaks, with the elements that break it.
type Violation struct {
	ID      string `json:"id"`
	Impact  string `json:"impact"`
	Help    string `json:"help"`
	HelpURL string `json:"helpUrl"`
	Nodes   []struct {
		Target  []string `json:"target"`
		HTML    string   `json:"html"`
		Summary string   `json:"failureSummary"`
	} `json:"nodes"`
}

// axeRun runs axe on the document and returns the violations in a plain shape; a target in a
// shadow root or frame is a list of selectors, joined here with " >>> ".
var axeRun = `axe.run(document, {
	runOnly: {type: "tag", values: ` + jsStrings(axeTags) + `},
	resultTypes: ["violations"],
}).then(r => r.violations.map(v => ({
	id: v.id, impact: v.impact || "", help: v.help, helpUrl: v.helpUrl,
	nodes: v.nodes.map(n => ({
		target: n.target.map(s => Array.isArray(s) ? s.join(" >>> ") : String(s)),
		html: n.html, failureSummary: n.failureSummary || "",
	})),
})))`

func jsStrings(s []string) string {
	q := make([]string, len(s))
	for i, v := range s {
		q[i] = fmt.Sprintf("%q", v)
	}
	return "[" + strings.Join(q, ", ") + "]"
}

// CheckAccessibility runs axe-core on the page as it is now and fails t (without stopping it)
// with a readable list when a WCAG 2.2 A or AA rule is broken.
//
// axe is injected with the DevTools protocol (Runtime.evaluate), which the page's
// Content-Security-Policy does not apply to. Runtime.evaluate also works while script execution
// is disabled, but timers then never fire, and axe.run waits on setTimeout, so it would never
// finish. With WithoutJavaScript the check therefore turns scripts on for the length of the check
// and off again: the document is the one the user saw, and no page script runs, because the
// page's own scripts were skipped when it loaded.
func (b *Browser) CheckAccessibility(t testing.TB) {
	t.Helper()
	if b.noJS {
		b.Run(b.scriptsDisabled(false))
	}
	violations, err := b.axe()
	if b.noJS {
		b.Run(b.scriptsDisabled(true))
	}
	if err != nil {
		t.Fatalf("browsertest: run axe on %s: %v", b.Location(), err)
	}
	if len(violations) > 0 {
		t.Errorf("axe: %s breaks %d WCAG 2.2 A/AA rule(s):\n%s", b.Location(), len(violations), FormatViolations(violations))
	}
}

func (b *Browser) axe() ([]Violation, error) {
	src, err := axeSource()
	if err != nil {
		return nil, err
	}
	loaded, err := chromedp.Run(b.ctx, chromedp.Evaluate[bool](`typeof window.axe === "object"`))
	if err != nil {
		return nil, err
	}
	if !loaded {
		if err := chromedp.Do(b.ctx, chromedp.Evaluate[chromedp.Void](src)); err != nil {
			return nil, fmt.Errorf("inject axe-core: %w", err)
		}
	}
	return chromedp.Run(b.ctx, chromedp.Evaluate[[]Violation](axeRun, chromedp.EvalAwaitPromise))
}

// FormatViolations lists the violations as text: rule, impact, help and link, then each element.
func FormatViolations(vs []Violation) string {
	var s strings.Builder
	for _, v := range vs {
		fmt.Fprintf(&s, "- %s (%s): %s\n  %s\n", v.ID, v.Impact, v.Help, v.HelpURL)
		for _, n := range v.Nodes {
			html := n.HTML
			if len(html) > 300 {
				html = html[:300] + "…"
			}
			fmt.Fprintf(&s, "    at %s\n      %s\n", strings.Join(n.Target, ", "), html)
			for _, line := range strings.Split(strings.TrimSpace(n.Summary), "\n") {
				fmt.Fprintf(&s, "      %s\n", line)
			}
		}
	}
	return s.String()
}
