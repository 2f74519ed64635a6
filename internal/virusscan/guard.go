package virusscan

import (
	"context"
	"crypto/sha256"
	"errors"
	"fmt"
	"log/slog"

	"github.com/google/uuid"
	"github.com/minasidor/minasidor/internal/apperr"
	"github.com/minasidor/minasidor/internal/db"
)

// Where an upload comes from: the source of a finding, and a label of the scan metrics.
const (
	SourceDraftFile = "draft_file" // a file of a citizen's form (a draft, a supplement)
	SourceMessage   = "message"    // an attachment of a citizen's message
	SourceLogo      = "logo"       // a municipality's logo
	SourceImport    = "import"     // an e-service document imported by an admin
	SourceRescan    = "rescan"     // a stored file scanned later (see Rescan)
)

// Outcomes of a scan, as Observer hears them.
const (
	OutcomeClean       = "clean"
	OutcomeInfected    = "infected"
	OutcomeUnavailable = "unavailable" // no verdict, and the file was refused
	OutcomePending     = "pending"     // no verdict, and the file was kept for a later scan
)

// Policy says what happens to a file when the scanner gives no verdict.
type Policy string

const (
	// Refuse refuses the file: the user is asked to try again in a while (the default).
	Refuse Policy = "refuse"
	// Rescan keeps the file marked for a later scan (Rescan) where the store allows it (draft
	// files and message attachments); a logo or an import is refused still.
	Rescan Policy = "rescan"
)

// The errors of an upload the guard refuses, each a message for the user.
var (
	ErrInfected  = apperr.New(apperr.Invalid, "error.file.infected")
	ErrUnscanned = apperr.New(apperr.Invalid, "error.file.unscanned")
)

// Observer hears of every scan, for the metrics. It must not block.
type Observer func(source, outcome string)

// Guard scans uploads before they are stored and records what it finds.
type Guard struct {
	scanner Scanner
	db      db.Querier
	policy  Policy
	log     *slog.Logger
	observe Observer
}

// NewGuard returns a guard that scans with scanner and records findings on q. observe may be nil.
func NewGuard(scanner Scanner, q db.Querier, policy Policy, log *slog.Logger, observe Observer) *Guard {
	if log == nil {
		log = slog.New(slog.DiscardHandler)
	}
	if observe == nil {
		observe = func(string, string) {}
	}
	if policy == "" {
		policy = Refuse
	}
	return &Guard{scanner: scanner, db: q, policy: policy, log: log, observe: observe}
}

// Scanner is the guard's scanner.
func (g *Guard) Scanner() Scanner { return g.scanner }

// Upload says where a file comes from.
type Upload struct {
	TenantID uuid.UUID // the municipality it is for; uuid.Nil when none
	Source   string    // Source*
	// MayWait: the store can keep the file marked for a later scan (upload.scan = 'pending').
	MayWait bool
}

// Check scans data before it is stored. It returns nil when the file is clean; pending when the
// scanner gave no verdict and the policy keeps the file for a later scan (the store marks it);
// ErrInfected, after recording the finding, when it is infected; and ErrUnscanned when the
// scanner gave no verdict and the file must be refused. A nil guard checks nothing: stores built
// without one (tests of other things) store what they get; the app always gives one.
func (g *Guard) Check(ctx context.Context, u Upload, data []byte) (pending bool, err error) {
	if g == nil {
		return false, nil
	}
	res, err := g.scanner.Scan(ctx, data)
	switch {
	case err != nil && errors.Is(err, ErrUnavailable) && g.policy == Rescan && u.MayWait:
		g.observe(u.Source, OutcomePending)
		g.log.WarnContext(ctx, "virus scanner unavailable: file kept for a later scan", "source", u.Source, "err", err)
		return true, nil
	case err != nil:
		g.observe(u.Source, OutcomeUnavailable)
		g.log.ErrorContext(ctx, "virus scanner unavailable: file refused", "source", u.Source, "scanner", g.scanner.Name(), "err", err)
		return false, apperr.Wrap(apperr.Invalid, ErrUnscanned.Key, err)
	case res.Infected:
		g.observe(u.Source, OutcomeInfected)
		if err := g.record(ctx, u, res.Signature, data, nil); err != nil {
			return false, err
		}
		return false, ErrInfected
	}
	g.observe(u.Source, OutcomeClean)
	return false, nil
}

// record writes a finding: where, what, and the file's hash and size, never its name or content.
func (g *Guard) record(ctx context.Context, u Upload, signature string, data []byte, uploadID *uuid.UUID) error {
	g.log.WarnContext(ctx, "virus found: file refused", "source", u.Source, "signature", signature, "tenant", u.TenantID, "bytes", len(data))
	var tenant *uuid.UUID
	if u.TenantID != uuid.Nil {
		tenant = &u.TenantID
	}
	sum := sha256.Sum256(data)
	_, err := g.db.Exec(ctx, `
		INSERT INTO virus_finding (tenant_id, source, signature, sha256, size, upload_id) VALUES ($1, $2, $3, $4, $5, $6)`,
		tenant, u.Source, signature, sum[:], len(data), uploadID)
	if err != nil {
		return fmt.Errorf("virusscan: record finding: %w", err)
	}
	return nil
}
