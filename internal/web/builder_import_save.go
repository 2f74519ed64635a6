package web

import (
	"io"
	"net/http"
	"strings"

	"github.com/minasidor/minasidor/internal/apperr"
	"github.com/minasidor/minasidor/internal/eservice"
	"github.com/minasidor/minasidor/templates"
)

// builderImportSave imports the document sent as a file, or else pasted: a new draft e-service
// of the municipality, shown with a confirmation. A document with problems stores nothing and
// shows the page again with every problem.
func (s *Server) builderImportSave(w http.ResponseWriter, r *http.Request) error {
	ctx := r.Context()
	var err error
	if strings.HasPrefix(r.Header.Get("Content-Type"), "multipart/form-data") {
		err = r.ParseMultipartForm(2 * eservice.MaxDocumentBytes)
	} else {
		err = r.ParseForm()
	}
	if err != nil {
		return apperr.Wrap(apperr.Invalid, "", err)
	}
	text := r.PostForm.Get("json")
	data := []byte(text)
	if r.MultipartForm != nil {
		if fhs := r.MultipartForm.File["document"]; len(fhs) > 0 && fhs[0].Size > 0 {
			f, err := fhs[0].Open()
			if err != nil {
				return err
			}
			defer f.Close()
			if data, err = io.ReadAll(io.LimitReader(f, eservice.MaxDocumentBytes+1)); err != nil {
				return err
			}
			text = ""
		}
	}
	e, err := s.eservices.Import(ctx, staffFrom(ctx).Actor(), data)
	if de, ok := eservice.AsDocumentErrors(err); ok {
		for _, p := range de {
			if strings.HasPrefix(p.Key, "error.file.") {
				s.uploadRefused(p.Key)
			}
		}
		v := templates.BuilderImportView{Problems: documentProblems(ctx, de), Text: text}
		return s.renderImport(w, r, v, http.StatusUnprocessableEntity)
	}
	if err != nil {
		return err
	}
	builderDone(w, r, e.ID, "", "imported")
	return nil
}
