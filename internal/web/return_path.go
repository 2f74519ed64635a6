package web

import (
	"net/url"
	"strings"
)

// safeReturnPath returns p when it is a path on this site, and "/" otherwise, so that a return
// address can never send the user to another site (no open redirect).
func safeReturnPath(p string) string {
	if p == "" || p[0] != '/' || strings.HasPrefix(p, "//") || strings.ContainsAny(p, "\\\r\n\t") {
		return "/"
	}
	u, err := url.Parse(p)
	if err != nil || u.Scheme != "" || u.Host != "" || u.User != nil {
		return "/"
	}
	// Re-encoding can turn an escaped slash back into a real one ("/%2Fevil.example/é" becomes
	// "//evil.example/%C3%A9"): check what is actually returned.
	out := u.RequestURI()
	if !strings.HasPrefix(out, "/") || strings.HasPrefix(out, "//") || strings.HasPrefix(out, "/\\") {
		return "/"
	}
	return out
}
