package web

import (
	"context"
	"net/http"
	"time"

	"github.com/go-chi/chi/v5"
	"github.com/google/uuid"
	"github.com/minasidor/minasidor/internal/apperr"
	"github.com/minasidor/minasidor/internal/eservice"
	"github.com/minasidor/minasidor/internal/form"
	"github.com/minasidor/minasidor/internal/i18n"
	"github.com/minasidor/minasidor/templates"
)

// builderEService is the e-service of the request's {eservice}, for an admin of its municipality;
// one of another municipality, or archived, is not found.
func (s *Server) builderEService(r *http.Request) (eservice.Listed, error) {
	id, err := uuid.Parse(chi.URLParam(r, "eservice"))
	if err != nil {
		return eservice.Listed{}, eservice.ErrNotFound
	}
	return s.eservices.Administered(r.Context(), staffFrom(r.Context()).TenantID, id)
}

// builderHead is the top of every page of the e-service's administration; a ?klart=<what> in the
// address shows the confirmation "builder.done.<what>".
func (s *Server) builderHead(r *http.Request, e eservice.Listed) templates.BuilderHead {
	ctx := r.Context()
	h := templates.BuilderHead{ID: e.ID.String(), Title: e.Title.In(lang(ctx)), Slug: e.Slug, State: e.State,
		StateText: i18n.T(ctx, "builder.state."+e.State), Version: e.Version, HasDraft: e.HasDraft}
	h.Done = doneText(ctx, "builder.done", r.URL.Query().Get("klart"))
	return h
}

func lang(ctx context.Context) string { return string(i18n.FromContext(ctx).Lang) }

// builderDone redirects to a page of the e-service's administration with a confirmation.
func builderDone(w http.ResponseWriter, r *http.Request, id uuid.UUID, page, done string) {
	to := "/personal/etjanster/" + id.String()
	if page != "" {
		to += "/" + page
	}
	http.Redirect(w, r, to+"?klart="+done, http.StatusSeeOther)
}

// definitionProblems translates the problems of a form definition, each linked to the editor's
// page of its step or field.
func definitionProblems(ctx context.Context, eserviceID string, def *form.Definition, err error) []templates.DefinitionProblem {
	de, ok := form.AsDefinitionErrors(err)
	if !ok {
		return nil
	}
	l := lang(ctx)
	base := "/personal/etjanster/" + eserviceID + "/formular"
	var out []templates.DefinitionProblem
	for _, e := range de {
		p := templates.DefinitionProblem{Message: i18n.T(ctx, e.Key, e.Args...), Href: base}
		switch {
		case e.Field != "":
			p.Where = e.Field
			if f, ok := def.Field(e.Field); ok && f.Label.In(l) != "" {
				p.Where = f.Label.In(l)
			}
			p.Href = base + "/falt/" + e.Field
		case e.Step != "":
			p.Where = e.Step
			for _, st := range def.Steps {
				if st.Key == e.Step && st.Title.In(l) != "" {
					p.Where = st.Title.In(l)
				}
			}
			p.Href = base + "/steg/" + e.Step
		default:
			p.Where = i18n.T(ctx, "builder.nav.form")
		}
		out = append(out, p)
	}
	return out
}

// localTime formats a time for a datetime-local input, in Swedish time.
func localTime(t *time.Time) string {
	if t == nil {
		return ""
	}
	return t.In(i18n.Stockholm).Format("2006-01-02T15:04")
}

// parseLocalTime reads a datetime-local input as Swedish time; empty is nil.
func parseLocalTime(v string) (*time.Time, bool) {
	if v == "" {
		return nil, true
	}
	t, err := time.ParseInLocation("2006-01-02T15:04", v, i18n.Stockholm)
	if err != nil {
		return nil, false
	}
	return &t, true
}

// fieldMessages translates field errors for a page.
func fieldMessages(ctx context.Context, errs apperr.FieldErrors) []templates.FieldMessage {
	out := make([]templates.FieldMessage, 0, len(errs))
	for _, fe := range errs {
		out = append(out, templates.FieldMessage{Field: fe.Field, Message: i18n.T(ctx, fe.Key)})
	}
	return out
}
