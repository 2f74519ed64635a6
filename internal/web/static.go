package web

import (
	"net/http"
	"strings"

	"github.com/minasidor/minasidor/web"
)

// staticFiles serves the embedded assets. A versioned address (?v=...) may be cached for a year,
// as its content never changes; folders are not listed.
func staticFiles() http.Handler {
	files := http.StripPrefix("/static/", http.FileServerFS(web.Static))
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if strings.HasSuffix(r.URL.Path, "/") {
			http.NotFound(w, r)
			return
		}
		if r.URL.Query().Has("v") {
			w.Header().Set("Cache-Control", "public, max-age=31536000, immutable")
		} else {
			w.Header().Set("Cache-Control", "no-cache")
		}
		files.ServeHTTP(w, r)
	})
}
