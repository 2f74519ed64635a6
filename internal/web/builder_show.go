package web

import (
	"context"
	"fmt"
	"net/http"
	"time"

	"github.com/minasidor/minasidor/internal/audit"
	"github.com/minasidor/minasidor/internal/eservice"
	"github.com/minasidor/minasidor/internal/i18n"
	"github.com/minasidor/minasidor/templates"
)

// builderShow is the overview of one e-service: publishing, the period it is shown, its versions
// and the history of its changes.
func (s *Server) builderShow(w http.ResponseWriter, r *http.Request) error {
	e, err := s.builderEService(r)
	if err != nil {
		return err
	}
	v, err := s.builderShowView(r, e)
	if err != nil {
		return err
	}
	return s.render(w, r, http.StatusOK, templates.BuilderShowPage(s.page(r, "builder.show.title", "eservice_admin"), v))
}

func (s *Server) builderShowView(r *http.Request, e eservice.Listed) (templates.BuilderShowView, error) {
	ctx := r.Context()
	h := s.builderHead(r, e)
	v := templates.BuilderShowView{Head: h, AvailableFrom: localTime(e.AvailableFrom), AvailableUntil: localTime(e.AvailableUntil),
		CanUnpublish: e.State == "published", External: e.ExternalURL,
		CanRepublish: e.State != "published" && (h.Version > 0 && e.State == "unpublished" || e.ExternalURL != "")}
	if e.State == "published" {
		v.PublicURL = "/e-tjanster/" + e.Slug
	}
	o, err := s.eservices.Overview(ctx, e.EService, h.HasDraft, 100)
	if err != nil {
		return v, err
	}
	if h.HasDraft {
		v.Problems = append(privacyProblems(ctx, h, e), definitionProblems(ctx, h.ID, o.Working.Definition, o.Working.Definition.Check())...)
		v.CanPublish = len(v.Problems) == 0
	}
	for _, ver := range o.Versions {
		row := templates.VersionRow{Number: ver.Number, Drafts: ver.Drafts, Cases: ver.Cases,
			Created: stamp(ver.CreatedAt, ver.CreatedBy), Updated: stamp(ver.UpdatedAt, ver.UpdatedBy)}
		switch {
		case ver.PublishedAt == nil:
			row.State = i18n.T(ctx, "builder.versions.draft")
		case ver.Current:
			row.State = i18n.T(ctx, "builder.versions.current")
		default:
			row.State = i18n.T(ctx, "builder.versions.old")
		}
		if ver.PublishedAt != nil {
			row.Published = stamp(*ver.PublishedAt, ver.PublishedBy)
		}
		v.Versions = append(v.Versions, row)
	}
	v.Changes = changeRows(r, o.Changes)
	return v, nil
}

// privacyProblems are the parts of the privacy notice that publishing needs and the e-service
// lacks, each linked to its input on the settings page.
func privacyProblems(ctx context.Context, h templates.BuilderHead, e eservice.Listed) []templates.DefinitionProblem {
	if e.Publishable() == nil {
		return nil
	}
	var out []templates.DefinitionProblem
	for _, part := range e.Privacy.Missing() {
		out = append(out, templates.DefinitionProblem{
			Where:   i18n.T(ctx, "builder.publish.privacy"),
			Message: i18n.T(ctx, "builder.publish.privacyMissing", i18n.T(ctx, "esettings.privacy."+part)),
			Href:    h.Path("installningar") + "#privacy_" + part + "_sv",
		})
	}
	return out
}

// stamp is when something was done, and by whom when that is known.
func stamp(at time.Time, by string) string {
	if by == "" {
		return i18n.DateTime(at)
	}
	return i18n.DateTime(at) + ", " + by
}

// changeRows shows recorded changes.
func changeRows(r *http.Request, changes []audit.Change) []templates.ChangeRow {
	rows := make([]templates.ChangeRow, 0, len(changes))
	for _, c := range changes {
		rows = append(rows, templates.ChangeRow{At: i18n.DateTime(c.At), By: c.Actor.Name, What: changeText(r, c)})
	}
	return rows
}

// changeText says what a recorded change did, in the reader's language.
func changeText(r *http.Request, c audit.Change) string {
	text := i18n.T(r.Context(), "change."+c.Action)
	if n, ok := c.Detail["version"].(float64); ok {
		text += " " + i18n.T(r.Context(), "change.version", int(n))
	}
	if c.Target != "" && c.Action != "eservice_published" {
		text += fmt.Sprintf(" (%s)", c.Target)
	}
	return text
}
