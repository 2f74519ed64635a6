package web

import (
	"fmt"
	"net/http"
	"net/url"
	"slices"
	"strconv"
	"strings"
	"time"

	"github.com/google/uuid"
	"github.com/minasidor/minasidor/internal/apperr"
	"github.com/minasidor/minasidor/internal/booking"
	"github.com/minasidor/minasidor/internal/form"
	"github.com/minasidor/minasidor/internal/i18n"
	"github.com/minasidor/minasidor/templates"
)

// bookingAdminNew is the empty form of a new resource: a 30-minute time for one, weekdays 9–16.
func (s *Server) bookingAdminNew(w http.ResponseWriter, r *http.Request) error {
	in := booking.Settings{SlotMinutes: 30, Capacity: 1, AheadDays: 60, BookBeforeMinutes: 60, CancelBeforeMinutes: 1440, ReminderMinutes: 1440}
	for wd := time.Monday; wd <= time.Friday; wd++ {
		in.Hours = append(in.Hours, booking.Hours{Weekday: wd, Opens: 9 * 60, Closes: 16 * 60})
	}
	return s.renderResourceForm(w, r, uuid.Nil, settingsInputs(in), nil, nil, http.StatusOK, "")
}

// bookingAdminShow is the form of a resource, with its days that differ.
func (s *Server) bookingAdminShow(w http.ResponseWriter, r *http.Request) error {
	id, err := calendarResource(r)
	if err != nil {
		return err
	}
	res, handlers, err := s.bookings.ForAdmin(r.Context(), staffFrom(r.Context()), id)
	if err != nil {
		return err
	}
	in := resourceSettings(res, handlers)
	flash := ""
	switch r.URL.Query().Get("klart") {
	case "sparad":
		flash = "booking.admin.saved"
	case "dag":
		flash = "booking.admin.days.saved"
	}
	return s.renderResourceForm(w, r, id, settingsInputs(in), &savedResource{res, handlers}, nil, http.StatusOK, flash)
}

// resourceSettings are the resource's settings as the form edits them.
func resourceSettings(res booking.Resource, handlers []uuid.UUID) booking.Settings {
	return booking.Settings{Name: res.Name, Place: res.Place, Description: res.Description, SlotMinutes: int(res.Slot / time.Minute),
		Capacity: res.Capacity, AheadDays: res.AheadDays, BookBeforeMinutes: int(res.BookBefore / time.Minute),
		CancelBeforeMinutes: int(res.CancelBefore / time.Minute), ReminderMinutes: int(res.Reminder / time.Minute),
		Hours: res.Hours, Handlers: handlers}
}

// settingsInputs are the form's values of the settings.
func settingsInputs(in booking.Settings) url.Values {
	v := url.Values{}
	for _, lang := range []string{"sv", "en"} {
		v.Set("name_"+lang, in.Name[lang])
		v.Set("place_"+lang, in.Place[lang])
		v.Set("description_"+lang, in.Description[lang])
	}
	for name, n := range map[string]int{booking.FieldSlot: in.SlotMinutes, booking.FieldCapacity: in.Capacity, booking.FieldAhead: in.AheadDays,
		booking.FieldBefore: in.BookBeforeMinutes, booking.FieldCancel: in.CancelBeforeMinutes, booking.FieldReminder: in.ReminderMinutes} {
		v.Set(name, strconv.Itoa(n))
	}
	count := map[time.Weekday]int{}
	for _, h := range in.Hours {
		n := count[h.Weekday]
		if n > 1 {
			continue
		}
		count[h.Weekday]++
		v.Set(hoursInput(h.Weekday, n, "opens"), booking.FormatClock(h.Opens))
		v.Set(hoursInput(h.Weekday, n, "closes"), booking.FormatClock(h.Closes))
	}
	for _, id := range in.Handlers {
		v.Add("handler", id.String())
	}
	return v
}

// hoursInput names the input of a weekday's n:th interval's opening or closing.
func hoursInput(wd time.Weekday, n int, which string) string {
	return fmt.Sprintf("hours_%d_%d_%s", wd, n, which)
}

