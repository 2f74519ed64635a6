package web

import (
	"context"
	"time"
)

// housekeeping deletes what has expired: sessions, pending logins and the ids of used
// assertions. It runs until ctx ends. (pgxstore's own cleanup goroutine cannot be stopped
// without a data race, so it is off.)
func (s *Server) housekeeping(ctx context.Context, every time.Duration) {
	tick := time.NewTicker(every)
	defer tick.Stop()
	for {
		select {
		case <-ctx.Done():
			return
		case <-tick.C:
		}
		for _, q := range []string{
			`DELETE FROM sessions WHERE expiry < now()`,
			`DELETE FROM login_pending WHERE created_at < now() - interval '1 hour'`,
			`DELETE FROM saml_assertion_used WHERE expires_at < now()`,
		} {
			if _, err := s.pool.Exec(ctx, q); err != nil && ctx.Err() == nil {
				s.log.WarnContext(ctx, "housekeeping failed", "err", err)
			}
		}
	}
}
