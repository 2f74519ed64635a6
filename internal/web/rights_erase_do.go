package web

import (
	"errors"
	"net/http"
	"slices"

	"github.com/minasidor/minasidor/internal/apperr"
	"github.com/minasidor/minasidor/internal/rights"
)

// rightsEraseDo erases what the citizen ticked, at once. Erasing the account ends the session.
func (s *Server) rightsEraseDo(w http.ResponseWriter, r *http.Request) error {
	ctx := r.Context()
	if err := r.ParseForm(); err != nil {
		return apperr.Wrap(apperr.Invalid, "", err)
	}
	chosen := r.PostForm["erase"]
	what := rights.Erasure{Contact: slices.Contains(chosen, "contact"), Drafts: slices.Contains(chosen, "drafts"),
		Account: slices.Contains(chosen, "account")}
	if what == (rights.Erasure{}) {
		return s.renderErase(w, r, http.StatusUnprocessableEntity, apperr.FieldErrors{{Field: "erase", Key: "rights.erase.error.none"}})
	}
	done, err := s.rights.Erase(ctx, s.citizenID(ctx), what)
	if errors.Is(err, rights.ErrAccountNeeded) {
		return s.renderErase(w, r, http.StatusConflict, apperr.FieldErrors{{Field: "erase", Key: "rights.erase.error.needed"}})
	}
	if err != nil {
		return err
	}
	s.log.InfoContext(ctx, "citizen erased data", "request_id", requestID(ctx), "contact", done.Contact, "drafts", done.Drafts, "account", done.Account)
	if done.Account {
		if err := s.sessions.Destroy(ctx); err != nil {
			return err
		}
		http.Redirect(w, r, "/konto-raderat", http.StatusSeeOther)
		return nil
	}
	http.Redirect(w, r, "/mina-sidor/uppgifter?raderat=1#rights-heading", http.StatusSeeOther)
	return nil
}
