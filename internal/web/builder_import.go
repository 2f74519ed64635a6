package web

import (
	"context"
	"net/http"
	"strings"

	"github.com/minasidor/minasidor/internal/eservice"
	"github.com/minasidor/minasidor/internal/i18n"
	"github.com/minasidor/minasidor/templates"
)

// builderImport shows the page that imports an e-service from a JSON document exported by
// another municipality (or this one): a file, or the document pasted.
func (s *Server) builderImport(w http.ResponseWriter, r *http.Request) error {
	return s.renderImport(w, r, templates.BuilderImportView{}, http.StatusOK)
}

func (s *Server) renderImport(w http.ResponseWriter, r *http.Request, v templates.BuilderImportView, status int) error {
	v.MaxKB = eservice.MaxDocumentBytes >> 10
	p := s.page(r, "exchange.import.heading", "eservice_admin")
	if len(v.Problems) > 0 {
		p.Title = i18n.T(r.Context(), "form.errors.title", p.Title)
	}
	return s.render(w, r, status, templates.BuilderImportPage(p, v))
}

// documentProblems translates the problems of a refused document. A problem of the form names
// its step and field, by their texts in the document, or their keys; nothing is linked, since
// nothing is stored.
func documentProblems(ctx context.Context, de eservice.DocumentErrors) []string {
	l := lang(ctx)
	name := func(text, key string) string {
		if t := strings.TrimSpace(text); t != "" {
			return t
		}
		return key
	}
	out := make([]string, 0, len(de))
	for _, p := range de {
		msg := i18n.T(ctx, p.Key, p.Args...)
		step := name(p.StepTitle.In(l), p.Step)
		field := name(p.FieldLabel.In(l), p.Field)
		switch {
		case field != "" && step != "":
			msg = i18n.T(ctx, "exchange.problem.field", step, field, msg)
		case step != "":
			msg = i18n.T(ctx, "exchange.problem.step", step, msg)
		case strings.HasPrefix(p.Path, "definition."):
			msg = i18n.T(ctx, "exchange.problem.form", msg)
		}
		out = append(out, msg)
	}
	return out
}
