package web

import (
	"context"
	"strconv"

	"github.com/google/uuid"
	"github.com/minasidor/minasidor/internal/casework"
	"github.com/minasidor/minasidor/internal/i18n"
	"github.com/minasidor/minasidor/internal/message"
	"github.com/minasidor/minasidor/internal/organisation"
	"github.com/minasidor/minasidor/internal/staff"
	"github.com/minasidor/minasidor/templates"
)

// staffCaseView builds the caseworker's page of a case from its dossier: the case to read (the
// applicant, the answers, the supplements and what they changed, the messages, the notes, the
// history saying who did what) and the actions on it.
func (s *Server) staffCaseView(ctx context.Context, m staff.Member, d casework.CaseworkerDossier) templates.StaffCaseView {
	c := d.Case
	cv := s.caseView(ctx, d.Dossier, true) // answers, files, the thread
	base := staffPrefix + "/arenden/" + c.ID.String()
	v := templates.StaffCaseView{
		Base: base, Reference: c.Reference, EService: cv.EService, Status: cv.Status, Closed: cv.Closed,
		Submitted: cv.Submitted, Steps: cv.Steps, Decision: cv.Decision, Request: cv.Request, RequestedAt: cv.RequestedAt,
		Anonymous: c.Anonymous, HasAccount: d.Applicant != nil,
	}
	v.Applicant = applicantName(ctx, d)
	v.Signatures = cv.Signatures
	for _, f := range cv.Files {
		f.URL = base + "/filer/" + f.ID
		v.Files = append(v.Files, f)
	}
	// The staff side: the caseworkers' messages are "mine"; the applicant's are theirs, by name.
	v.Messages = cv.Messages
	for i := range v.Messages {
		v.Messages[i].FromMe = !v.Messages[i].FromMe
		if !v.Messages[i].FromMe {
			v.Messages[i].Author = v.Applicant
			if a := d.Messages[i].AuthorName; a != "" && d.Messages[i].Sender == message.Citizen {
				v.Messages[i].Author = a
			}
		}
		for j := range v.Messages[i].Files {
			v.Messages[i].Files[j].URL = base + "/filer/" + v.Messages[i].Files[j].ID
		}
	}
	lang := string(i18n.FromContext(ctx).Lang)
	tr := func(key string) string { return i18n.T(ctx, key) }
	for _, sup := range d.Supplements(lang, tr) {
		sv := templates.SupplementView{
			Title:   i18n.T(ctx, "casepage.supplement.title", strconv.Itoa(sup.Revision-1)),
			When:    i18n.DateTime(sup.At),
			Request: sup.Request,
		}
		for _, ch := range sup.Changes {
			sv.Changes = append(sv.Changes, templates.ChangeView{Step: ch.Step, Label: ch.Label,
				Before: ch.Before, After: ch.After, Files: ch.Files, Added: ch.Added, Removed: ch.Removed})
		}
		v.Supplements = append(v.Supplements, sv)
	}
	v.Timeline = staffTimeline(ctx, d, v.Applicant)
	for _, st := range d.Statuses {
		if st.Type == casework.StatusSubmitted || st.Type == casework.StatusInProgress {
			v.Statuses = append(v.Statuses, templates.Choice{Value: st.Key, Label: st.Label.In(lang)})
		}
	}
	v.StatusKey = c.StatusKey
	for _, tpl := range d.Templates {
		v.Templates = append(v.Templates, templates.Choice{Value: tpl.ID.String(), Label: tpl.Title})
	}
	h := d.Handling
	v.Flagged, v.AssignedToMe, v.Assignee = h.Flagged, h.AssigneeID == m.ID, h.AssigneeName
	if h.AssigneeID != uuid.Nil {
		v.AssigneeID = h.AssigneeID.String()
	}
	for _, cw := range d.Caseworkers {
		v.Caseworkers = append(v.Caseworkers, templates.Choice{Value: cw.ID.String(), Label: cw.Name})
	}
	if v.Assignee == "" {
		v.Assignee = i18n.T(ctx, "queue.nobody")
	}
	if acct := d.Applicant; acct != nil {
		v.Protected = acct.Protected
		v.Citizen = []templates.Fact{
			{Label: i18n.T(ctx, "profile.name"), Text: acct.DisplayName},
			{Label: i18n.T(ctx, "profile.pnr"), Text: acct.PersonalNumber.Formatted()},
		}
		if acct.Email != "" {
			v.Citizen = append(v.Citizen, templates.Fact{Label: i18n.T(ctx, "profile.email"), Text: acct.Email})
		}
		if acct.Phone != "" {
			v.Citizen = append(v.Citizen, templates.Fact{Label: i18n.T(ctx, "profile.phone"), Text: acct.Phone})
		}
	}
	if c.OrgNumber != "" {
		// The applicant acted for an organisation: who acted is the applicant above.
		key := "org.staff.company"
		if c.OrgKind == organisation.Association {
			key = "org.staff.association"
			if d.Representation != nil { // a caseworker checks it: the panel says how it stands
				key = "orgcheck.staff.association"
			}
		}
		v.Citizen = append(v.Citizen, templates.Fact{Label: i18n.T(ctx, "org.staff.label"),
			Text: i18n.T(ctx, key, c.OrgName, organisation.FormatNumber(c.OrgNumber))})
	}
	if rp := d.Representation; rp != nil {
		rv := &templates.RepresentationView{Name: rp.Name, Role: rp.Role, CheckedBy: rp.CheckedBy, State: "unchecked",
			Org: rp.OrgName + " (" + organisation.FormatNumber(rp.OrgNumber) + ")"}
		if rp.CheckedAt != nil {
			rv.State, rv.CheckedAt = "confirmed", i18n.DateTime(*rp.CheckedAt)
			if rp.Refused {
				rv.State = "refused"
			}
			rv.Earlier = rp.CheckedOn == nil || *rp.CheckedOn != c.ID
		}
		v.Representation = rv
	}
	for _, n := range d.Notes {
		v.Notes = append(v.Notes, templates.MessageView{Author: n.Author, When: i18n.DateTime(n.At), Body: n.Body})
	}
	return v
}

