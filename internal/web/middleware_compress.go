package web

import (
	"io"
	"net/http"

	"github.com/go-chi/chi/v5/middleware"
	"github.com/klauspost/compress/flate"
	"github.com/klauspost/compress/gzip"
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

// compressLevel is klauspost/compress's stateless compression: each write is compressed on its
// own, with no window kept between writes, so an encoder holds next to no memory (one of the
// fastest level's held about a megabyte, and fifty answers under way held fifty) and needs no
// table cleared per answer. A page is rendered whole before it is written, so it is one write and
// compresses as well as at the fastest level. (The standard library's level 5 had cost about as
// much processor time as the rest of a Mina ärenden request: README, "Pages under load".)
const compressLevel = gzip.StatelessCompression

// compress compresses text responses and assets with chi's middleware (gzip or deflate, as the
// request's Accept-Encoding allows, with Vary: Accept-Encoding), through klauspost/compress's
// stateless encoders.
func compress(next http.Handler) http.Handler {
	c := middleware.NewCompressor(compressLevel, compressedTypes...)
	c.SetEncoder("deflate", func(w io.Writer, _ int) io.Writer {
		return flate.NewStatelessWriter(w)
	})
	c.SetEncoder("gzip", func(w io.Writer, level int) io.Writer {
		gw, err := gzip.NewWriterLevel(w, level)
		if err != nil {
			return nil
		}
		return gw
	})
	return c.Handler(next)
}
