package web

import (
	"bytes"
	"errors"
	"io"
	"net/http"

	"github.com/minasidor/minasidor/internal/apperr"
	"github.com/minasidor/minasidor/internal/tenant"
)

// logoPolicy is the content security policy of the logo: an SVG opened on its own runs nothing,
// loads nothing and is sandboxed; as an img it could not anyway.
const logoPolicy = "default-src 'none'; style-src 'unsafe-inline'; img-src data:; sandbox"

// municipalityLogo serves the municipality's logo to anyone. Its address carries the version
// (?v=), so that a page can let browsers keep it for long; without the right version it is kept
// for a few minutes only.
func (s *Server) municipalityLogo(w http.ResponseWriter, r *http.Request) error {
	ctx := r.Context()
	t, _ := tenantFrom(ctx)
	logo, err := s.tenants.Logo(ctx, t.ID)
	if err != nil {
		return err
	}
	h := w.Header()
	h.Set("Content-Type", logo.Type)
	h.Set("Content-Security-Policy", logoPolicy)
	h.Set("Cross-Origin-Resource-Policy", "same-origin")
	h.Set("ETag", logo.ETag())
	if r.URL.Query().Get("v") == logo.Version() {
		h.Set("Cache-Control", "public, max-age=31536000, immutable")
	} else {
		h.Set("Cache-Control", "public, max-age=300")
	}
	http.ServeContent(w, r, "", logo.UpdatedAt, bytes.NewReader(logo.Data))
	return nil
}

// municipalityLogoUpload makes an uploaded picture the municipality's logo. A file that is not a
// picture of the kinds allowed, or is too large, is refused on the settings page.
func (s *Server) municipalityLogoUpload(w http.ResponseWriter, r *http.Request) error {
	ctx := r.Context()
	admin := staffFrom(ctx)
	if err := r.ParseMultipartForm(1 << 20); err != nil {
		var tooLarge *http.MaxBytesError
		if errors.As(err, &tooLarge) {
			return err
		}
		return apperr.Wrap(apperr.Invalid, "", err)
	}
	var data []byte
	file, _, err := r.FormFile(tenant.FieldLogo)
	switch {
	case err == nil:
		defer file.Close()
		if data, err = io.ReadAll(io.LimitReader(file, tenant.MaxLogoBytes+1)); err != nil {
			return err
		}
	case !errors.Is(err, http.ErrMissingFile):
		return apperr.Wrap(apperr.Invalid, "", err)
	}
	err = s.tenants.SetLogo(ctx, admin.Actor(), data)
	var invalid apperr.FieldErrors
	if errors.As(err, &invalid) {
		for _, fe := range invalid {
			s.uploadRefused(fe.Key)
		}
		current, err := s.tenants.Settings(ctx, admin.TenantID)
		if err != nil {
			return err
		}
		return s.municipalityRefused(w, r, current, invalid)
	}
	if err != nil {
		return err
	}
	http.Redirect(w, r, staffPrefix+"/admin/kommun?klart=logo", http.StatusSeeOther)
	return nil
}

// municipalityLogoRemove removes the municipality's logo.
func (s *Server) municipalityLogoRemove(w http.ResponseWriter, r *http.Request) error {
	ctx := r.Context()
	if err := s.tenants.RemoveLogo(ctx, staffFrom(ctx).Actor()); err != nil {
		return err
	}
	http.Redirect(w, r, staffPrefix+"/admin/kommun?klart=logo_removed", http.StatusSeeOther)
	return nil
}
