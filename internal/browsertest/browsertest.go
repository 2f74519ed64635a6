// Package browsertest drives a headless Chromium for browser tests, and checks every page that a
// test visits with axe-core against WCAG 2.2 A and AA.
//
// A test starts a browser with New, visits pages with Navigate and ClickAndWait (both run the
// accessibility check when the page has loaded), and reads the page with Text, Attr and Eval.
// Each browser has a time limit for the whole test, five minutes unless BROWSERTEST_TIMEOUT says
// otherwise (see DefaultTimeout).
// Actions that the helpers do not cover go through Run, Value and Context with chromedp.
package browsertest

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"os"
	"os/exec"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/chromedp/cdproto/cdp"
	"github.com/chromedp/cdproto/emulation"
	"github.com/chromedp/chromedp"
	"github.com/chromedp/chromedp/kb"
)

// ChromiumPath is the browser the tests run (the Debian package chromium).
const ChromiumPath = "/usr/bin/chromium"

// Browser is one headless Chromium with one tab, for one test. Use it from one goroutine.
type Browser struct {
	t       testing.TB
	ctx     context.Context
	timeout time.Duration
	noJS    bool
	noAxe   bool
	width   int
}

type settings struct {
	timeout time.Duration
	noJS    bool
	noAxe   bool
	width   int
	height  int
}

// Option changes how New starts the browser.
type Option func(*settings)

// WithoutJavaScript turns script execution off in the tab, as a user who has turned JavaScript
// off in the browser. The accessibility check still runs (see CheckAccessibility).
func WithoutJavaScript() Option { return func(s *settings) { s.noJS = true } }

// WithTimeout limits the whole test's use of the browser, instead of DefaultTimeout. When it runs
// out the browser stops and the next action fails the test.
func WithTimeout(d time.Duration) Option { return func(s *settings) { s.timeout = d } }

// TimeoutVariable names the environment variable that sets the default time limit of a test's
// browser, as a Go duration ("10m"). It is for a slow or busy machine.
const TimeoutVariable = "BROWSERTEST_TIMEOUT"

// defaultTimeout is the limit when TimeoutVariable is not set: generous, because a test that
// takes seconds on a quiet machine can take minutes on a busy one, and the limit is only there to
// stop a test that hangs.
const defaultTimeout = 5 * time.Minute

// DefaultTimeout is the time limit of a test's browser: TimeoutVariable when it is set, five
// minutes otherwise. A value that is not a positive duration is an error.
func DefaultTimeout() (time.Duration, error) {
	v := strings.TrimSpace(os.Getenv(TimeoutVariable))
	if v == "" {
		return defaultTimeout, nil
	}
	d, err := time.ParseDuration(v)
	if err != nil || d <= 0 {
		return 0, fmt.Errorf("browsertest: %s=%q is not a positive duration such as 10m", TimeoutVariable, v)
	}
	return d, nil
}

// WithWindowSize sets the size of the window in CSS pixels (1280×900 by default).
func WithWindowSize(width, height int) Option {
	return func(s *settings) { s.width, s.height = width, height }
}

// WithoutAutomaticAccessibilityCheck stops Navigate and ClickAndWait from running the
// accessibility check, for a test that looks at a page in a state that is not meant for users.
// Use it rarely; CheckAccessibility still works.
func WithoutAutomaticAccessibilityCheck() Option { return func(s *settings) { s.noAxe = true } }

