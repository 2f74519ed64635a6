package web

import (
	"context"
	"errors"
	"net/http"

	"github.com/google/uuid"
	"github.com/minasidor/minasidor/internal/apperr"
	"github.com/minasidor/minasidor/internal/i18n"
	"github.com/minasidor/minasidor/internal/staff"
)

// registryApprove is a second registrar's approval: the answer is released.
func (s *Server) registryApprove(w http.ResponseWriter, r *http.Request) error {
	return s.registryProposalAction(w, r, "approved", s.disclosure.Approve)
}

// registryProposalAction runs an action on an answer that waits for approval; a refused one (by
// the registrar who decided, or on an answer that waits for none) shows the request with why.
func (s *Server) registryProposalAction(w http.ResponseWriter, r *http.Request, done string, act func(context.Context, staff.Member, uuid.UUID) error) error {
	ctx := r.Context()
	id, err := registryRequestID(r)
	if err != nil {
		return err
	}
	err = act(ctx, staffFrom(ctx), id)
	var refused *apperr.Error
	if errors.As(err, &refused) && refused.Kind == apperr.Conflict {
		return s.renderRegistryRequest(w, r, http.StatusConflict, registryForm{err: i18n.T(ctx, refused.Key)})
	}
	if err != nil {
		return err
	}
	http.Redirect(w, r, staffPrefix+"/registratur/"+id.String()+"?klart="+done, http.StatusSeeOther)
	return nil
}
