package web

import (
	"mime"
	"net/http"
	"strconv"

	"github.com/minasidor/minasidor/internal/disclosure"
)

// publicRequestPDF is the released answer, to the holder of the secret link.
func (s *Server) publicRequestPDF(w http.ResponseWriter, r *http.Request) error {
	t, _ := tenantFrom(r.Context())
	ref, pdf, err := s.disclosure.AnswerPDF(r.Context(), disclosure.Requester{TenantID: t.ID, Key: r.URL.Query().Get("nyckel")})
	if err != nil {
		return err
	}
	servePDF(w, "begaran-"+ref+".pdf", pdf)
	return nil
}

// servePDF sends a PDF to download.
func servePDF(w http.ResponseWriter, name string, pdf []byte) {
	h := w.Header()
	h.Set("Content-Type", "application/pdf")
	h.Set("Content-Length", strconv.Itoa(len(pdf)))
	h.Set("Content-Disposition", mime.FormatMediaType("attachment", map[string]string{"filename": name}))
	h.Set("Cache-Control", "private, no-store")
	h.Set("Referrer-Policy", "no-referrer")
	w.Write(pdf)
}
