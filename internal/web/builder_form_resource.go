package web

import (
	"context"
	"slices"

	"github.com/google/uuid"
	"github.com/minasidor/minasidor/internal/apperr"
	"github.com/minasidor/minasidor/internal/booking"
	"github.com/minasidor/minasidor/internal/form"
	"github.com/minasidor/minasidor/internal/i18n"
	"github.com/minasidor/minasidor/templates"
)

// A booking field books one of the municipality's resources: the field's form offers them by
// name, and refuses one that is not the municipality's (or is archived).

// withResources fills in the resources a booking field's form offers; chosen stays offered even
// when it is no longer bookable, so that the form shows what the field has.
func (s *Server) withResources(ctx context.Context, tenantID uuid.UUID, v *templates.EditorFieldView) error {
	if !v.HasResource {
		return nil
	}
	list, err := s.bookings.Resources(ctx, tenantID)
	if err != nil {
		return err
	}
	lang := string(i18n.FromContext(ctx).Lang)
	for _, r := range list {
		v.Resources = append(v.Resources, templates.Choice{Value: r.Slug, Label: r.Name.In(lang)})
	}
	if v.Resource != "" && !slices.ContainsFunc(v.Resources, func(c templates.Choice) bool { return c.Value == v.Resource }) {
		v.Resources = append(v.Resources, templates.Choice{Value: v.Resource, Label: i18n.T(ctx, "booking.editor.resource.gone", v.Resource)})
	}
	return nil
}

// checkResource adds a problem at the resource's input when a booking field names a resource
// that the municipality cannot book now. A field without one is the definition check's to report.
func (s *Server) checkResource(ctx context.Context, tenantID uuid.UUID, f form.Field, errs *apperr.FieldErrors) error {
	if f.Type != form.Booking || f.Resource == "" {
		return nil
	}
	list, err := s.bookings.Resources(ctx, tenantID)
	if err != nil {
		return err
	}
	if !slices.ContainsFunc(list, func(r booking.Resource) bool { return r.Slug == f.Resource }) {
		errs.Add("resource", "booking.editor.error.resource")
	}
	return nil
}