// New starts a headless Chromium for the test and stops it when the test ends. It fails the test
// at once when axe-core is not installed (run npm ci; make test does it).
func New(t testing.TB, opts ...Option) *Browser {
	t.Helper()
	timeout, err := DefaultTimeout()
	if err != nil {
		t.Fatal(err)
	}
	s := settings{timeout: timeout, width: 1280, height: 900}
	for _, o := range opts {
		o(&s)
	}
	if _, err := axeSource(); err != nil {
		t.Fatal(err)
	}

	ctx, cancelTimeout := context.WithTimeout(context.Background(), s.timeout)
	output := &lockedBuffer{}
	allocOpts := append(chromedp.DefaultExecAllocatorOptions[:],
		chromedp.ExecPath(ChromiumPath),
		chromedp.Headless,
		chromedp.NoSandbox, // we run as root, where Chromium's sandbox cannot start
		chromedp.NoFirstRun,
		chromedp.Flag("disable-gpu", true),
		chromedp.Flag("disable-background-networking", true),
		chromedp.Flag("disable-component-update", true),
		chromedp.Flag("disable-sync", true),
		chromedp.Flag("disable-quic", true),
		chromedp.UserDataDir(t.TempDir()),
		chromedp.WindowSize(s.width, s.height),
		chromedp.CombinedOutput(output),
	)
	allocCtx, cancelAlloc := chromedp.NewExecAllocator(ctx, allocOpts...)
	tabCtx, cancelTab := chromedp.NewContext(allocCtx)
	t.Cleanup(func() {
		// Close the browser gracefully, then wait for the process to end before t.TempDir
		// removes its profile.
		closeCtx, cancel := context.WithTimeout(tabCtx, 5*time.Second)
		_ = chromedp.Cancel(closeCtx)
		cancel()
		cancelTab()
		cancelAlloc()
		cancelTimeout()
		if t.Failed() {
			if out := output.relevant(); out != "" {
				t.Logf("chromium output:\n%s", out)
			}
		}
	})

	b := &Browser{t: t, ctx: tabCtx, timeout: s.timeout, noJS: s.noJS, noAxe: s.noAxe, width: s.width}
	// The first action starts the browser and opens the tab.
	if err := chromedp.Do(tabCtx, b.scriptsDisabled(s.noJS)); err != nil {
		t.Fatalf("browsertest: start %s: %s\n%s", ChromiumPath, failure(tabCtx, s.timeout, err), output.relevant())
	}
	// A headless window is at least 500 px wide: a narrower viewport, as on a small phone, is
	// emulated.
	if err := chromedp.Do(tabCtx, chromedp.Func(func(ctx context.Context, target *chromedp.Target) error {
		_, err := cdp.Call(ctx, target, emulation.SetDeviceMetricsOverride, emulation.SetDeviceMetricsOverrideParams{
			Width: int64(s.width), Height: int64(s.height), DeviceScaleFactor: 1, Mobile: s.width < 500,
		})
		return err
	})); err != nil {
		t.Fatalf("browsertest: window size: %v", err)
	}
	return b
}

// scriptsDisabled switches the page's own scripts off or on. The setting stays for the tab across
// navigations.
func (b *Browser) scriptsDisabled(off bool) chromedp.Action[chromedp.Void] {
	return chromedp.Func(func(ctx context.Context, t *chromedp.Target) error {
		_, err := cdp.Call(ctx, t, emulation.SetScriptExecutionDisabled,
			emulation.SetScriptExecutionDisabledParams{Value: off})
		return err
	})
}

// Context is the chromedp context of the tab, for chromedp calls the helpers do not cover.
func (b *Browser) Context() context.Context { return b.ctx }

// Run runs chromedp actions in the tab and fails the test on an error.
func (b *Browser) Run(steps ...chromedp.Action[chromedp.Void]) {
	b.t.Helper()
	if err := chromedp.Do(b.ctx, steps...); err != nil {
		b.fatal(err, "")
	}
}

// fatal stops the test with what it was doing and why that failed.
func (b *Browser) fatal(err error, format string, args ...any) {
	b.t.Helper()
	msg := failure(b.ctx, b.timeout, err)
	if format != "" {
		msg = fmt.Sprintf(format, args...) + ": " + msg
	}
	b.t.Fatal("browsertest: " + msg)
}

// CrashMarker is in the failure of a test whose Chromium itself crashed: its
// browser process ended on a signal such as a segmentation fault, which no page can cause. The
// test runner (cmd/testrun) runs such a test once more.
const CrashMarker = "Chromium crashed"

