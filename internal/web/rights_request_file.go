package web

import (
	"errors"
	"net/http"

	"github.com/minasidor/minasidor/internal/apperr"
	"github.com/minasidor/minasidor/internal/rights"
)

// rightsRequestFile files the citizen's request as a case of the municipality's data protection
// function and shows its receipt. A request that cannot be filed comes back with what was typed.
func (s *Server) rightsRequestFile(w http.ResponseWriter, r *http.Request) error {
	ctx := r.Context()
	if err := r.ParseForm(); err != nil {
		return apperr.Wrap(apperr.Invalid, "", err)
	}
	t, ok := tenantFrom(ctx)
	if !ok {
		return apperr.New(apperr.NotFound, "")
	}
	in := rights.Request{Kind: r.PostForm.Get(rights.FieldKind), Case: r.PostForm.Get(rights.FieldCase), Details: r.PostForm.Get(rights.FieldDetails)}
	acct, err := s.accounts.ByID(ctx, s.citizenID(ctx))
	if err != nil {
		return err
	}
	c, err := s.rights.File(ctx, rights.Filer{TenantID: t.ID, AccountID: acct.ID, PersonalNumber: acct.PersonalNumber.String()}, in)
	var invalid apperr.FieldErrors
	if errors.As(err, &invalid) {
		return s.renderRightsRequest(w, r, http.StatusUnprocessableEntity, in, invalid)
	}
	if err != nil {
		return err
	}
	s.log.InfoContext(ctx, "data protection request filed", "request_id", requestID(ctx), "case", c.ID, "reference", c.Reference)
	http.Redirect(w, r, "/arenden/"+c.ID.String()+"/kvitto", http.StatusSeeOther)
	return nil
}
