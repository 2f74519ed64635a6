package web

import (
	"context"
	"errors"
	"net/http"
	"time"

	"github.com/go-chi/chi/v5"
	"github.com/google/uuid"
	"github.com/minasidor/minasidor/internal/apperr"
	"github.com/minasidor/minasidor/internal/booking"
	"github.com/minasidor/minasidor/internal/casework"
	"github.com/minasidor/minasidor/internal/draft"
	"github.com/minasidor/minasidor/internal/i18n"
	"github.com/minasidor/minasidor/templates"
)

// caseSubmit turns the draft into a case and shows the receipt. A second submit of the same
// draft (a double click, the back button, a retried request) leads to the same receipt.
func (s *Server) caseSubmit(w http.ResponseWriter, r *http.Request) error {
	ctx := r.Context()
	if err := r.ParseForm(); err != nil {
		return apperr.Wrap(apperr.Invalid, "", err)
	}
	j, err := s.loadJourney(r)
	if errors.Is(err, draft.ErrNotFound) {
		return s.alreadySubmitted(w, r)
	}
	if err != nil {
		return err
	}
	if j.Draft.CaseID != nil {
		return s.supplementSubmit(w, r, j)
	}
	who := casework.Submitter{
		AccountID:  s.citizenID(ctx),
		Anonymous:  r.PostForm.Get("anonymous") == "yes",
		VisitorKey: s.draftOwner(ctx).SessionKey,
	}
	c, err := s.cases.Submit(ctx, j.Draft, j.EService, j.Version, who, time.Now())
	var incomplete *casework.IncompleteError
	var once *casework.AlreadySubmittedError
	var lost *casework.BookingError
	switch {
	case errors.As(err, &incomplete):
		http.Redirect(w, r, j.stepURL(incomplete.Step)+"?kontrollera=1", http.StatusSeeOther)
		return nil
	case errors.As(err, &lost):
		// The time was no longer held and someone else took it (or it is too late to book):
		// the step shows why, with the free times, and nothing else of the draft changes.
		step, ok := visibleStep(j.Version.Definition, j.Draft.Answers, lost.Step)
		if !ok {
			return err
		}
		key := "booking.field.error.lost"
		if errors.Is(lost, booking.ErrNotBookable) {
			key = "booking.field.error.tooLate"
		}
		return s.renderStep(w, r, j, step, apperr.FieldErrors{{Field: lost.Field, Key: key}}, http.StatusConflict)
	case errors.Is(err, casework.ErrAnonymousBooking):
		v, err := s.reviewView(ctx, j, nil, nil)
		if err != nil {
			return err
		}
		v.Error = i18n.T(ctx, "booking.field.error.anonymous")
		return s.render(w, r, http.StatusUnprocessableEntity, templates.ReviewPage(s.reviewPage(r, j), v))
	case errors.As(err, &once):
		v, err := s.reviewView(ctx, j, nil, nil)
		if err != nil {
			return err
		}
		v.Error = onceRefusal(ctx, j)
		if once.Mine {
			v.ExistingURL, v.ExistingRef = "/arenden/"+once.CaseID.String(), once.Reference
		}
		return s.render(w, r, http.StatusConflict, templates.ReviewPage(s.reviewPage(r, j), v))
	case errors.Is(err, casework.ErrSignaturesRequired):
		// The e-service requires signatures: the review offers to sign and send instead.
		v, err := s.reviewView(ctx, j, nil, nil)
		if err != nil {
			return err
		}
		v.Error = i18n.T(ctx, "error.submit.signatures")
		return s.render(w, r, http.StatusConflict, templates.ReviewPage(s.reviewPage(r, j), v))
	case errors.Is(err, casework.ErrEServiceClosed):
		// An operating message closes the e-service for new cases: the draft stays as it is.
		v, err := s.reviewView(ctx, j, nil, nil)
		if err != nil {
			return err
		}
		v.Error, v.Closed = i18n.T(ctx, "bulletin.error.closed.submit"), true
		return s.render(w, r, http.StatusConflict, templates.ReviewPage(s.reviewPage(r, j), v))
	case errors.Is(err, casework.ErrLoginRequired):
		http.Redirect(w, r, loginPath(j.reviewURL()), http.StatusSeeOther)
		return nil
	case err != nil:
		return err
	}
	if !s.receiptReader(ctx).Submitted(c) { // submitted anonymously while logged in: only this session may
		s.rememberReceipt(ctx, c.ID)
	}
	s.log.InfoContext(ctx, "case submitted", "request_id", requestID(ctx), "case", c.ID, "reference", c.Reference, "anonymous", c.Anonymous)
	http.Redirect(w, r, "/arenden/"+c.ID.String()+"/kvitto", http.StatusSeeOther)
	return nil
}

// supplementSubmit sends the supplement as the case's next revision and returns to the case.
func (s *Server) supplementSubmit(w http.ResponseWriter, r *http.Request, j journey) error {
	c, err := s.cases.SubmitSupplement(r.Context(), j.Draft, j.Version, time.Now())
	var incomplete *casework.IncompleteError
	if errors.As(err, &incomplete) {
		http.Redirect(w, r, j.stepURL(incomplete.Step)+"?kontrollera=1", http.StatusSeeOther)
		return nil
	}
	if err != nil {
		return err
	}
	http.Redirect(w, r, "/arenden/"+c.ID.String()+"?kompletterat=1", http.StatusSeeOther)
	return nil
}

// alreadySubmitted answers a submit of a draft that was submitted already: the receipt of the
// case it became, or the case it supplemented, if the case is the caller's.
func (s *Server) alreadySubmitted(w http.ResponseWriter, r *http.Request) error {
	id, err := uuid.Parse(chi.URLParam(r, "draft"))
	if err != nil {
		return apperr.New(apperr.NotFound, "")
	}
	if c, err := s.cases.BySupplementDraft(r.Context(), id); err == nil && c.AccountID != nil && *c.AccountID == s.citizenID(r.Context()) {
		http.Redirect(w, r, "/arenden/"+c.ID.String()+"?kompletterat=1", http.StatusSeeOther)
		return nil
	}
	c, err := s.cases.BySourceDraft(r.Context(), id)
	if err != nil {
		return err
	}
	if !s.receiptReader(r.Context()).Submitted(c) {
		return apperr.New(apperr.NotFound, "")
	}
	http.Redirect(w, r, "/arenden/"+c.ID.String()+"/kvitto", http.StatusSeeOther)
	return nil
}

// onceRefusal says why a once-only e-service refused the submit, naming what counted: the answer
// to the question that names the person (a child's personal number), or the submitter's own
// personal number or e-mail address.
func onceRefusal(ctx context.Context, j journey) string {
	e := j.EService
	if e.OnceOnlyField != "" && j.Version.Definition != nil {
		if f, ok := j.Version.Definition.Field(e.OnceOnlyField); ok {
			return i18n.T(ctx, "once.exists.field.named", f.Label.In(string(i18n.FromContext(ctx).Lang)))
		}
	}
	return i18n.T(ctx, e.OnceOnlyRefusal())
}
