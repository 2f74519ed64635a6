package web

import (
	"context"

	"github.com/minasidor/minasidor/internal/casework"
	"github.com/minasidor/minasidor/templates"
)

// Compress is the portal's compression, for the load benchmark's baselines: they deliver their
// pages as the portal does.
var Compress = compress

// CitizenCaseView is the citizen's case page's view of a dossier, for the load benchmark's
// baseline of that page.
func CitizenCaseView(ctx context.Context, d casework.Dossier) templates.CaseView {
	return (&Server{}).caseView(ctx, d, false)
}

// CaseRow and QueueRow are a case as Mina ärenden and as the queue list it, for the load
// benchmark's baselines of those pages.
var CaseRow, QueueRow = caseRow, queueRow
