package web

import (
	"errors"
	"net/http"
	"net/url"

	"github.com/minasidor/minasidor/internal/apperr"
	"github.com/minasidor/minasidor/internal/disclosure"
	"github.com/minasidor/minasidor/internal/i18n"
)

// publicRequestCreate sends a request for public documents. The requester then sees it: on Mina
// sidor when they chose it, otherwise through the secret link, which the page asks them to keep.
func (s *Server) publicRequestCreate(w http.ResponseWriter, r *http.Request) error {
	ctx := r.Context()
	if err := r.ParseForm(); err != nil {
		return apperr.Wrap(apperr.Invalid, "", err)
	}
	f := r.PostForm
	t, _ := tenantFrom(ctx)
	asked, err := s.disclosure.Create(ctx, disclosure.Ask{
		TenantID: t.ID, AccountID: s.citizenID(ctx), Lang: string(i18n.FromContext(ctx).Lang),
		References: f.Get("references"), EServiceID: f.Get("eservice"), From: f.Get("from"), To: f.Get("to"),
		Subject: f.Get("subject"), Delivery: f.Get("delivery"), Email: f.Get("email"), PostalAddress: f.Get("postal_address"),
	})
	var invalid apperr.FieldErrors
	if errors.As(err, &invalid) {
		return s.renderPublicRequest(w, r, http.StatusUnprocessableEntity, f, invalid)
	}
	if err != nil {
		return err
	}
	to := publicLinkPath(asked.Key) + "&klart=sent"
	if f.Get("delivery") == disclosure.DeliveryMyPages {
		to = "/mina-sidor/allmanna-handlingar/" + asked.ID.String() + "?klart=sent"
	}
	http.Redirect(w, r, to, http.StatusSeeOther)
	return nil
}

// publicLinkPath is the secret link of a request: its key is in the query, which the access log
// never writes.
func publicLinkPath(key string) string {
	return "/allmanna-handlingar/svar?nyckel=" + url.QueryEscape(key)
}
