package web

import (
	"net/http"
	"strconv"
	"strings"

	"github.com/go-chi/chi/v5"
	"github.com/google/uuid"
	"github.com/minasidor/minasidor/internal/apperr"
	"github.com/minasidor/minasidor/internal/eservice"
	"github.com/minasidor/minasidor/internal/i18n"
	"github.com/minasidor/minasidor/templates"
)

// builderStatuses lists the e-service's statuses in order, each with its form, and a form to
// add one.
func (s *Server) builderStatuses(w http.ResponseWriter, r *http.Request) error {
	e, err := s.builderEService(r)
	if err != nil {
		return err
	}
	v, err := s.statusesView(r, e)
	if err != nil {
		return err
	}
	return s.render(w, r, http.StatusOK, templates.ESStatusesPage(s.page(r, "esettings.page.statuses", "eservice_admin"), v))
}

// statusesView is the statuses page with every form as stored and an empty one to add.
func (s *Server) statusesView(r *http.Request, e eservice.Listed) (templates.ESStatusesView, error) {
	ctx := r.Context()
	h := s.builderHead(r, e)
	list, err := s.eservices.Statuses(ctx, e.ID)
	if err != nil {
		return templates.ESStatusesView{}, err
	}
	v := templates.ESStatusesView{Head: h, New: templates.ESStatusForm{Prefix: "new-", Type: eservice.StatusInProgress}}
	for _, typ := range eservice.StatusTypes {
		v.Types = append(v.Types, templates.Choice{Value: typ, Label: i18n.T(ctx, "esettings.statusType."+typ)})
	}
	for i, st := range list {
		row := templates.ESStatusRow{ID: st.ID.String(), Key: st.Key, Label: st.Label.In(lang(ctx)), LabelSV: st.Label["sv"],
			LabelEN: st.Label["en"], TypeText: i18n.T(ctx, "esettings.statusType."+st.Type), Cases: st.Cases,
			First: i == 0, Last: i == len(list)-1, Path: h.Path("statusar/" + st.ID.String()),
			Form: templates.ESStatusForm{Prefix: "status-" + st.ID.String() + "-", LabelSV: st.Label["sv"], LabelEN: st.Label["en"], Type: st.Type}}
		if st.HandlingDays > 0 {
			row.Days = strconv.Itoa(st.HandlingDays)
			row.Form.HandlingDays = row.Days
		}
		v.Statuses = append(v.Statuses, row)
	}
	return v, nil
}

// statusInput reads a status's form; a handling time that cannot be read is refused by the
// range check, with its message.
func statusInput(r *http.Request) (eservice.StatusInput, templates.ESStatusForm, error) {
	if err := r.ParseForm(); err != nil {
		return eservice.StatusInput{}, templates.ESStatusForm{}, apperr.Wrap(apperr.Invalid, "", err)
	}
	f := r.PostForm
	typed := templates.ESStatusForm{LabelSV: f.Get("label_sv"), LabelEN: f.Get("label_en"), Type: f.Get("type"),
		HandlingDays: f.Get("handling_days"), Open: true}
	in := eservice.StatusInput{Label: map[string]string{"sv": typed.LabelSV, "en": typed.LabelEN}, Type: typed.Type}
	if days := strings.TrimSpace(typed.HandlingDays); days != "" {
		n, err := strconv.Atoi(days)
		if err != nil || n == 0 {
			n = -1 // typed, but no handling time
		}
		in.HandlingDays = n
	}
	return in, typed, nil
}

// statusID is the request's {status}; one that is no id is not found.
func statusID(r *http.Request) (uuid.UUID, error) {
	id, err := uuid.Parse(chi.URLParam(r, "status"))
	if err != nil {
		return uuid.Nil, eservice.ErrStatusNotFound
	}
	return id, nil
}

// prefixed gives field errors the ids of one form's inputs, which start with prefix.
func prefixed(errs []templates.FieldMessage, prefix string) []templates.FieldMessage {
	out := make([]templates.FieldMessage, len(errs))
	for i, e := range errs {
		out[i] = templates.FieldMessage{Field: prefix + e.Field, Message: e.Message}
	}
	return out
}
