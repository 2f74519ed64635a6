package notify

import (
	"context"
	"errors"
	"fmt"
	"time"

	"github.com/riverqueue/river"
	"github.com/riverqueue/river/rivertype"
)

// Periodic is work that the job queue runs every Interval, one run at a time across every server
// (releasing expired booking holds, for one). The work must be idempotent: a run that fails is
// tried again, and a server that stops in the middle of one leaves it to be rescued.
type Periodic struct {
	Name     string // names the work in the queue's jobs; unique
	Interval time.Duration
	Timeout  time.Duration // how long one run may take; 0: the queue's default (a minute)
	Run      func(ctx context.Context) error
}

// PeriodicArgs is the job of one run of a Periodic.
type PeriodicArgs struct {
	Name string `json:"name"`
}

// Kind names the job in River's tables.
func (PeriodicArgs) Kind() string { return "periodic" }

// InsertOpts make a run unique while another of the same work waits or runs: the leader among
// the servers inserts the runs, and no second one is inserted before the first has ended.
func (PeriodicArgs) InsertOpts() river.InsertOpts {
	return river.InsertOpts{
		MaxAttempts: 3,
		UniqueOpts: river.UniqueOpts{ByArgs: true, ByState: []rivertype.JobState{
			rivertype.JobStateAvailable, rivertype.JobStatePending, rivertype.JobStateRunning,
			rivertype.JobStateRetryable, rivertype.JobStateScheduled,
		}},
	}
}

type periodicWorker struct {
	river.WorkerDefaults[PeriodicArgs]
	n *Notifier
}

// Work runs the named work.
func (w *periodicWorker) Work(ctx context.Context, job *river.Job[PeriodicArgs]) error {
	p, ok := w.n.periodic[job.Args.Name]
	if !ok {
		return river.JobCancel(fmt.Errorf("notify: no periodic work %q", job.Args.Name))
	}
	return p.Run(ctx)
}

// Timeout is the named work's, or the queue's default.
func (w *periodicWorker) Timeout(job *river.Job[PeriodicArgs]) time.Duration {
	return w.n.periodic[job.Args.Name].Timeout
}

// Every has the job queue run p every p.Interval from Start on, and once at the start. Call it
// before Start.
func (n *Notifier) Every(p Periodic) error {
	if p.Name == "" || p.Interval <= 0 || p.Run == nil {
		return errors.New("notify: a periodic work needs a name, an interval and a function")
	}
	if _, dup := n.periodic[p.Name]; dup {
		return fmt.Errorf("notify: periodic work %q twice", p.Name)
	}
	n.periodic[p.Name] = p
	args := PeriodicArgs{Name: p.Name}
	_, err := n.river.PeriodicJobs().AddSafely(river.NewPeriodicJob(river.PeriodicInterval(p.Interval),
		func() (river.JobArgs, *river.InsertOpts) { return args, nil },
		&river.PeriodicJobOpts{ID: p.Name, RunOnStart: true}))
	if err != nil {
		return fmt.Errorf("notify: periodic work %q: %w", p.Name, err)
	}
	return nil
}
