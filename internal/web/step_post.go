package web

import (
	"net/http"
	"strings"

	"github.com/minasidor/minasidor/internal/apperr"
)

// parseStepPost reads the post of a step's page: multipart when the step has file fields, a plain
// form otherwise.
func parseStepPost(r *http.Request) error {
	var err error
	if strings.HasPrefix(r.Header.Get("Content-Type"), "multipart/form-data") {
		err = r.ParseMultipartForm(8 << 20)
	} else {
		err = r.ParseForm()
	}
	if err != nil {
		return apperr.Wrap(apperr.Invalid, "", err)
	}
	return nil
}
