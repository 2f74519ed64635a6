package web

import (
	"context"
	"time"

	"github.com/minasidor/minasidor/internal/auth"
)

// housekeeping deletes expired sessions, pending logins and used assertion ids, and the record
// of one-time code attempts older than any limit counts, every so often, until ctx ends.
// (pgxstore's own cleanup goroutine cannot be stopped without a data race, so it is off.)
func (s *Server) housekeeping(ctx context.Context, every time.Duration) {
	tick := time.NewTicker(every)
	defer tick.Stop()
	for {
		select {
		case <-ctx.Done():
			return
		case <-tick.C:
		}
		for _, purge := range []func(context.Context) error{
			func(ctx context.Context) error { return auth.PurgeExpired(ctx, s.pool) },
			s.notices.PurgeCodeAttempts,
		} {
			if err := purge(ctx); err != nil && ctx.Err() == nil {
				s.log.WarnContext(ctx, "housekeeping failed", "err", err)
			}
		}
	}
}