// failure says why an action failed: Chromium crashed, the browser's time limit ran out, or the
// action's own error.
func failure(ctx context.Context, timeout time.Duration, err error) string {
	var exit *exec.ExitError
	if errors.As(err, &exit) && exit.ProcessState != nil {
		if status, ok := exit.Sys().(interface{ Signaled() bool }); ok && status.Signaled() {
			return fmt.Sprintf("%s (%v), which no page can cause: %v", CrashMarker, exit, err)
		}
	}
	if errors.Is(ctx.Err(), context.DeadlineExceeded) {
		return fmt.Sprintf("%v (the browser stopped: its time limit of %s ran out; set %s to allow more)", err, timeout, TimeoutVariable)
	}
	return err.Error()
}

// Value runs one chromedp action in the tab and returns its value; it fails the test on an error.
func Value[T any](b *Browser, a chromedp.Action[T]) T {
	b.t.Helper()
	v, err := chromedp.Run(b.ctx, a)
	if err != nil {
		b.fatal(err, "")
	}
	return v
}

// Eval evaluates a JavaScript expression in the page and returns its value decoded into T. The
// page's Content-Security-Policy does not apply to it, and it works with JavaScript turned off too,
// except that timers (setTimeout) then never fire.
func Eval[T any](b *Browser, expression string) T {
	b.t.Helper()
	return Value(b, chromedp.Evaluate[T](expression))
}

// Navigate opens the address, waits until the page has loaded, checks it with axe and returns
// the HTTP status of the document.
func (b *Browser) Navigate(url string) int {
	b.t.Helper()
	resp := Value(b, chromedp.NavigateResponse(url))
	b.afterLoad()
	if resp == nil { // a page without an HTTP response, such as a data: address
		return 0
	}
	return int(resp.Status)
}

// ClickAndWait clicks the first element that matches the CSS selector, waits for the page that
// the click leads to (following redirects), checks it with axe and returns its HTTP status.
func (b *Browser) ClickAndWait(sel string) int {
	b.t.Helper()
	resp, err := chromedp.RunResponse(b.ctx, chromedp.Click(chromedp.CSS(sel), chromedp.NodeVisible))
	if err != nil {
		b.fatal(err, "click %q and wait for the next page", sel)
	}
	if resp == nil {
		b.t.Fatalf("browsertest: click %q loaded no new document", sel)
	}
	b.afterLoad()
	return int(resp.Status)
}

func (b *Browser) afterLoad() {
	b.t.Helper()
	if !b.noAxe {
		b.CheckAccessibility(b.t)
		b.CheckReflow(b.t)
	}
}

// CheckReflow fails t (without stopping it) when the page is wider than the window, so that it
// scrolls sideways as a whole (WCAG 1.4.10 Reflow: content fits 320 CSS pixels), and names the
// widest elements that stick out. A table in a scrolling region of its own does not count, as
// its region is as wide as the window. Navigate and ClickAndWait run it with the
// accessibility check.
func (b *Browser) CheckReflow(t testing.TB) {
	t.Helper()
	type overflow struct {
		Width   int      `json:"width"`
		Culprit []string `json:"culprit"`
	}
	o := Eval[overflow](b, `(() => {
		const w = document.documentElement.clientWidth;
		const width = document.documentElement.scrollWidth;
		if (width <= w) return {width, culprit: []};
		const out = [];
		for (const el of document.body.querySelectorAll("*")) {
			const r = el.getBoundingClientRect();
			if (r.right > w + 0.5 && r.width > 0 && getComputedStyle(el).visibility !== "hidden") {
				// name the innermost elements only
				if (![...el.children].some(c => c.getBoundingClientRect().right > w + 0.5)) {
					out.push(el.tagName.toLowerCase() + (el.id ? "#" + el.id : "") +
						(el.className && typeof el.className === "string" ? "." + el.className.trim().split(/\s+/).join(".") : "") +
						" (right edge " + Math.round(r.right) + " px): " + (el.textContent || "").trim().slice(0, 60));
				}
			}
			if (out.length >= 5) break;
		}
		return {width, culprit: out};
	})()`)
	if viewport := b.width; o.Width > viewport {
		t.Errorf("reflow: %s is %d px wide in a %d px window:\n  %s", b.Location(), o.Width, viewport, strings.Join(o.Culprit, "\n  "))
	}
}

