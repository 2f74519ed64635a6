package web

import (
	"net/http"

	"github.com/minasidor/minasidor/internal/extract"
	"github.com/minasidor/minasidor/internal/i18n"
	"github.com/minasidor/minasidor/templates"
)

// rightsFormat describes the register extract's JSON format, object by object and field by
// field, for anyone (a citizen moving their data, a developer reading it).
func (s *Server) rightsFormat(w http.ResponseWriter, r *http.Request) error {
	ctx := r.Context()
	v := templates.FormatView{Format: extract.Format, Version: extract.Version}
	for _, o := range extract.Objects() {
		fo := templates.FormatObject{Name: o.Name, Text: i18n.T(ctx, o.Key())}
		for _, f := range o.Fields {
			ff := templates.FormatField{Name: f.Name, Text: i18n.T(ctx, o.FieldKey(f))}
			ff.Type = i18n.T(ctx, "rights.format.type."+f.Type)
			switch f.Type {
			case "object":
				ff.Type, ff.Ref = f.Of, f.Of
			case "list":
				ff.Type = i18n.T(ctx, "rights.format.listOf", f.Of)
				if f.Of != "string" && f.Of != "number" && f.Of != "uuid" && f.Of != "time" && f.Of != "boolean" {
					ff.Ref = f.Of
				}
			}
			if f.Null {
				ff.Type += " " + i18n.T(ctx, "rights.format.orNull")
			}
			fo.Fields = append(fo.Fields, ff)
		}
		v.Objects = append(v.Objects, fo)
	}
	return s.render(w, r, http.StatusOK, templates.FormatPage(s.page(r, "rights.format.page", ""), v))
}
