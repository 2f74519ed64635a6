package web

import (
	"context"
	"net/http"
	"time"
)

// healthz answers while the process is alive.
func (s *Server) healthz(w http.ResponseWriter, r *http.Request) {
	w.Header().Set("Content-Type", "text/plain; charset=utf-8")
	w.Header().Set("Cache-Control", "no-store")
	w.Write([]byte("ok\n"))
}

// Drain makes /readyz answer 503 from now on, while every other page is still served: the first
// step of a graceful stop, so that the load balancer sends no new requests here before the
// server stops listening.
func (s *Server) Drain() { s.draining.Store(true) }

// readyz answers 200 when the database answers, and 503 when it does not or the server is
// shutting down.
func (s *Server) readyz(w http.ResponseWriter, r *http.Request) {
	ctx, cancel := context.WithTimeout(r.Context(), 2*time.Second)
	defer cancel()
	w.Header().Set("Content-Type", "text/plain; charset=utf-8")
	w.Header().Set("Cache-Control", "no-store")
	if s.draining.Load() {
		w.WriteHeader(http.StatusServiceUnavailable)
		w.Write([]byte("shutting down\n"))
		return
	}
	if err := s.ready(ctx); err != nil {
		s.log.WarnContext(r.Context(), "not ready: database unreachable", "err", err)
		w.WriteHeader(http.StatusServiceUnavailable)
		w.Write([]byte("database unreachable\n"))
		return
	}
	w.Write([]byte("ready\n"))
}
