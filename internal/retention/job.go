package retention

import (
	"context"
	"time"

	"github.com/minasidor/minasidor/internal/notify"
)

// Periodic is the retention run as periodic work of the job queue (notify.Notifier.Every):
// every Config.Interval, and once when the queue starts. The queue runs one at a time across
// the servers, and Run's advisory lock keeps two from overlapping whatever happens. A run over a
// large installation may take its time.
func (s *Service) Periodic() notify.Periodic {
	return notify.Periodic{Name: "retention_run", Interval: s.cfg.Interval, Timeout: time.Hour,
		Run: func(ctx context.Context) error {
			_, err := s.Run(ctx)
			return err
		}}
}
