package browsertest

import (
	"strings"
	"syscall"
	"testing"

	"github.com/chromedp/chromedp"
)

// TestCrashIsNamed kills a browser's process with the signal of a crash and checks that the
// failure says Chromium crashed, which the test runner looks for, and not that a time ran out.
func TestCrashIsNamed(t *testing.T) {
	b := New(t, WithoutAutomaticAccessibilityCheck())
	b.Navigate("data:text/html,<title>t</title><p>hej</p>")
	if err := chromedp.FromContext(b.ctx).Browser.Process().Signal(syscall.SIGSEGV); err != nil {
		t.Fatal(err)
	}
	_, err := chromedp.Run(b.ctx, chromedp.Title())
	if err == nil {
		t.Fatal("an action on a crashed browser did not fail")
	}
	msg := failure(b.ctx, b.timeout, err)
	if !strings.HasPrefix(msg, CrashMarker) {
		t.Errorf("failure = %q, want it to begin with %q", msg, CrashMarker)
	}
	if strings.Contains(msg, "time limit") {
		t.Errorf("failure = %q blames the time limit", msg)
	}
}
