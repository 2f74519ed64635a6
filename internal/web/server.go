// Package web serves the portal's pages: chi routes in routes.go, one file per page or action,
// the middleware, and the adapter that turns a handler's error into a response.
package web

import (
	"log/slog"
	"net/http"
	"time"

	"github.com/alexedwards/scs/pgxstore"
	"github.com/alexedwards/scs/v2"
	"github.com/jackc/pgx/v5/pgxpool"
	"github.com/minasidor/minasidor/internal/config"
	"github.com/minasidor/minasidor/internal/i18n"
	"github.com/minasidor/minasidor/internal/tenant"
)

// SessionCookie is the name of the session cookie. It is not "session", which the development
// identity provider uses for its own.
const SessionCookie = "minasidor_session"

// Server holds what the handlers share.
type Server struct {
	cfg       config.Config
	log       *slog.Logger
	pool      *pgxpool.Pool
	catalogue *i18n.Catalogue
	sessions  *scs.SessionManager
	store     *pgxstore.PostgresStore
	tenants   *tenant.Store
}

// New builds a server on an open, migrated pool.
func New(cfg config.Config, log *slog.Logger, pool *pgxpool.Pool) (*Server, error) {
	catalogue, err := i18n.Load()
	if err != nil {
		return nil, err
	}
	s := &Server{
		cfg:       cfg,
		log:       log,
		pool:      pool,
		catalogue: catalogue,
		store:     pgxstore.NewWithCleanupInterval(pool, 5*time.Minute),
		tenants:   tenant.NewStore(pool),
	}
	s.sessions = scs.New()
	s.sessions.Store = s.store
	s.sessions.IdleTimeout = cfg.SessionIdleTimeout
	s.sessions.Lifetime = cfg.SessionLifetime
	s.sessions.Cookie.Name = SessionCookie
	s.sessions.Cookie.HttpOnly = true
	s.sessions.Cookie.Secure = cfg.IsProduction()
	s.sessions.Cookie.SameSite = http.SameSiteLaxMode
	s.sessions.Cookie.Path = "/"
	s.sessions.Cookie.Persist = false // gone when the browser closes
	s.sessions.ErrorFunc = s.fail
	return s, nil
}

// Close stops the server's background work. The pool is the caller's to close.
func (s *Server) Close() {
	s.store.StopCleanup()
}
