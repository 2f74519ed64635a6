package web

import (
	"errors"
	"io"
	"net/http"
	"strings"

	"github.com/minasidor/minasidor/internal/apperr"
	"github.com/minasidor/minasidor/internal/i18n"
	"github.com/minasidor/minasidor/internal/message"
)

// caseMessageSend adds the citizen's message, with attachments, to the case's thread. A refused
// message shows the page again with the text kept and the reason.
func (s *Server) caseMessageSend(w http.ResponseWriter, r *http.Request) error {
	ctx := r.Context()
	c, err := s.loadOwnCase(r)
	if err != nil {
		return err
	}
	if err := r.ParseMultipartForm(8 << 20); err != nil && !errors.Is(err, http.ErrNotMultipart) {
		return apperr.Wrap(apperr.Invalid, "", err)
	}
	body := r.FormValue("body")
	var files []message.File
	if r.MultipartForm != nil {
		for _, fh := range r.MultipartForm.File["files"] {
			f, err := fh.Open()
			if err != nil {
				return err
			}
			data, err := io.ReadAll(io.LimitReader(f, message.MaxFileSize+1))
			f.Close()
			if err != nil {
				return err
			}
			files = append(files, message.File{Name: fh.Filename, Data: data})
		}
	}
	_, err = s.messages.Send(ctx, c.ID, message.Citizen, s.sessions.GetString(ctx, sessionName), body, files)
	var refused *apperr.Error
	if errors.As(err, &refused) && (refused.Kind == apperr.Invalid || refused.Kind == apperr.Conflict) {
		d, verr := s.cases.ForCitizen(ctx, s.citizenID(ctx), c.ID)
		if verr != nil {
			return verr
		}
		if strings.HasPrefix(refused.Key, "error.file.") || refused.Key == message.ErrFileCount.Key {
			s.uploadRefused(refused.Key)
		}
		v := s.caseView(ctx, d.Dossier, false)
		v.Body, v.Error = body, i18n.T(ctx, refused.Key)
		return s.renderCase(w, r, http.StatusUnprocessableEntity, v)
	}
	if err != nil {
		return err
	}
	http.Redirect(w, r, "/arenden/"+c.ID.String()+"?skickat=1#messages-heading", http.StatusSeeOther)
	return nil
}
