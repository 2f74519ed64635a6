package web

import (
	"net/http"

	"github.com/go-chi/chi/v5"
	"github.com/minasidor/minasidor/internal/apperr"
)

// Handler returns every route of the portal.
func (s *Server) Handler() http.Handler {
	r := chi.NewRouter()
	r.Use(withRequestID, s.accessLog, s.recoverPanics, s.secureHeaders)

	// Probes and assets need no municipality, language or session.
	r.Get("/healthz", s.healthz)
	r.Get("/readyz", s.readyz)
	r.Handle("/static/*", staticFiles())

	pages := chi.Chain(s.locale, s.limitBody(s.cfg.MaxBodyBytes), s.crossOrigin, s.sessions.LoadAndSave)
	r.Group(func(r chi.Router) {
		r.Use(pages...)
		r.Get("/", s.h(s.home))
		r.Get("/kakor", s.h(s.cookies))
		r.Get("/tillganglighet", s.h(s.accessibility))
		r.Post("/sprak", s.h(s.languageSet))
	})

	r.NotFound(pages.HandlerFunc(s.h(func(w http.ResponseWriter, r *http.Request) error {
		return apperr.New(apperr.NotFound, "")
	})).ServeHTTP)
	r.MethodNotAllowed(pages.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		s.failStatus(w, r, http.StatusMethodNotAllowed, nil)
	}).ServeHTTP)
	return r
}
