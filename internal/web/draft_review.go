package web

import (
	"context"
	"net/http"
	"net/url"

	"github.com/minasidor/minasidor/internal/apperr"
	"github.com/minasidor/minasidor/internal/draft"
	"github.com/minasidor/minasidor/internal/form"
	"github.com/minasidor/minasidor/internal/i18n"
	"github.com/minasidor/minasidor/templates"
)

// draftReview shows every answer with a change link, and the submit button.
func (s *Server) draftReview(w http.ResponseWriter, r *http.Request) error {
	j, err := s.loadJourney(r)
	if err != nil {
		return err
	}
	v, err := s.reviewView(r.Context(), j, nil, nil)
	if err != nil {
		return err
	}
	p := s.reviewPage(r, j)
	v.Closed = p.Closed() && j.CaseRef == "" // a supplement to a submitted case is never closed
	return s.render(w, r, http.StatusOK, templates.ReviewPage(p, v))
}

// reviewPage is the layout of the review, with the operating messages of its e-service.
func (s *Server) reviewPage(r *http.Request, j journey) templates.Page {
	p := s.page(r, "review.heading", "eservices")
	p.EServiceID = j.EService.ID.String()
	return p
}

func (s *Server) reviewView(ctx context.Context, j journey, posted url.Values, errs apperr.FieldErrors) (templates.ReviewView, error) {
	lang := string(i18n.FromContext(ctx).Lang)
	files, rule, err := s.drafts.Review(ctx, j.Draft)
	if err != nil {
		return templates.ReviewView{}, err
	}
	steps := j.Version.Definition.VisibleSteps(j.Draft.Answers)
	v := templates.ReviewView{
		EService:      j.EService.Title.In(lang),
		Municipality:  j.EService.Municipality,
		SubmitAction:  "/utkast/" + j.Draft.ID.String() + "/skicka",
		BackURL:       j.stepURL(steps[len(steps)-1].Key),
		Anonymous:     j.EService.AnonymousAllowed,
		LoggedIn:      j.Draft.Saved(),
		Supplementing: j.CaseRef,
	}
	v.Steps = summarize(ctx, lang, j.Version.Definition, j.Draft.Answers, fileNames(files), func(step, input string) string {
		return j.stepURL(step) + "#" + input
	})
	if v.Signing, err = s.signingReview(ctx, j, rule, posted, errs); err != nil {
		return templates.ReviewView{}, err
	}
	if err := s.withHoldNotes(ctx, j, v.Steps); err != nil {
		return templates.ReviewView{}, err
	}
	// A booked time belongs to the citizen's account: such a case is never anonymous.
	if v.Anonymous && hasBookedTime(j.Version.Definition, j.Draft.Answers) {
		v.Anonymous = false
	}
	return v, nil
}

// withHoldNotes tells at each booking field's time of the review whether and until when it is
// held for the draft.
func (s *Server) withHoldNotes(ctx context.Context, j journey, steps []templates.ReviewStep) error {
	def := j.Version.Definition
	if len(def.FieldsOfType(form.Booking)) == 0 || j.Draft.CaseID != nil {
		return nil
	}
	holds, err := s.bookings.Holds(ctx, j.Draft.ID)
	if err != nil {
		return err
	}
	now := s.bookings.Now()
	for i, st := range def.Summary(j.Draft.Answers, "sv", nil) {
		for k, item := range st.Items {
			if item.Type != form.Booking || len(item.Raw) == 0 || i >= len(steps) || k >= len(steps[i].Items) {
				continue
			}
			note := i18n.T(ctx, "booking.field.notHeld")
			for _, h := range holds {
				if start, _, ok := form.ParseBookingValue(item.Raw[0]); ok && h.Field == item.Field && h.Start.Equal(start) {
					note = heldUntil(ctx, h, now)
				}
			}
			steps[i].Items[k].Note = note
		}
	}
	return nil
}

// hasBookedTime reports whether the answers choose a time in a booking field that is shown.
func hasBookedTime(def *form.Definition, a form.Answers) bool {
	visible := def.Visible(a)
	for _, f := range def.FieldsOfType(form.Booking) {
		if visible[f.Key] && len(a[f.Key]) > 0 {
			return true
		}
	}
	return false
}

// summarize turns answers into the steps and items of a review or receipt. change, when given,
// makes each item's change link.
func summarize(ctx context.Context, lang string, def *form.Definition, a form.Answers, files map[string]string, change func(step, input string) string) []templates.ReviewStep {
	var out []templates.ReviewStep
	for _, st := range def.Summary(a, lang, func(key string) string { return i18n.T(ctx, key) }) {
		rs := templates.ReviewStep{Title: st.Title}
		for _, item := range st.Items {
			ri := templates.ReviewItem{Label: item.Label, Values: item.Values}
			if item.Type == form.Booking {
				ri.Values = nil
				for _, raw := range item.Raw {
					if start, end, ok := form.ParseBookingValue(raw); ok {
						ri.Values = append(ri.Values, bookingWhen(ctx, start, end))
					}
				}
			}
			if item.Type == form.File {
				ri.Values = nil
				for _, id := range item.Values {
					if name, ok := files[id]; ok {
						ri.Values = append(ri.Values, name)
					}
				}
			}
			if change != nil {
				ri.ChangeURL = change(st.Key, item.Input)
			}
			rs.Items = append(rs.Items, ri)
		}
		out = append(out, rs)
	}
	return out
}

func fileNames(files []draft.File) map[string]string {
	m := map[string]string{}
	for _, f := range files {
		m[f.ID.String()] = f.Name
	}
	return m
}
