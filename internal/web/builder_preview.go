package web

import (
	"context"
	"encoding/gob"
	"net/http"

	"github.com/google/uuid"
	"github.com/minasidor/minasidor/internal/draft"
	"github.com/minasidor/minasidor/internal/eservice"
	"github.com/minasidor/minasidor/internal/form"
	"github.com/minasidor/minasidor/internal/i18n"
	"github.com/minasidor/minasidor/templates"
)

// The preview: an e-service admin fills in the working version of the form (see
// eservice.Store.Working) as a citizen would, on the citizen's step and review pages, with the
// same conditions and checks. The answers stay in the admin's session, one set per e-service and
// version; no draft, file or case is stored. A file is checked as a citizen's upload is, and
// only its name is kept.

// The session codec (gob) must know the answers' type to store it in the session's map.
func init() { gob.Register(form.Answers{}) }

// builderPreview starts the preview at its first visible step, with the answers given so far;
// a form without steps has nothing to preview yet.
func (s *Server) builderPreview(w http.ResponseWriter, r *http.Request) error {
	j, e, ok, err := s.previewJourney(r)
	if err != nil {
		return err
	}
	if !ok {
		head := s.builderHead(r, e)
		v := templates.BuilderPreviewEmptyView{Head: head, EditorURL: head.Path("formular")}
		return s.render(w, r, http.StatusOK, templates.BuilderPreviewEmptyPage(s.page(r, "preview.heading", "eservice_admin"), v))
	}
	steps := j.Version.Definition.VisibleSteps(j.Draft.Answers)
	http.Redirect(w, r, previewPath(j, "steg/"+steps[0].Key), http.StatusSeeOther)
	return nil
}

// previewJourney is the preview of the request's {eservice} (e) as a journey without a draft:
// the working version, and the answers of the admin's session. ok is false when the form has no
// steps yet.
func (s *Server) previewJourney(r *http.Request) (j journey, e eservice.Listed, ok bool, err error) {
	ctx := r.Context()
	if e, err = s.builderEService(r); err != nil {
		return journey{}, e, false, err
	}
	j.EService = e.EService
	if j.Version, _, err = s.eservices.Working(ctx, j.EService.ID); err != nil {
		return journey{}, e, false, err
	}
	j.Draft = draft.Draft{EServiceID: j.EService.ID, VersionID: j.Version.ID, Answers: form.Answers{}}
	if a, ok := s.sessions.Get(ctx, previewKey(j)).(form.Answers); ok {
		j.Draft.Answers = a
	}
	return j, e, !j.Version.Definition.Empty(), nil
}

// previewKey is the session key of the preview's answers: per e-service and version, so that a
// new version starts afresh.
func previewKey(j journey) string {
	return "preview:" + j.EService.ID.String() + ":" + j.Version.ID.String()
}

// savePreview keeps the preview's answers in the session.
func (s *Server) savePreview(ctx context.Context, j journey, a form.Answers) {
	s.sessions.Put(ctx, previewKey(j), a)
}

// previewPath is the address of a page of the preview: "" for its start.
func previewPath(j journey, page string) string {
	p := "/personal/etjanster/" + j.EService.ID.String() + "/forhandsgranska"
	if page != "" {
		p += "/" + page
	}
	return p
}

// previewInfo is what the preview's pages show of it.
func previewInfo(ctx context.Context, j journey) *templates.PreviewInfo {
	return &templates.PreviewInfo{
		EService:    j.EService.Title.In(lang(ctx)),
		EditorURL:   "/personal/etjanster/" + j.EService.ID.String() + "/formular",
		ResetAction: previewPath(j, "rensa"),
	}
}

// previewLinks are the step page's links in the preview: its own steps, files by name only, no
// deleting and no saving for later.
func previewLinks(ctx context.Context, j journey) stepLinks {
	return stepLinks{step: func(key string) string { return previewPath(j, "steg/"+key) }, preview: previewInfo(ctx, j)}
}

// previewFiles are the files of the preview's answers: a file field's answer holds the names of
// the files chosen, each with an id made from its field and name (for the remove button).
func previewFiles(def *form.Definition, a form.Answers) []draft.File {
	var files []draft.File
	for _, f := range def.FieldsOfType(form.File) {
		for _, name := range a[f.Key] {
			files = append(files, draft.File{ID: previewFileID(f.Key, name), Field: f.Key, Name: name})
		}
	}
	return files
}

func previewFileID(field, name string) uuid.UUID {
	return uuid.NewSHA1(uuid.NameSpaceOID, []byte("minasidor-preview\x00"+field+"\x00"+name))
}

// previewFileNames maps the names in the answers to themselves, as the summary of the review
// maps file ids to names.
func previewFileNames(files []draft.File) map[string]string {
	m := map[string]string{}
	for _, f := range files {
		m[f.Name] = f.Name
	}
	return m
}

// previewPage is the layout of a preview page titled title: the staff area's, with the
// e-service's operating messages as citizens would see them.
func (s *Server) previewPage(r *http.Request, j journey, title string) templates.Page {
	p := s.page(r, "preview.heading", "eservice_admin")
	p.EServiceID = j.EService.ID.String()
	p.Title = i18n.T(r.Context(), "preview.title", title)
	return p
}
