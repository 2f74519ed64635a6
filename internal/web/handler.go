package web

import (
	"bytes"
	"errors"
	"net/http"
	"strconv"
	"sync"

	"github.com/a-h/templ"
	"github.com/minasidor/minasidor/internal/apperr"
	"github.com/minasidor/minasidor/internal/i18n"
	"github.com/minasidor/minasidor/templates"
)

// handlerFunc is a handler that returns its error instead of writing it.
type handlerFunc func(w http.ResponseWriter, r *http.Request) error

// h adapts a handlerFunc: its error becomes an error page through fail.
func (s *Server) h(fn handlerFunc) http.HandlerFunc {
	return func(w http.ResponseWriter, r *http.Request) {
		if err := fn(w, r); err != nil {
			s.fail(w, r, err)
		}
	}
}

// statusOf maps an error kind to its HTTP status.
func statusOf(err error) int {
	var tooLarge *http.MaxBytesError
	if errors.As(err, &tooLarge) {
		return http.StatusRequestEntityTooLarge
	}
	switch apperr.KindOf(err) {
	case apperr.Invalid:
		return http.StatusBadRequest
	case apperr.Unauthorized:
		return http.StatusUnauthorized
	case apperr.Forbidden:
		return http.StatusForbidden
	case apperr.NotFound:
		return http.StatusNotFound
	case apperr.Conflict:
		return http.StatusConflict
	case apperr.TooLarge:
		return http.StatusRequestEntityTooLarge
	case apperr.TooMany:
		return http.StatusTooManyRequests
	case apperr.Unavailable:
		return http.StatusServiceUnavailable
	}
	return http.StatusInternalServerError
}

// fail writes the error page for err in the user's language. Only server faults are logged: the
// rest are the user's or the client's, and the page tells them what to do.
func (s *Server) fail(w http.ResponseWriter, r *http.Request, err error) {
	s.failStatus(w, r, statusOf(err), err)
}

func (s *Server) failStatus(w http.ResponseWriter, r *http.Request, status int, err error) {
	ctx := r.Context()
	code := statusKey(status)
	view := templates.ErrorView{
		Status:  status,
		Heading: i18n.T(ctx, "error."+code+".title"),
		Message: i18n.T(ctx, "error."+code+".message"),
	}
	if status >= 500 {
		view.RequestID = requestID(ctx)
		s.log.ErrorContext(ctx, "request failed", "err", err, "request_id", view.RequestID,
			"method", r.Method, "path", r.URL.Path)
	}
	// A fault of ours is never explained; a register that cannot answer is named.
	if key := apperr.KeyOf(err); key != "" && status != http.StatusInternalServerError {
		view.Message = i18n.T(ctx, key)
	}
	p := s.page(r, "error."+code+".title", "")
	if status == http.StatusMethodNotAllowed || status == http.StatusRequestEntityTooLarge {
		w.Header().Set("Connection", "close")
	}
	if err := s.render(w, r, status, templates.ErrorPage(p, view)); err != nil {
		s.log.ErrorContext(ctx, "render error page", "err", err, "request_id", requestID(ctx))
	}
}

// statusKey names the catalogue entries of a status: error.<key>.title and error.<key>.message.
func statusKey(status int) string {
	switch status {
	case 400, 401, 403, 404, 405, 409, 413, 429, 503:
		return strconv.Itoa(status)
	}
	return "500"
}

// pageBuffers are the buffers pages are rendered into, kept between requests: a page grew a new
// buffer from nothing each time, a third of what a Mina ärenden view allocated.
var pageBuffers = sync.Pool{New: func() any { return new(bytes.Buffer) }}

// maxPooledPage is the largest buffer kept for the next page: a rare large page (an e-service's
// form editor, a long case) does not keep its memory.
const maxPooledPage = 256 << 10

// render writes a component with status. It renders into a buffer first, so that a failing
// component never leaves half a page.
func (s *Server) render(w http.ResponseWriter, r *http.Request, status int, c templ.Component) error {
	buf := pageBuffers.Get().(*bytes.Buffer)
	buf.Reset()
	defer func() {
		if buf.Cap() <= maxPooledPage {
			pageBuffers.Put(buf)
		}
	}()
	if err := c.Render(r.Context(), buf); err != nil {
		return err
	}
	w.Header().Set("Content-Type", "text/html; charset=utf-8")
	w.Header().Set("Cache-Control", "no-store")
	w.WriteHeader(status)
	_, err := buf.WriteTo(w)
	return err
}
