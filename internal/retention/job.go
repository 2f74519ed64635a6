package retention

import (
	"context"
	"time"

	"github.com/riverqueue/river"
)

// RunArgs is the River job of one retention run.
type RunArgs struct{}

// Kind names the job in River's tables.
func (RunArgs) Kind() string { return "retention_run" }

type runWorker struct {
	river.WorkerDefaults[RunArgs]
	s *Service
}

// Work runs the rules once; a run that another server has under way is skipped.
func (w *runWorker) Work(ctx context.Context, _ *river.Job[RunArgs]) error {
	_, err := w.s.Run(ctx)
	return err
}

// Timeout lets a run over a large installation take its time (River's default is a minute).
func (w *runWorker) Timeout(*river.Job[RunArgs]) time.Duration { return time.Hour }

// AddWorkers adds the retention run's worker to the job queue (notify.Jobs).
func (s *Service) AddWorkers(w *river.Workers) error {
	return river.AddWorkerSafely(w, &runWorker{s: s})
}

// PeriodicJobs schedules a run every Config.Interval, and one when the queue's leader starts.
// River's leader (one server) inserts them; a run is unique within its interval, and Run's
// advisory lock keeps two from overlapping whatever happens.
func (s *Service) PeriodicJobs() []*river.PeriodicJob {
	interval := s.cfg.Interval
	return []*river.PeriodicJob{river.NewPeriodicJob(river.PeriodicInterval(interval),
		func() (river.JobArgs, *river.InsertOpts) {
			return RunArgs{}, &river.InsertOpts{MaxAttempts: 3, UniqueOpts: river.UniqueOpts{ByPeriod: interval}}
		}, &river.PeriodicJobOpts{ID: "retention_run", RunOnStart: true})}
}
