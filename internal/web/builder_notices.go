package web

import (
	"net/http"
	"net/url"

	"github.com/minasidor/minasidor/internal/apperr"
	"github.com/minasidor/minasidor/internal/eservice"
	"github.com/minasidor/minasidor/internal/i18n"
	"github.com/minasidor/minasidor/templates"
)

// builderNotices shows the texts the e-service adds to each kind of notice to the citizen.
func (s *Server) builderNotices(w http.ResponseWriter, r *http.Request) error {
	e, err := s.builderEService(r)
	if err != nil {
		return err
	}
	f := url.Values{}
	for kind, t := range e.NoticeTexts {
		for lang, text := range t {
			f.Set("notice_"+kind+"_"+lang, text)
		}
	}
	return s.render(w, r, http.StatusOK, templates.ESNoticesPage(s.page(r, "esettings.page.notices", "eservice_admin"), s.noticesView(r, e, f, nil)))
}

// noticesView is the notice texts page with the form's inputs f, as stored or as posted.
func (s *Server) noticesView(r *http.Request, e eservice.Listed, f url.Values, errs apperr.FieldErrors) templates.ESNoticesView {
	ctx := r.Context()
	h := s.builderHead(r, e)
	v := templates.ESNoticesView{Head: h, Errors: fieldMessages(ctx, errs)}
	for _, kind := range eservice.NoticeKinds {
		v.Kinds = append(v.Kinds, templates.ESNoticeKind{Kind: kind, Heading: i18n.T(ctx, "esettings.notice."+kind),
			Hint: i18n.T(ctx, "esettings.notice."+kind+".hint"), SV: f.Get("notice_" + kind + "_sv"), EN: f.Get("notice_" + kind + "_en")})
	}
	return v
}
