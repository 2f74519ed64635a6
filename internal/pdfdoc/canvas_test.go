package pdfdoc

import (
	"bytes"
	"strings"
	"testing"
	"time"
)

func TestWrap(t *testing.T) {
	c, err := New(Info{Title: "T", Created: time.Date(2026, 1, 1, 0, 0, 0, 0, time.UTC)})
	if err != nil {
		t.Fatal(err)
	}
	ls, err := c.Wrap("ett två tre\n\n"+strings.Repeat("x", 200), 40)
	if err != nil {
		t.Fatal(err)
	}
	if len(ls) < 4 || ls[0] != "ett två tre" || ls[1] != "" {
		t.Fatalf("lines %q", ls)
	}
	for _, l := range ls {
		if w, _ := c.width(l); w > 40 {
			t.Errorf("%q is %.1f mm wide, over 40", l, w)
		}
	}
	if strings.Join(ls[2:], "") != strings.Repeat("x", 200) {
		t.Errorf("the long word lost letters: %q", ls[2:])
	}
	b, err := c.Bytes()
	if err != nil || !bytes.HasPrefix(b, []byte("%PDF-")) {
		t.Fatalf("Bytes: %v %q", err, b[:min(len(b), 8)])
	}
}

func TestClean(t *testing.T) {
	if got := Line(" A\u030a\tb\u200b\r\nc "); got != "Å b c" {
		t.Errorf("Line = %q", got)
	}
	if got := Meta("a😀"); got != "a\ufffd" {
		t.Errorf("Meta = %q", got)
	}
}
