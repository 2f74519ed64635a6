package web

import (
	"context"
	"net/http"
	"strings"
	"time"

	"github.com/go-chi/chi/v5"
	"github.com/google/uuid"
	"github.com/minasidor/minasidor/internal/apperr"
	"github.com/minasidor/minasidor/internal/casework"
	"github.com/minasidor/minasidor/internal/i18n"
	"github.com/minasidor/minasidor/internal/message"
	"github.com/minasidor/minasidor/internal/organisation"
	"github.com/minasidor/minasidor/internal/retention"
	"github.com/minasidor/minasidor/templates"
)

// loadOwnCase returns the case named in the address if it is the logged-in citizen's; any other
// case, an anonymous one included, is not found, and so is one that has left the citizen's
// account under the retention rules.
func (s *Server) loadOwnCase(r *http.Request) (casework.Case, error) {
	id, err := uuid.Parse(chi.URLParam(r, "case"))
	if err != nil {
		return casework.Case{}, apperr.New(apperr.NotFound, "")
	}
	c, err := s.cases.Get(r.Context(), id)
	if err != nil {
		return casework.Case{}, err
	}
	if c.AccountID == nil || *c.AccountID != s.citizenID(r.Context()) || c.RemovedFromAccount {
		return casework.Case{}, apperr.New(apperr.NotFound, "")
	}
	return c, nil
}

// caseShow is the citizen's page of a case (theirs, or one made for an organisation they may act
// for now, with who acted): status, the messages (marked read as they are
// shown), the timeline, and the answers exactly as submitted with their files, read at once.
func (s *Server) caseShow(w http.ResponseWriter, r *http.Request) error {
	id, err := uuid.Parse(chi.URLParam(r, "case"))
	if err != nil {
		return apperr.New(apperr.NotFound, "")
	}
	ctx := r.Context()
	d, err := s.cases.ForCitizen(ctx, s.citizenID(ctx), id)
	if err != nil {
		return err
	}
	v := s.caseView(ctx, d.Dossier, false)
	v.Sent = r.URL.Query().Get("skickat") == "1"
	if at := retention.LeavesAccountAt(d.Case.ClosedAt, d.EService.RetentionMonths); at != nil {
		v.LeavesAt = at.In(i18n.Stockholm).Format("2006-01-02")
	}
	for _, rd := range d.Readers {
		who := rd.Name
		if rd.Unit != "" {
			who += ", " + rd.Unit
		}
		v.Readers = append(v.Readers, templates.TimelineItem{When: i18n.DateTime(rd.At), What: who})
	}
	v.Supplemented = r.URL.Query().Get("kompletterat") == "1"
	v.Withdrawn = r.URL.Query().Get("aterkallat") == "1"
	if rp := d.Representation; rp != nil {
		org := rp.OrgName + " (" + organisation.FormatNumber(rp.OrgNumber) + ")"
		switch {
		case rp.Refused:
			v.OrgCheck, v.OrgRefused = i18n.T(ctx, "orgcheck.citizen.refused", org), true
		case rp.CheckedAt == nil:
			v.OrgCheck = i18n.T(ctx, "orgcheck.citizen.unchecked", org)
		}
	}
	if !v.Closed && !d.Representative { // only the one who made it withdraws it
		v.WithdrawURL = "/arenden/" + id.String() + "/aterkalla"
	}
	if c := d.Case; c.OrgNumber != "" {
		v.ActedFor = c.OrgName + " (" + organisation.FormatNumber(c.OrgNumber) + ")"
	}
	if d.Representative {
		// Another representative reads it: the citizen's messages are those of the one who acted.
		v.Representative, v.ActedBy = true, d.ActedBy
		for i := range v.Messages {
			if v.Messages[i].FromMe {
				v.Messages[i].Author = d.ActedBy
			}
		}
	}
	return s.renderCase(w, r, http.StatusOK, v)
}

