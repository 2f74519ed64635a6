package virusscan

import (
	"context"
	"errors"
	"fmt"
	"time"

	"github.com/google/uuid"
	"github.com/jackc/pgx/v5"
	"github.com/minasidor/minasidor/internal/apperr"
	"github.com/minasidor/minasidor/internal/db"
	"github.com/riverqueue/river"
)

// How a stored file stands (upload.scan).
const (
	ScanClean    = "clean"
	ScanPending  = "pending"
	ScanInfected = "infected"
)

// The errors of a stored file that may not be served.
var (
	ErrScanPending = apperr.New(apperr.Conflict, "error.file.scan_pending")
	ErrQuarantined = apperr.New(apperr.Conflict, "error.file.quarantined")
)

// Servable says whether a stored file may be served, by its upload.scan: a file not scanned yet
// or found infected is not.
func Servable(scan string) error {
	switch scan {
	case ScanClean:
		return nil
	case ScanInfected:
		return ErrQuarantined
	}
	return ErrScanPending
}

// RescanBatch is how many pending files one run of the rescan job scans at most.
const RescanBatch = 100

// Rescan scans up to limit stored files that wait for a scan, oldest first: a clean one is
// marked clean; an infected one is recorded as a finding and wiped (marked infected, so it is
// never served). Each file is scanned and marked in a transaction of its own that locks its row
// (SKIP LOCKED), so that two runs at once, on two servers, never scan the same file. It stops at
// the first file the scanner gives no verdict on, and returns how many files it settled.
func (g *Guard) Rescan(ctx context.Context, limit int) (int, error) {
	done := 0
	for done < limit {
		settled, err := g.rescanOne(ctx)
		if err != nil || !settled {
			return done, err
		}
		done++
	}
	return done, nil
}

func (g *Guard) rescanOne(ctx context.Context) (settled bool, err error) {
	err = db.Transact(ctx, g.db, func(tx pgx.Tx) error {
		settled = false
		var id uuid.UUID
		var tenantID uuid.UUID
		var data []byte
		err := tx.QueryRow(ctx, `
			SELECT id, tenant_id, data FROM upload WHERE scan = 'pending'
			ORDER BY created_at LIMIT 1 FOR UPDATE SKIP LOCKED`).Scan(&id, &tenantID, &data)
		if errors.Is(err, pgx.ErrNoRows) {
			return nil
		}
		if err != nil {
			return fmt.Errorf("virusscan: rescan: %w", err)
		}
		res, err := g.scanner.Scan(ctx, data)
		if err != nil {
			g.observe(SourceRescan, OutcomeUnavailable)
			g.log.WarnContext(ctx, "virus scanner unavailable: rescan waits", "err", err)
			return nil
		}
		settled = true
		if !res.Infected {
			g.observe(SourceRescan, OutcomeClean)
			_, err := tx.Exec(ctx, `UPDATE upload SET scan = 'clean' WHERE id = $1`, id)
			return err
		}
		g.observe(SourceRescan, OutcomeInfected)
		if err := (&Guard{db: tx, log: g.log}).record(ctx, Upload{TenantID: tenantID, Source: SourceRescan}, res.Signature, data, &id); err != nil {
			return err
		}
		_, err = tx.Exec(ctx, `UPDATE upload SET scan = 'infected', data = ''::bytea WHERE id = $1`, id)
		return err
	})
	return settled, err
}

// RescanArgs is the River job that scans the files kept for a later scan.
type RescanArgs struct{}

// Kind names the job in River's tables.
func (RescanArgs) Kind() string { return "virusscan_rescan" }

// RescanWorker runs Rescan.
type RescanWorker struct {
	river.WorkerDefaults[RescanArgs]
	Guard *Guard
}

// Work scans a batch of pending files.
func (w *RescanWorker) Work(ctx context.Context, job *river.Job[RescanArgs]) error {
	n, err := w.Guard.Rescan(ctx, RescanBatch)
	if n > 0 {
		w.Guard.log.InfoContext(ctx, "rescanned files kept for a later scan", "files", n)
	}
	return err
}

// Timeout gives a batch time for its scans.
func (w *RescanWorker) Timeout(*river.Job[RescanArgs]) time.Duration { return 10 * time.Minute }

// PeriodicRescan is the periodic job that runs the rescan every so often. River runs periodic
// jobs on its leader only, so with several servers it runs once each time, not once per server.
func PeriodicRescan(every time.Duration) *river.PeriodicJob {
	return river.NewPeriodicJob(river.PeriodicInterval(every), func() (river.JobArgs, *river.InsertOpts) {
		return RescanArgs{}, &river.InsertOpts{MaxAttempts: 1}
	}, &river.PeriodicJobOpts{RunOnStart: true})
}
