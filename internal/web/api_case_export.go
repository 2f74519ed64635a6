package web

import (
	"net/http"
	"time"

	"github.com/minasidor/minasidor/internal/archive"
)

// apiExportView is an archive export as the API gives it.
type apiExportView struct {
	ID          string     `json:"id"`
	CaseID      string     `json:"case_id"`
	Reference   string     `json:"reference"`
	State       string     `json:"state"`
	RequestedBy string     `json:"requested_by"`
	RequestedAt time.Time  `json:"requested_at"`
	DoneAt      *time.Time `json:"done_at,omitempty"`
	Size        int64      `json:"size,omitempty"`
	SHA256      string     `json:"sha256,omitempty"`
	DeliveredAt *time.Time `json:"delivered_at,omitempty"`
	Error       string     `json:"error,omitempty"`
	URL         string     `json:"url"`
	PackageURL  string     `json:"package_url"`
}

func apiExportOf(x archive.Export) apiExportView {
	v := apiExportView{ID: x.ID.String(), CaseID: x.CaseID.String(), Reference: x.Reference, State: x.State,
		RequestedBy: x.RequestedBy, RequestedAt: x.RequestedAt, DoneAt: x.DoneAt, Size: x.Size, DeliveredAt: x.DeliveredAt,
		Error: x.Error, URL: apiPrefix + "/exports/" + x.ID.String(), PackageURL: apiPrefix + "/exports/" + x.ID.String() + "/package"}
	if len(x.SHA256) > 0 {
		v.SHA256 = hexString(x.SHA256)
	}
	return v
}

// apiCaseExport asks for an archive package of a closed case: 202 with the export, which a job
// makes; fetch it at its package_url once its state is done.
func (s *Server) apiCaseExport(w http.ResponseWriter, r *http.Request) error {
	id, err := apiID(r, "case")
	if err != nil {
		return err
	}
	x, err := s.archive.Request(r.Context(), apiClientFrom(r.Context()).Member(), id)
	if err != nil {
		return err
	}
	v := apiExportOf(x)
	w.Header().Set("Location", v.URL)
	writeJSON(w, http.StatusAccepted, v)
	return nil
}
