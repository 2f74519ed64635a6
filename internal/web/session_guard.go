package web

import (
	"context"
	"net/http"
	"time"

	"github.com/minasidor/minasidor/internal/tenant"
)

// Session keys of a logged-in session that the guard reads.
const (
	sessionHost = "host" // the host the login ended on: the session is valid there only
	sessionBorn = "born" // when the login ended (unix seconds): the session's lifetime runs from it
)

// touchEvery is how often at most an active session's idle deadline moves on (a quarter of the
// idle timeout when that is shorter). A page view that changes nothing writes the session only
// when its deadline is older than this.
const touchEvery = time.Minute

type sessionEndedKey struct{}

// sessionEnded reports whether the request's session was ended by the guard for inactivity, so
// that a page that needs a login can say so.
func sessionEnded(ctx context.Context) bool {
	ended, _ := ctx.Value(sessionEndedKey{}).(bool)
	return ended
}

// guardSession enforces a logged-in session's limits on the server, whatever the page's script
// did: after the idle timeout or the lifetime, or on another host than its own, the session is
// destroyed before any handler reads it. An active session's deadline moves on at most once a
// minute (touchEvery), so that reading a page does not write the session every time.
func (s *Server) guardSession(next http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		ctx := r.Context()
		if !s.sessions.Exists(ctx, sessionAccount) && !s.sessions.Exists(ctx, sessionStaff) {
			next.ServeHTTP(w, r)
			return
		}
		now := s.now()
		deadline := s.sessions.Deadline(ctx)
		switch {
		case s.sessions.GetString(ctx, sessionHost) != tenant.NormalizeHost(r.Host):
			// Browsers keep the cookie to its host: this token was carried elsewhere.
			s.log.WarnContext(ctx, "session used on another host: ended", "request_id", requestID(ctx))
			if err := s.sessions.Destroy(ctx); err != nil {
				s.fail(w, r, err)
				return
			}
		case !now.Before(deadline):
			if err := s.sessions.Destroy(ctx); err != nil {
				s.fail(w, r, err)
				return
			}
			ctx = context.WithValue(ctx, sessionEndedKey{}, true)
		case deadline.Sub(now) <= s.cfg.SessionIdleTimeout-min(touchEvery, s.cfg.SessionIdleTimeout/4):
			s.touchSession(ctx, now)
		}
		if ctx != r.Context() {
			r = r.WithContext(ctx)
		}
		next.ServeHTTP(w, r)
	})
}

// touchSession moves the session's deadline to the idle timeout from now, never past its lifetime.
func (s *Server) touchSession(ctx context.Context, now time.Time) {
	deadline := now.Add(s.cfg.SessionIdleTimeout)
	if end := time.Unix(s.sessions.GetInt64(ctx, sessionBorn), 0).Add(s.cfg.SessionLifetime); end.Before(deadline) {
		deadline = end
	}
	s.sessions.SetDeadline(ctx, deadline)
}

// startSession begins a logged-in session on the request's host, in a new token; the caller puts
// who is logged in.
func (s *Server) startSession(ctx context.Context, r *http.Request) error {
	if err := s.sessions.RenewToken(ctx); err != nil {
		return err
	}
	now := s.now()
	s.sessions.Put(ctx, sessionHost, tenant.NormalizeHost(r.Host))
	s.sessions.Put(ctx, sessionBorn, now.Unix())
	s.touchSession(ctx, now)
	return nil
}
