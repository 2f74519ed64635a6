package web_test

import (
	"compress/gzip"
	"io"
	"net/http"
	"strings"
	"testing"

	"github.com/minasidor/minasidor/internal/web/webtest"
	"github.com/minasidor/minasidor/web"
)

// Pages and text assets go out gzip-compressed to a browser that accepts it, and plain to one
// that does not; binary files are left alone.
func TestCompression(t *testing.T) {
	p := webtest.Start(t)
	// A transport of its own: Go's default one asks for gzip itself and hides the encoding.
	c := &http.Client{Transport: &http.Transport{DisableCompression: true}}
	fetch := func(t *testing.T, path, acceptEncoding string) (*http.Response, string) {
		t.Helper()
		req, err := http.NewRequest("GET", p.URL+path, nil)
		if err != nil {
			t.Fatal(err)
		}
		if acceptEncoding != "" {
			req.Header.Set("Accept-Encoding", acceptEncoding)
		}
		resp, err := c.Do(req)
		if err != nil {
			t.Fatal(err)
		}
		defer resp.Body.Close()
		var body io.Reader = resp.Body
		if resp.Header.Get("Content-Encoding") == "gzip" {
			zr, err := gzip.NewReader(resp.Body)
			if err != nil {
				t.Fatalf("%s: not gzip: %v", path, err)
			}
			body = zr
		}
		b, err := io.ReadAll(body)
		if err != nil {
			t.Fatalf("%s: %v", path, err)
		}
		return resp, string(b)
	}
	for _, tt := range []struct {
		path string
		want string // in the decompressed body
	}{
		{"/", "<html"},
		{"/tillganglighet", "<html"},
		{web.Asset("app.css"), "{"},
		{web.Asset("app.js"), "function"},
		{web.Asset("favicon.svg"), "<svg"},
		{"/saml/metadata", "EntityDescriptor"},
	} {
		t.Run(tt.path, func(t *testing.T) {
			resp, body := fetch(t, tt.path, "gzip, deflate, br")
			if resp.StatusCode != 200 {
				t.Fatalf("status %d", resp.StatusCode)
			}
			if got := resp.Header.Get("Content-Encoding"); got != "gzip" {
				t.Errorf("Content-Encoding %q, want gzip", got)
			}
			if vary := strings.Join(resp.Header.Values("Vary"), ", "); !strings.Contains(vary, "Accept-Encoding") {
				t.Errorf("Vary %q lacks Accept-Encoding", vary)
			}
			if !strings.Contains(body, tt.want) {
				t.Errorf("decompressed body lacks %q", tt.want)
			}
			plain, body := fetch(t, tt.path, "")
			if got := plain.Header.Get("Content-Encoding"); got != "" {
				t.Errorf("without Accept-Encoding: Content-Encoding %q, want none", got)
			}
			if !strings.Contains(body, tt.want) {
				t.Errorf("plain body lacks %q", tt.want)
			}
		})
	}
}