// applicantName is what the caseworker's pages call the applicant: their name, "Anonym" for a
// case submitted anonymously, and "the applicant" for one sent without logging in.
func applicantName(ctx context.Context, d casework.CaseworkerDossier) string {
	switch {
	case d.Applicant != nil && d.Applicant.DisplayName != "":
		return d.Applicant.DisplayName
	case d.Case.Anonymous:
		return i18n.T(ctx, "casepage.anonymous")
	default:
		return i18n.T(ctx, "casepage.applicant")
	}
}

// staffTimeline is the case's history as the caseworker reads it: when, who (a caseworker by
// name, the applicant, or the system) and what they did.
func staffTimeline(ctx context.Context, d casework.CaseworkerDossier, applicant string) []templates.TimelineItem {
	lang := string(i18n.FromContext(ctx).Lang)
	statusLabel := func(ev casework.Event) string {
		for _, st := range d.Statuses {
			if st.Key == ev.StatusKey {
				return st.Label.In(lang)
			}
		}
		for _, st := range d.Statuses {
			if st.Type == ev.Status {
				return st.Label.In(lang)
			}
		}
		return i18n.T(ctx, "status."+ev.Status)
	}
	var out []templates.TimelineItem
	for _, ev := range d.Events {
		who := ev.Actor
		switch {
		case ev.ByApplicant:
			who = applicant
		case who == "" && ev.Kind == "message":
			who = i18n.T(ctx, "casepage.who.staff")
		case who == "":
			who = i18n.T(ctx, "casepage.who.system")
		}
		var what string
		switch ev.Kind {
		case "submitted":
			what = i18n.T(ctx, "casepage.did.submitted")
		case "supplemented":
			what = i18n.T(ctx, "casepage.did.supplemented")
		case "message":
			what = i18n.T(ctx, "casepage.did.message")
		case "note":
			what = i18n.T(ctx, "casepage.did.note")
		case "assigned":
			what = i18n.T(ctx, "casepage.did.unassigned")
			if ev.To != "" {
				what = i18n.T(ctx, "casepage.did.assigned", ev.To)
			}
		case "withdrawn":
			what = i18n.T(ctx, "casepage.did.withdrawn")
			if ev.Reason != "" {
				what = i18n.T(ctx, "casepage.did.withdrawn.reason", ev.Reason)
			}
		case "status":
			switch ev.Status {
			case casework.StatusClosed:
				what = i18n.T(ctx, "casepage.did.closed")
			case casework.StatusWaitingSupplement:
				what = i18n.T(ctx, "casepage.did.requested")
			default:
				what = i18n.T(ctx, "casepage.did.status", statusLabel(ev))
			}
		default:
			what = eventText(ctx, ev)
		}
		out = append(out, templates.TimelineItem{When: i18n.DateTime(ev.At), Who: who, What: what})
	}
	return out
}
