package pdfdoc

import (
	"strings"
	"unicode"

	"golang.org/x/text/unicode/norm"
)

// Wrap breaks s into lines no wider than width in the current font: at its line breaks, between
// words, and inside a word that is wider than a line. An empty line stays (as a paragraph gap).
func (c *Canvas) Wrap(s string, width float64) ([]string, error) {
	space, err := c.width(" ")
	if err != nil {
		return nil, err
	}
	var out []string
	for _, para := range strings.Split(s, "\n") {
		var cur []string
		var curW float64
		flush := func() {
			out = append(out, strings.Join(cur, " "))
			cur, curW = nil, 0
		}
		words := strings.Fields(para)
		if len(words) == 0 {
			out = append(out, "")
			continue
		}
		for _, word := range words {
			ww, err := c.width(word)
			if err != nil {
				return nil, err
			}
			if len(cur) > 0 && curW+space+ww > width {
				flush()
			}
			for ww > width { // a word longer than a line: break it where it must
				head, tail, err := c.cut(word, width)
				if err != nil {
					return nil, err
				}
				cur = []string{head}
				flush()
				word = tail
				if ww, err = c.width(word); err != nil {
					return nil, err
				}
			}
			if len(cur) > 0 {
				curW += space
			}
			cur = append(cur, word)
			curW += ww
		}
		flush()
	}
	return out, nil
}

// cut splits a word into the longest head that fits width (at least one character) and the rest.
func (c *Canvas) cut(word string, width float64) (head, tail string, err error) {
	rs := []rune(word)
	n := 1
	for n < len(rs) {
		w, err := c.width(string(rs[:n+1]))
		if err != nil {
			return "", "", err
		}
		if w > width {
			break
		}
		n++
	}
	return string(rs[:n]), string(rs[n:]), nil
}

// Clean makes a text safe to lay out: composed (NFC, so an "Å" typed as A and a ring, as macOS
// names files, is one glyph), line breaks as "\n", tabs as spaces, no other control or format
// characters.
func Clean(s string) string {
	s = norm.NFC.String(s)
	s = strings.ReplaceAll(s, "\r\n", "\n")
	return strings.Map(func(c rune) rune {
		switch {
		case c == '\n' || c == '\r':
			return '\n'
		case c == '\t':
			return ' '
		case unicode.IsControl(c) || unicode.Is(unicode.Cf, c): // such as a zero-width space
			return -1
		}
		return c
	}, s)
}

// Line is Clean for a text of one line.
func Line(s string) string {
	return strings.TrimSpace(strings.ReplaceAll(Clean(s), "\n", " "))
}

// Meta is Line for the document information, where gopdf writes one UTF-16 unit a character:
// a character outside the Basic Multilingual Plane, such as an emoji, becomes U+FFFD.
func Meta(s string) string {
	return strings.Map(func(c rune) rune {
		if c > 0xFFFF {
			return unicode.ReplacementChar
		}
		return c
	}, Line(s))
}