// parseSettings reads the form; what cannot be read is reported by field.
func parseSettings(f url.Values) (booking.Settings, apperr.FieldErrors) {
	var errs apperr.FieldErrors
	in := booking.Settings{Name: form.Text{}, Place: form.Text{}, Description: form.Text{}}
	for _, lang := range []string{"sv", "en"} {
		for t, name := range map[*form.Text]string{&in.Name: "name_", &in.Place: "place_", &in.Description: "description_"} {
			if v := strings.TrimSpace(f.Get(name + lang)); v != "" {
				(*t)[lang] = v
			}
		}
	}
	for name, n := range map[string]*int{booking.FieldSlot: &in.SlotMinutes, booking.FieldCapacity: &in.Capacity, booking.FieldAhead: &in.AheadDays,
		booking.FieldBefore: &in.BookBeforeMinutes, booking.FieldCancel: &in.CancelBeforeMinutes, booking.FieldReminder: &in.ReminderMinutes} {
		v, err := strconv.Atoi(strings.TrimSpace(f.Get(name)))
		if err != nil {
			errs.Add(name, "booking.admin.error.number")
		}
		*n = v
	}
	for wd := time.Sunday; wd <= time.Saturday; wd++ {
		for n := range 2 {
			o, c := strings.TrimSpace(f.Get(hoursInput(wd, n, "opens"))), strings.TrimSpace(f.Get(hoursInput(wd, n, "closes")))
			if o == "" && c == "" {
				continue
			}
			opens, ok1 := booking.ParseClock(o)
			closes, ok2 := booking.ParseClock(c)
			if !ok1 || !ok2 {
				errs.Add(booking.FieldHours, "booking.admin.error.clock")
				continue
			}
			in.Hours = append(in.Hours, booking.Hours{Weekday: wd, Opens: opens, Closes: closes})
		}
	}
	for _, v := range f["handler"] {
		if id, err := uuid.Parse(v); err == nil {
			in.Handlers = append(in.Handlers, id)
		}
	}
	return in, errs
}

// savedResource is a resource as it is stored, with the staff who handle it.
type savedResource struct {
	booking.Resource
	handlers []uuid.UUID
}

// renderResourceForm shows the form with the values and errors given; res is the resource being
// changed (nil for a new one), for its days that differ and, to the staff member who handles it,
// the link to its calendar.
func (s *Server) renderResourceForm(w http.ResponseWriter, r *http.Request, id uuid.UUID, inputs url.Values, res *savedResource, errs apperr.FieldErrors, status int, flashKey string) error {
	ctx := r.Context()
	m := staffFrom(ctx)
	base := staffPrefix + "/resurser/" + id.String()
	v := templates.ResourceFormView{New: id == uuid.Nil, Action: base, Inputs: map[string]string{}}
	if v.New {
		v.Action = staffPrefix + "/resurser/ny"
	}
	for name := range inputs {
		v.Inputs[name] = inputs.Get(name)
	}
	if flashKey != "" {
		v.Flash = i18n.T(ctx, flashKey)
	}
	for _, e := range errs {
		v.Errors = append(v.Errors, templates.FieldMessage{Field: e.Field, Message: i18n.T(ctx, e.Key)})
	}
	for _, wd := range []time.Weekday{time.Monday, time.Tuesday, time.Wednesday, time.Thursday, time.Friday, time.Saturday, time.Sunday} {
		day := templates.WeekdayHoursView{Label: capitalize(i18n.T(ctx, fmt.Sprintf("booking.weekday.%d", wd)))}
		for n := range 2 {
			o, c := hoursInput(wd, n, "opens"), hoursInput(wd, n, "closes")
			day.Intervals[n] = templates.IntervalInputs{Opens: o, Closes: c, OpensValue: inputs.Get(o), ClosesValue: inputs.Get(c)}
		}
		v.Weekdays = append(v.Weekdays, day)
	}
	staffList, err := s.staff.List(ctx, m.TenantID)
	if err != nil {
		return err
	}
	for _, st := range staffList {
		if !st.Active {
			continue
		}
		v.Staff = append(v.Staff, templates.StaffChoice{ID: st.ID.String(), Name: st.Name, Checked: slices.Contains(inputs["handler"], st.ID.String())})
	}
	if res != nil {
		v.DayAction, v.Archive, v.BookURL = base+"/dagar", base+"/arkivera", "/boka/"+id.String()
		if slices.Contains(res.handlers, m.ID) { // the calendar shows the bookers to its handlers only
			v.CalendarURL = staffPrefix + "/bokningar/" + id.String()
		}
		for _, e := range res.Exceptions {
			hours := i18n.T(ctx, "booking.admin.days.closedDay")
			if !e.Closed {
				hours = booking.FormatClock(e.Opens) + "–" + booking.FormatClock(e.Closes)
			}
			day, _ := time.ParseInLocation("2006-01-02", e.Day, i18n.Stockholm)
			v.Exceptions = append(v.Exceptions, templates.ExceptionView{Day: bookingDate(ctx, day), Hours: hours, Remove: base + "/dagar/" + e.Day + "/ta-bort"})
		}
	}
	p := s.page(r, "booking.admin.heading", "eservice_admin")
	if !v.New {
		p.Title = v.Inputs["name_sv"]
	}
	return s.render(w, r, status, templates.ResourceFormPage(p, v))
}

// capitalize makes the first letter upper case.
func capitalize(s string) string {
	if s == "" {
		return s
	}
	r := []rune(s)
	return strings.ToUpper(string(r[0])) + string(r[1:])
}
