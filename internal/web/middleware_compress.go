package web

import (
	"net/http"

	"github.com/go-chi/chi/v5/middleware"
)

// compressedTypes are the content types that are sent gzip- or deflate-compressed to a browser
// that accepts it: pages, the stylesheet, the script, the SVG images, JSON and XML (the exported
// e-services and the SAML metadata). Images, PDFs and uploaded files are compressed already or
// gain little.
var compressedTypes = []string{
	"text/html",
	"text/css",
	"text/plain",
	"text/javascript",
	"application/javascript",
	"application/json",
	"application/xml",
	"application/samlmetadata+xml",
	"text/xml",
	"image/svg+xml",
}

// compress compresses text responses and assets with chi's middleware (gzip or deflate, as the
// request's Accept-Encoding allows, with Vary: Accept-Encoding). Level 5 is the usual balance of
// size and processor time.
func compress(next http.Handler) http.Handler {
	return middleware.Compress(5, compressedTypes...)(next)
}
