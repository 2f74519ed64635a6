package web

import (
	"context"
	"net/http"
	"net/url"
	"time"

	"github.com/google/uuid"
	"github.com/minasidor/minasidor/templates"
)

// Session keys.
const (
	sessionAccount = "account_id"
	sessionName    = "name"
	sessionLoA     = "loa"
	sessionAuthAt  = "auth_at"
	// when the citizen logged in before this session's login (microseconds of Unix time), if
	// they had: Mina ärenden marks what changed since
	sessionPreviousLogin = "previous_login"
)

type sessionLoadedKey struct{}

// markSession notes that the request's session is loaded, so that pages rendered outside the
// session middleware (a refused cross-origin post, an unknown host) do not ask for it.
func markSession(next http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		next.ServeHTTP(w, r.WithContext(context.WithValue(r.Context(), sessionLoadedKey{}, true)))
	})
}

func sessionLoaded(ctx context.Context) bool {
	ok, _ := ctx.Value(sessionLoadedKey{}).(bool)
	return ok
}

// citizenID returns the logged-in citizen's account id, or uuid.Nil.
func (s *Server) citizenID(ctx context.Context) uuid.UUID {
	if !sessionLoaded(ctx) {
		return uuid.Nil
	}
	id, err := uuid.Parse(s.sessions.GetString(ctx, sessionAccount))
	if err != nil {
		return uuid.Nil
	}
	return id
}

// user is the logged-in citizen as the layout shows them, or nil.
func (s *Server) user(ctx context.Context) *templates.User {
	if s.citizenID(ctx) == uuid.Nil {
		return nil
	}
	return &templates.User{Name: s.sessions.GetString(ctx, sessionName), SessionEnds: s.sessionEnds(ctx)}
}

// sessionEnds is when the session ends if the user does nothing more: after the idle timeout,
// and at the latest when its lifetime is over (guardSession keeps the deadline so).
func (s *Server) sessionEnds(ctx context.Context) time.Time {
	return s.sessions.Deadline(ctx)
}

// requireCitizen sends a visitor to the login, which returns them to the page they asked for.
func (s *Server) requireCitizen(next http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if s.citizenID(r.Context()) != uuid.Nil {
			next.ServeHTTP(w, r)
			return
		}
		http.Redirect(w, r, loginOrEnded(r, loginPath), http.StatusSeeOther)
	})
}

// loginOrEnded is where a request that needs a login goes: the login (made by login), which
// returns to the page asked for, or the logged-out page when inactivity just ended the session.
func loginOrEnded(r *http.Request, login func(string) string) string {
	ret := r.URL.RequestURI()
	if r.Method != http.MethodGet {
		ret = r.URL.Path
	}
	if sessionEnded(r.Context()) {
		return "/utloggad?orsak=inaktivitet&return=" + url.QueryEscape(ret)
	}
	return login(ret)
}

// previousLogin is when the logged-in citizen had logged in before this session's login, or nil.
func (s *Server) previousLogin(ctx context.Context) *time.Time {
	us := s.sessions.GetInt64(ctx, sessionPreviousLogin)
	if us == 0 {
		return nil
	}
	at := time.UnixMicro(us)
	return &at
}