// Click clicks the first visible element that matches the CSS selector, with the mouse, and does
// not wait for a navigation. Use ClickAndWait for links and buttons that load a page.
func (b *Browser) Click(sel string) {
	b.t.Helper()
	b.Run(chromedp.Click(chromedp.CSS(sel), chromedp.NodeVisible))
}

// Text returns the visible text (innerText) of the first element that matches the CSS selector.
func (b *Browser) Text(sel string) string {
	b.t.Helper()
	return Value(b, chromedp.Text(chromedp.CSS(sel)))
}

// Attr returns an attribute of the first element that matches the CSS selector, and "" when the
// element has no such attribute.
func (b *Browser) Attr(sel, name string) string {
	b.t.Helper()
	return Value(b, chromedp.AttributeValue(chromedp.CSS(sel), name)).Value
}

// Location returns the address of the page.
func (b *Browser) Location() string {
	b.t.Helper()
	return Value(b, chromedp.Location())
}

// Title returns the document title.
func (b *Browser) Title() string {
	b.t.Helper()
	return Value(b, chromedp.Title())
}

// JavaScriptEnabled reports whether the page may run scripts, as the page itself sees it (the
// CSS media feature "scripting").
func (b *Browser) JavaScriptEnabled() bool {
	b.t.Helper()
	return Eval[bool](b, `matchMedia("(scripting: enabled)").matches`)
}

// Press types keys as the keyboard does, into the focused element; see chromedp/kb for the names
// of special keys.
func (b *Browser) Press(keys string) {
	b.t.Helper()
	b.Run(chromedp.KeyEvent(keys))
}

// PressTab presses the Tab key once.
func (b *Browser) PressTab() { b.t.Helper(); b.Press(kb.Tab) }

// PressShiftTab presses Shift+Tab once.
func (b *Browser) PressShiftTab() {
	b.t.Helper()
	b.Run(chromedp.KeyEvent(kb.Tab, chromedp.KeyModifiers(chromedp.ModifierShift)))
}

// PressEnter presses the Enter key once.
func (b *Browser) PressEnter() { b.t.Helper(); b.Press(kb.Enter) }

// waitLimit bounds WaitTrue. It returns as soon as the expression is true, so a generous limit
// costs nothing when the machine is quiet and spares a false failure when it is busy.
const waitLimit = 30 * time.Second

// WaitTrue waits until the JavaScript expression is true, and fails the test with the message
// when it is not within 30 seconds. It polls from Go, so it works with JavaScript turned off.
func (b *Browser) WaitTrue(expression, msg string) {
	b.t.Helper()
	deadline := time.Now().Add(waitLimit)
	for {
		ok, err := chromedp.Run(b.ctx, chromedp.Evaluate[bool](expression))
		if err == nil && ok {
			return
		}
		if time.Now().After(deadline) || b.ctx.Err() != nil {
			if err == nil {
				b.t.Fatalf("browsertest: %s (waited for %s)", msg, expression)
			}
			b.fatal(err, "%s (waited for %s)", msg, expression)
		}
		time.Sleep(20 * time.Millisecond)
	}
}

// Screenshot saves a PNG of the whole page, for a person to look at while writing a test.
func (b *Browser) Screenshot(path string) {
	b.t.Helper()
	png := Value(b, chromedp.FullScreenshot(100))
	if err := os.WriteFile(path, png, 0o644); err != nil {
		b.t.Fatal(err)
	}
}

// lockedBuffer collects Chromium's output, which a goroutine of chromedp writes.
type lockedBuffer struct {
	mu  sync.Mutex
	buf bytes.Buffer
}

func (l *lockedBuffer) Write(p []byte) (int, error) {
	l.mu.Lock()
	defer l.mu.Unlock()
	return l.buf.Write(p)
}

// relevant is the output without the lines about the missing D-Bus, which a container never has.
func (l *lockedBuffer) relevant() string {
	var keep []string
	for _, line := range strings.Split(l.String(), "\n") {
		if line != "" && !strings.Contains(line, "dbus") {
			keep = append(keep, line)
		}
	}
	return strings.Join(keep, "\n")
}

func (l *lockedBuffer) String() string {
	l.mu.Lock()
	defer l.mu.Unlock()
	return l.buf.String()
}
