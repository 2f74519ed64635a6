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
	"github.com/minasidor/minasidor/internal/notify"
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

// PeriodicRescan is the periodic work that scans a batch of the files kept for a later scan
// every so often. The job queue runs it on one server at a time.
func (g *Guard) PeriodicRescan(every time.Duration) notify.Periodic {
	return notify.Periodic{Name: "virusscan_rescan", Interval: every, Timeout: 10 * time.Minute,
		Run: func(ctx context.Context) error {
			n, err := g.Rescan(ctx, RescanBatch)
			if n > 0 {
				g.log.InfoContext(ctx, "rescanned files kept for a later scan", "files", n)
			}
			return err
		}}
}
