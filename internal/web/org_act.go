package web

import (
	"errors"
	"net/http"

	"github.com/minasidor/minasidor/internal/apperr"
	"github.com/minasidor/minasidor/templates"
)

// orgAct makes the citizen act for an organisation, once the registers say they may: the
// companies register that they are its authorised signatory, or their own declaration of an
// association. E-services for organisations then fill in its number and name.
func (s *Server) orgAct(w http.ResponseWriter, r *http.Request) error {
	ctx := r.Context()
	if err := r.ParseForm(); err != nil {
		return apperr.Wrap(apperr.Invalid, "", err)
	}
	o, err := s.orgs.Act(ctx, s.citizenID(ctx), r.PostForm.Get("kind"), r.PostForm.Get("number"))
	if err != nil {
		return err
	}
	s.setActing(ctx, &o)
	http.Redirect(w, r, "/mina-sidor?foretrader=1", http.StatusSeeOther)
	return nil
}

// orgStop ends acting for an organisation: the citizen acts for themselves again.
func (s *Server) orgStop(w http.ResponseWriter, r *http.Request) error {
	s.setActing(r.Context(), nil)
	http.Redirect(w, r, "/mina-sidor/organisationer?klart=stopped", http.StatusSeeOther)
	return nil
}

// orgDeclare records that the citizen represents an association; a refused declaration comes
// back with what was typed.
func (s *Server) orgDeclare(w http.ResponseWriter, r *http.Request) error {
	ctx := r.Context()
	if err := r.ParseForm(); err != nil {
		return apperr.Wrap(apperr.Invalid, "", err)
	}
	f := r.PostForm
	_, err := s.orgs.Declare(ctx, s.citizenID(ctx), f.Get("org_number"), f.Get("org_name"), f.Get("role"))
	var invalid apperr.FieldErrors
	if errors.As(err, &invalid) {
		v, verr := s.orgView(r, f, invalid)
		if verr != nil {
			return verr
		}
		return s.render(w, r, http.StatusUnprocessableEntity, templates.OrgPage(s.page(r, "org.heading", "mypages"), v))
	}
	if err != nil {
		return err
	}
	http.Redirect(w, r, "/mina-sidor/organisationer?klart=declared", http.StatusSeeOther)
	return nil
}
