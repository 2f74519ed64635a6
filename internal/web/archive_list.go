package web

import (
	"context"
	"net/http"
	"net/url"

	"github.com/minasidor/minasidor/internal/archive"
	"github.com/minasidor/minasidor/internal/i18n"
	"github.com/minasidor/minasidor/templates"
)

// archivePath is the caseworker's list of archive packages.
const archivePath = staffPrefix + "/arkiv"

// archiveList lists the archive packages of the cases the caseworker may see, newest first, with
// a form to ask for the package of a closed case.
func (s *Server) archiveList(w http.ResponseWriter, r *http.Request) error {
	v, err := s.archiveView(r.Context(), r.URL.Query().Get("efter"))
	if err != nil {
		return err
	}
	v.Done = doneText(r.Context(), "archive.done", r.URL.Query().Get("klart"))
	return s.render(w, r, http.StatusOK, templates.ArchivePage(s.page(r, "archive.heading", "archive"), v))
}

func (s *Server) archiveView(ctx context.Context, after string) (templates.ArchiveView, error) {
	page, err := s.archive.List(ctx, staffFrom(ctx), after, 25)
	if err != nil {
		return templates.ArchiveView{}, err
	}
	var v templates.ArchiveView
	if page.Next != "" {
		v.Next = archivePath + "?efter=" + url.QueryEscape(page.Next)
	}
	for _, x := range page.Exports {
		row := templates.ExportRow{ID: x.ID.String(), Reference: x.Reference, EService: x.EService,
			Requested: stamp(x.RequestedAt, x.RequestedBy), State: i18n.T(ctx, "archive.state."+x.State),
			Ready: x.State == archive.StateDone, Error: x.Error, PackageURL: archivePath + "/" + x.ID.String() + "/paket"}
		if x.Size > 0 {
			row.Size = byteSize(x.Size)
		}
		if x.DeliveredAt != nil {
			row.Delivered = stamp(*x.DeliveredAt, x.DeliveredTo)
		}
		v.Exports = append(v.Exports, row)
	}
	return v, nil
}
