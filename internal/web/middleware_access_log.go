package web

import (
	"log/slog"
	"net/http"
	"time"

	"github.com/go-chi/chi/v5"
	"github.com/go-chi/chi/v5/middleware"
)

// accessLog writes one line a request and counts it in the metrics by its route pattern. It holds
// no personal data: no query string (answers and search terms can be personal), no IP address, no
// user agent, no identity.
func (s *Server) accessLog(next http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		start := time.Now()
		ww := middleware.NewWrapResponseWriter(w, r.ProtoMajor)
		next.ServeHTTP(ww, r)
		status := ww.Status()
		if status == 0 {
			status = http.StatusOK
		}
		took := time.Since(start)
		var route string
		if rc := chi.RouteContext(r.Context()); rc != nil {
			route = rc.RoutePattern()
		}
		s.metrics.Request(route, r.Method, status, took)
		s.log.LogAttrs(r.Context(), slog.LevelInfo, "request", // attributes typed, not boxed: a line every request
			slog.String("request_id", requestID(r.Context())),
			slog.String("method", r.Method),
			slog.String("path", r.URL.Path),
			slog.Int("status", status),
			slog.Int("bytes", ww.BytesWritten()),
			slog.String("route", route),
			slog.Float64("duration_ms", float64(took.Microseconds())/1000),
		)
	})
}
