package web

import (
	"errors"
	"fmt"
	"io"
	"mime/multipart"
	"net/http"
	"path"
	"slices"
	"strings"

	"github.com/minasidor/minasidor/internal/apperr"
	"github.com/minasidor/minasidor/internal/draft"
	"github.com/minasidor/minasidor/internal/form"
)

// previewUploads makes a step's post's changes to the preview's files, which are only names in
// its answers: the file of remove_file is removed, then the files chosen for the step's file
// fields are checked as a citizen's are and their names added. It returns the names of the
// step's file fields as they are then (what MergeStep takes), and the problems of the files
// refused.
func previewUploads(r *http.Request, step form.Step, stored form.Answers) (form.Answers, apperr.FieldErrors, error) {
	remove := r.PostForm.Get("remove_file")
	files := form.Answers{}
	var refused apperr.FieldErrors
	for _, f := range step.Fields {
		if f.Type != form.File {
			continue
		}
		names := slices.DeleteFunc(slices.Clone(stored[f.Key]), func(n string) bool { return previewFileID(f.Key, n).String() == remove })
		if r.MultipartForm != nil {
			for _, fh := range r.MultipartForm.File[f.Key] {
				name, err := checkPreviewUpload(f, fh, names)
				var ae *apperr.Error
				switch {
				case errors.As(err, &ae) && ae.Kind == apperr.Invalid:
					refused.Add(f.Key, ae.Key)
				case err != nil:
					return nil, nil, err
				default:
					names = append(names, name)
				}
			}
		}
		files[f.Key] = names
	}
	return files, refused, nil
}

// checkPreviewUpload checks a file chosen in the preview with the rules a citizen's upload meets
// (see draft.Store.AddFile), with the names of the field's files so far, and returns the name to
// keep: its clean name, numbered when the field already has a file of that name.
func checkPreviewUpload(f form.Field, fh *multipart.FileHeader, names []string) (string, error) {
	file, err := fh.Open()
	if err != nil {
		return "", err
	}
	defer file.Close()
	data, err := io.ReadAll(io.LimitReader(file, f.Upload.MaxBytes+1))
	if err != nil {
		return "", err
	}
	if _, err := draft.CheckFile(f, data); err != nil {
		return "", err
	}
	if len(names) >= f.Upload.MaxFiles {
		return "", draft.ErrFileCount
	}
	name := draft.CleanName(fh.Filename)
	ext := path.Ext(name)
	for n := 2; slices.Contains(names, name); n++ {
		name = fmt.Sprintf("%s (%d)%s", strings.TrimSuffix(draft.CleanName(fh.Filename), ext), n, ext)
	}
	return name, nil
}
