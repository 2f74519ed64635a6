package web

import (
	"errors"
	"io"
	"mime/multipart"
	"net/http"
	"slices"
	"strings"

	"github.com/google/uuid"
	"github.com/minasidor/minasidor/internal/apperr"
	"github.com/minasidor/minasidor/internal/draft"
	"github.com/minasidor/minasidor/internal/form"
	"github.com/minasidor/minasidor/internal/message"
	"github.com/minasidor/minasidor/internal/virusscan"
)

// draftUploads makes a step's post's changes to the draft's files: the file of remove_file is
// removed, then the files chosen for the step's file fields are stored. It returns the draft's
// files as they are then, by field (the ids MergeStep takes), and the problems of the files
// refused.
func (s *Server) draftUploads(r *http.Request, j journey, step form.Step) (form.Answers, apperr.FieldErrors, error) {
	ctx := r.Context()
	if id, err := uuid.Parse(r.PostForm.Get("remove_file")); err == nil {
		if err := s.drafts.RemoveFile(ctx, j.Draft.ID, id); err != nil {
			return nil, nil, err
		}
	}
	var refused apperr.FieldErrors
	for _, f := range step.Fields {
		if f.Type != form.File || r.MultipartForm == nil {
			continue
		}
		for _, fh := range r.MultipartForm.File[f.Key] {
			if err := s.storeUpload(r, j, f, fh); err != nil {
				var ae *apperr.Error
				if !errors.As(err, &ae) || ae.Kind != apperr.Invalid {
					return nil, nil, err
				}
				refused.Add(f.Key, ae.Key)
				s.uploadRefused(ae.Key)
			}
		}
	}
	files, err := s.drafts.Files(ctx, j.Draft.ID)
	if err != nil {
		return nil, nil, err
	}
	ids := form.Answers{}
	for _, file := range files {
		ids[file.Field] = append(ids[file.Field], file.ID.String())
	}
	return ids, refused, nil
}

// fileRefusals are the errors that refuse a file, counted in the metrics by their reason.
var fileRefusals = []*apperr.Error{draft.ErrFileType, draft.ErrFileSize, draft.ErrFileCount, draft.ErrFileEmpty,
	message.ErrFileCount, virusscan.ErrInfected, virusscan.ErrUnscanned}

// uploadRefused counts a refused upload in the metrics when its message key is a file's refusal,
// by the last part of the key (error.file.infected: infected); other keys are no upload's.
func (s *Server) uploadRefused(key string) {
	if !slices.ContainsFunc(fileRefusals, func(e *apperr.Error) bool { return e.Key == key }) {
		return
	}
	if i := strings.LastIndexByte(key, '.'); i >= 0 {
		key = key[i+1:]
	}
	s.metrics.UploadRefused(key)
}

// storeUpload stores a file chosen for the field, as the draft store checks it.
func (s *Server) storeUpload(r *http.Request, j journey, f form.Field, fh *multipart.FileHeader) error {
	file, err := fh.Open()
	if err != nil {
		return err
	}
	defer file.Close()
	data, err := io.ReadAll(io.LimitReader(file, f.Upload.MaxBytes+1))
	if err != nil {
		return err
	}
	_, err = s.drafts.AddFile(r.Context(), j.Draft, f, fh.Filename, data)
	return err
}
