package web

import (
	"errors"
	"net/http"

	"github.com/minasidor/minasidor/internal/apperr"
	"github.com/minasidor/minasidor/internal/eservice"
	"github.com/minasidor/minasidor/internal/form"
	"github.com/minasidor/minasidor/templates"
)

// builderNoticesSave stores the texts the e-service adds to its notices; a refused form comes
// back with what was typed.
func (s *Server) builderNoticesSave(w http.ResponseWriter, r *http.Request) error {
	ctx := r.Context()
	e, err := s.builderEService(r)
	if err != nil {
		return err
	}
	if err := r.ParseForm(); err != nil {
		return apperr.Wrap(apperr.Invalid, "", err)
	}
	f := r.PostForm
	texts := eservice.NoticeTexts{}
	for _, kind := range eservice.NoticeKinds {
		texts[kind] = form.Text{"sv": f.Get("notice_" + kind + "_sv"), "en": f.Get("notice_" + kind + "_en")}
	}
	err = s.eservices.SetNoticeTexts(ctx, staffFrom(ctx).Actor(), e.ID, texts)
	var invalid apperr.FieldErrors
	if errors.As(err, &invalid) {
		v := s.noticesView(r, e, f, invalid)
		return s.render(w, r, http.StatusUnprocessableEntity, templates.ESNoticesPage(s.page(r, "esettings.page.notices", "eservice_admin"), v))
	}
	if err != nil {
		return err
	}
	builderDone(w, r, e.ID, "aviseringar", "notices")
	return nil
}
