package web

import (
	"net/http"

	"github.com/go-chi/chi/v5"
	"github.com/google/uuid"
	"github.com/minasidor/minasidor/internal/apperr"
)

// signingFile is a file of the content a co-signer is asked to sign, for them to read.
func (s *Server) signingFile(w http.ResponseWriter, r *http.Request) error {
	ctx := r.Context()
	id, err := partyID(r)
	if err != nil {
		return err
	}
	fileID, err := uuid.Parse(chi.URLParam(r, "file"))
	if err != nil {
		return apperr.New(apperr.NotFound, "")
	}
	f, data, err := s.signing.FileOfSigner(ctx, id, s.citizenID(ctx), fileID)
	if err != nil {
		return err
	}
	serveFile(w, f.Name, f.ContentType, data)
	return nil
}