func (s *Server) renderCase(w http.ResponseWriter, r *http.Request, status int, v templates.CaseView) error {
	p := s.page(r, "cases.heading", "mypages")
	p.Title = i18n.T(r.Context(), "case.heading", v.Reference)
	return s.render(w, r, status, templates.CasePage(p, v))
}

// caseView builds a case's page. The citizen's timeline leaves out the caseworkers' internal
// notes; the staff's (forStaff) has them.
func (s *Server) caseView(ctx context.Context, d casework.Dossier, forStaff bool) templates.CaseView {
	c, statuses := d.Case, d.Statuses
	rc := receiptFrom(ctx, c, d.EService, d.Version, d.Files)
	lang := string(i18n.FromContext(ctx).Lang)
	// A status is named by its key; a change recorded by type alone by the first status of that
	// type, which is the one the case took.
	statusLabel := func(typ, key string) string {
		for _, st := range statuses {
			if st.Key == key {
				return st.Label.In(lang)
			}
		}
		for _, st := range statuses {
			if st.Type == typ {
				return st.Label.In(lang)
			}
		}
		return i18n.T(ctx, "status."+typ)
	}
	events, thread := d.Events, d.Messages
	base := "/arenden/" + c.ID.String()
	fileView := func(id uuid.UUID, name string, size int64) templates.FileView {
		return templates.FileView{ID: id.String(), Name: name, Size: byteSize(size), URL: base + "/filer/" + id.String()}
	}
	v := templates.CaseView{
		Reference:    c.Reference,
		EService:     rc.eservice,
		Municipality: rc.municipality,
		Submitted:    i18n.DateTime(c.SubmittedAt),
		Status:       statusLabel(c.Status, c.StatusKey),
		Closed:       c.Status == casework.StatusClosed,
		SendAction:   base + "/meddelanden",
		FilesHint:    i18n.T(ctx, "case.message.files.hint", typeNames(ctx, message.AttachmentTypes)),
		FilesAccept:  strings.Join(message.AttachmentTypes, ","),
		ReceiptURL:   base + "/kvitto",
		Steps:        rc.steps,
	}
	v.Decision = d.Decision
	v.Signatures = signatureItems(ctx, d.Signatures)
	for _, f := range rc.files {
		v.Files = append(v.Files, fileView(f.ID, f.Name, f.Size))
	}
	if req := d.Request; req != nil {
		v.Request, v.RequestedAt = req.Request, i18n.DateTime(req.RequestedAt)
		v.SupplementAction = base + "/komplettera"
	}
	for _, ev := range events {
		if ev.Kind == "note" && !forStaff {
			continue
		}
		what := eventText(ctx, ev)
		if ev.Kind == "status" {
			what = i18n.T(ctx, "event.status.to", statusLabel(ev.Status, ev.StatusKey))
		}
		v.Timeline = append(v.Timeline, templates.TimelineItem{When: i18n.DateTime(ev.At), What: what})
	}
	for _, m := range thread {
		mv := templates.MessageView{FromMe: m.Sender == message.Citizen, When: i18n.DateTime(m.CreatedAt), Body: m.Body, Author: m.AuthorName}
		if mv.FromMe {
			mv.Author = i18n.T(ctx, "case.message.me")
		}
		for _, a := range m.Attachments {
			mv.Files = append(mv.Files, fileView(a.ID, a.Name, a.Size))
		}
		v.Messages = append(v.Messages, mv)
	}
	return v
}

// eventText names an event of a case's history by its kind; a booking's event names its time too.
func eventText(ctx context.Context, ev casework.Event) string {
	if start, err := time.Parse(time.RFC3339, ev.Start); err == nil {
		if end, err := time.Parse(time.RFC3339, ev.End); err == nil {
			return i18n.T(ctx, "event."+ev.Kind+".at", bookingWhen(ctx, start, end))
		}
	}
	return i18n.T(ctx, "event."+ev.Kind)
}
