package web

import (
	"errors"
	"net/http"
	"strconv"
	"strings"

	"github.com/minasidor/minasidor/internal/apperr"
	"github.com/minasidor/minasidor/internal/retention"
)

// retentionAdminSave stores the municipality's retention settings; numbers out of bounds come
// back with what was typed.
func (s *Server) retentionAdminSave(w http.ResponseWriter, r *http.Request) error {
	ctx := r.Context()
	if err := r.ParseForm(); err != nil {
		return apperr.Wrap(apperr.Invalid, "", err)
	}
	num := func(name string) int {
		n, err := strconv.Atoi(strings.TrimSpace(r.PostForm.Get(name)))
		if err != nil {
			return -1 // refused by the range check, with its message
		}
		return n
	}
	in := retention.Settings{DraftDays: num(retention.FieldDraftDays), AuditMonths: num(retention.FieldAuditMonths)}
	err := s.retention.UpdateSettings(ctx, staffFrom(ctx).Actor(), in)
	var invalid apperr.FieldErrors
	if errors.As(err, &invalid) {
		return s.renderRetentionAdmin(w, r, http.StatusUnprocessableEntity, "", r.PostForm, invalid, false)
	}
	if err != nil {
		return err
	}
	http.Redirect(w, r, "/personal/admin/gallring?sparat=1", http.StatusSeeOther)
	return nil
}
