package web

import (
	"context"
	"time"

	"github.com/minasidor/minasidor/internal/auth"
)

// housekeeping deletes expired sessions, pending logins and used assertion ids every so often,
// until ctx ends. (pgxstore's own cleanup goroutine cannot be stopped without a data race, so it
// is off.)
func (s *Server) housekeeping(ctx context.Context, every time.Duration) {
	tick := time.NewTicker(every)
	defer tick.Stop()
	for {
		select {
		case <-ctx.Done():
			return
		case <-tick.C:
		}
		if err := auth.PurgeExpired(ctx, s.pool); err != nil && ctx.Err() == nil {
			s.log.WarnContext(ctx, "housekeeping failed", "err", err)
		}
	}
}
