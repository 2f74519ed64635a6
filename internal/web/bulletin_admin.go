package web

import (
	"context"
	"errors"
	"net/http"
	"time"

	"github.com/go-chi/chi/v5"
	"github.com/google/uuid"
	"github.com/minasidor/minasidor/internal/apperr"
	"github.com/minasidor/minasidor/internal/bulletin"
	"github.com/minasidor/minasidor/internal/form"
	"github.com/minasidor/minasidor/internal/i18n"
	"github.com/minasidor/minasidor/templates"
)

// bulletinAdmin lists the municipality's operating messages for its admin, with a form to add one.
func (s *Server) bulletinAdmin(w http.ResponseWriter, r *http.Request) error {
	ctx := r.Context()
	now := time.Now()
	v, err := s.bulletinAdminView(ctx, now)
	if err != nil {
		return err
	}
	// The form starts from now, for a day.
	v.Form.StartsAt = bulletin.FormatLocal(now.Truncate(time.Minute))
	v.Form.EndsAt = bulletin.FormatLocal(now.Truncate(time.Minute).Add(24 * time.Hour))
	v.Done = doneText(ctx, "bulletin.done", r.URL.Query().Get("klart"))
	return s.render(w, r, http.StatusOK, templates.BulletinAdminPage(s.page(r, "bulletin.admin.heading", "bulletins"), v))
}

func (s *Server) bulletinAdminView(ctx context.Context, now time.Time) (templates.BulletinAdminView, error) {
	tenantID := staffFrom(ctx).TenantID
	msgs, err := s.bulletins.List(ctx, tenantID, now)
	if err != nil {
		return templates.BulletinAdminView{}, err
	}
	eservices, err := s.eservices.All(ctx, tenantID)
	if err != nil {
		return templates.BulletinAdminView{}, err
	}
	lang := string(i18n.FromContext(ctx).Lang)
	var v templates.BulletinAdminView
	for _, e := range eservices {
		v.EServices = append(v.EServices, templates.Choice{Value: e.ID.String(), Label: e.Title.In(lang)})
	}
	for _, m := range msgs {
		row := templates.BulletinRow{
			ID:     m.ID.String(),
			TextSV: m.Text["sv"],
			TextEN: m.Text["en"],
			Scope:  i18n.T(ctx, "bulletin.scope.site"),
			Starts: i18n.DateTime(m.StartsAt),
			Ends:   i18n.DateTime(m.EndsAt),
			Closes: m.Closes,
		}
		if m.EServiceID != nil {
			row.Scope = m.EServiceTitle.In(lang)
		}
		switch {
		case m.ActiveAt(now):
			v.Current = append(v.Current, row)
		case m.StartsAt.After(now):
			v.Upcoming = append(v.Upcoming, row)
		default:
			v.Ended = append(v.Ended, row)
		}
	}
	return v, nil
}

// bulletinCreate adds an operating message; a refused form comes back with what was typed.
func (s *Server) bulletinCreate(w http.ResponseWriter, r *http.Request) error {
	ctx := r.Context()
	if err := r.ParseForm(); err != nil {
		return apperr.Wrap(apperr.Invalid, "", err)
	}
	f := r.PostForm
	typed := templates.BulletinForm{
		TextSV:   f.Get(bulletin.FieldTextSV),
		TextEN:   f.Get(bulletin.FieldTextEN),
		EService: f.Get(bulletin.FieldEService),
		StartsAt: f.Get(bulletin.FieldStartsAt),
		EndsAt:   f.Get(bulletin.FieldEndsAt),
		Closes:   f.Get(bulletin.FieldCloses) == "yes",
	}
	m := bulletin.Message{
		Text:     form.Text{"sv": typed.TextSV, "en": typed.TextEN},
		StartsAt: bulletin.ParseLocal(typed.StartsAt),
		EndsAt:   bulletin.ParseLocal(typed.EndsAt),
		Closes:   typed.Closes,
	}
	var errs apperr.FieldErrors
	if typed.EService != "" {
		id, err := uuid.Parse(typed.EService)
		if err != nil {
			errs.Add(bulletin.FieldEService, "bulletin.error.eservice")
		} else {
			m.EServiceID = &id
		}
	}
	var err error
	if len(errs) == 0 {
		_, err = s.bulletins.Create(ctx, staffFrom(ctx).Actor(), m)
	}
	var invalid apperr.FieldErrors
	if errors.As(err, &invalid) {
		errs = invalid
	} else if err != nil {
		return err
	}
	if len(errs) > 0 {
		v, err := s.bulletinAdminView(ctx, time.Now())
		if err != nil {
			return err
		}
		v.Form = typed
		for _, fe := range errs {
			v.Errors = append(v.Errors, templates.FieldMessage{Field: fe.Field, Message: i18n.T(ctx, fe.Key)})
		}
		p := s.page(r, "bulletin.admin.heading", "bulletins")
		p.Title = i18n.T(ctx, "form.errors.title", p.Title)
		return s.render(w, r, http.StatusUnprocessableEntity, templates.BulletinAdminPage(p, v))
	}
	http.Redirect(w, r, staffPrefix+"/admin/driftmeddelanden?klart=added", http.StatusSeeOther)
	return nil
}

// bulletinEnd ends an operating message now, or withdraws one that has not begun.
func (s *Server) bulletinEnd(w http.ResponseWriter, r *http.Request) error {
	id, err := uuid.Parse(chi.URLParam(r, "message"))
	if err != nil {
		return apperr.New(apperr.NotFound, "")
	}
	if err := s.bulletins.End(r.Context(), staffFrom(r.Context()).Actor(), id); err != nil {
		return err
	}
	http.Redirect(w, r, staffPrefix+"/admin/driftmeddelanden?klart=ended", http.StatusSeeOther)
	return nil
}
