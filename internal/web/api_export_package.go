package web

import (
	"mime"
	"net/http"
	"strconv"
)

// apiExportPackage downloads a made archive package (a ZIP): a read of the whole case, recorded
// under the client's name; the first download marks the case exported to the records system.
func (s *Server) apiExportPackage(w http.ResponseWriter, r *http.Request) error {
	id, err := apiID(r, "export")
	if err != nil {
		return err
	}
	x, pkg, err := s.archive.Package(r.Context(), apiClientFrom(r.Context()).Member(), id)
	if err != nil {
		return err
	}
	servePackage(w, x.Reference, pkg)
	return nil
}

// servePackage sends an archive package as a ZIP download.
func servePackage(w http.ResponseWriter, reference string, pkg []byte) {
	h := w.Header()
	h.Set("Content-Type", "application/zip")
	h.Set("Content-Length", strconv.Itoa(len(pkg)))
	h.Set("Content-Disposition", mime.FormatMediaType("attachment", map[string]string{"filename": "arkiv-" + reference + ".zip"}))
	h.Set("Cache-Control", "private, no-store")
	w.Write(pkg)
}
