package web

import (
	"net/http"
	"strconv"
	"time"

	"github.com/minasidor/minasidor/internal/apperr"
	"github.com/minasidor/minasidor/internal/casework"
)

// apiCaseListItem is a case in the API's list: what identifies it and where it stands, no
// personal data (fetch the case for that).
type apiCaseListItem struct {
	ID          string    `json:"id"`
	Reference   string    `json:"reference"`
	EService    string    `json:"eservice"`
	SubmittedAt time.Time `json:"submitted_at"`
	Status      string    `json:"status"`
	StatusLabel string    `json:"status_label"`
	Assignee    string    `json:"assignee,omitempty"`
}

// apiCaseList lists the municipality's open (?state=open, the default) or closed (?state=closed)
// cases, newest first, paged by key (?after=<next>, ?limit=1..100). It is the caseworker's queue,
// read and audited the same way.
func (s *Server) apiCaseList(w http.ResponseWriter, r *http.Request) error {
	q := r.URL.Query()
	query := casework.QueueQuery{Member: apiClientFrom(r.Context()).Member(), After: q.Get("after"), Limit: 25}
	switch q.Get("state") {
	case "", "open":
		query.Tab = casework.TabActive
	case "closed":
		query.Tab = casework.TabClosed
	default:
		return apperr.New(apperr.Invalid, "api.error.state")
	}
	if l := q.Get("limit"); l != "" {
		n, err := strconv.Atoi(l)
		if err != nil || n < 1 || n > 100 {
			return apperr.New(apperr.Invalid, "api.error.limit")
		}
		query.Limit = n
	}
	page, err := s.cases.Queue(r.Context(), query)
	if err != nil {
		return err
	}
	out := struct {
		Cases []apiCaseListItem `json:"cases"`
		Next  string            `json:"next,omitempty"`
	}{Cases: []apiCaseListItem{}, Next: page.Next}
	for _, c := range page.Rows {
		out.Cases = append(out.Cases, apiCaseListItem{ID: c.ID.String(), Reference: c.Reference, EService: c.EService,
			SubmittedAt: c.SubmittedAt, Status: c.Status, StatusLabel: c.StatusLabel.In("sv"), Assignee: c.Assignee})
	}
	writeJSON(w, http.StatusOK, out)
	return nil
}
