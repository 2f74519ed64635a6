package web

import (
	"net/http"
	"time"

	"github.com/minasidor/minasidor/internal/casework"
	"github.com/minasidor/minasidor/internal/form"
	"github.com/minasidor/minasidor/internal/i18n"
)

// apiCase is a case as the API gives it: everything the caseworker's page shows but the internal
// notes.
type apiCase struct {
	ID           string               `json:"id"`
	Reference    string               `json:"reference"`
	Municipality apiMunicipality      `json:"municipality"`
	EService     apiEService          `json:"eservice"`
	SubmittedAt  time.Time            `json:"submitted_at"`
	Status       apiStatus            `json:"status"`
	Anonymous    bool                 `json:"anonymous"`
	Applicant    *apiApplicant        `json:"applicant"`
	Answers      []apiStep            `json:"answers"`
	RawAnswers   form.Answers         `json:"raw_answers"`
	Files        []apiFile            `json:"files"`
	Events       []apiEvent           `json:"events"`
	Messages     []apiMessage         `json:"messages"`
	Decision     string               `json:"decision,omitempty"`
	Supplement   *apiSupplementAsk    `json:"supplement_request"`
	Statuses     []apiStatusOfService `json:"statuses"`
}

type apiMunicipality struct {
	Code string `json:"code"`
	Name string `json:"name"`
}

type apiEService struct {
	ID      string `json:"id"`
	Slug    string `json:"slug"`
	Title   string `json:"title"`
	Version int    `json:"version"`
}

type apiStatus struct {
	Type  string `json:"type"`
	Key   string `json:"key"`
	Label string `json:"label"`
}

type apiStatusOfService struct {
	Key   string `json:"key"`
	Type  string `json:"type"`
	Label string `json:"label"`
}

type apiApplicant struct {
	Name              string      `json:"name"`
	PersonalNumber    string      `json:"personal_number"`
	Email             string      `json:"email,omitempty"`
	Phone             string      `json:"phone,omitempty"`
	ProtectedIdentity bool        `json:"protected_identity"`
	Address           *apiAddress `json:"address,omitempty"`
}

type apiAddress struct {
	Street     string `json:"street"`
	CareOf     string `json:"care_of,omitempty"`
	PostalCode string `json:"postal_code"`
	City       string `json:"city"`
}

type apiStep struct {
	Key    string     `json:"key"`
	Title  string     `json:"title"`
	Fields []apiField `json:"fields"`
}

type apiField struct {
	Key    string   `json:"key"`
	Type   string   `json:"type"`
	Label  string   `json:"label"`
	Values []string `json:"values"` // as shown to people; a file's name
}

type apiFile struct {
	ID          string `json:"id"`
	Name        string `json:"name"`
	ContentType string `json:"content_type"`
	Size        int64  `json:"size"`
	MessageID   string `json:"message_id,omitempty"`
	URL         string `json:"url"`
}

type apiEvent struct {
	Kind   string    `json:"kind"`
	At     time.Time `json:"at"`
	Actor  string    `json:"actor,omitempty"`
	Status string    `json:"status,omitempty"`
	Key    string    `json:"status_key,omitempty"`
}

type apiMessage struct {
	ID          string    `json:"id"`
	From        string    `json:"from"`
	Author      string    `json:"author"`
	Body        string    `json:"body"`
	CreatedAt   time.Time `json:"created_at"`
	Attachments []string  `json:"attachments"` // file ids, in files
}

type apiSupplementAsk struct {
	Request     string    `json:"request"`
	RequestedBy string    `json:"requested_by"`
	RequestedAt time.Time `json:"requested_at"`
}

// apiCaseShow gives a case with its applicant, answers, files, history, messages and decision.
// It is the caseworker's read of the case (casework.Store.ForCaseworker): recorded in the audit
// log under the client's name, and the citizen's messages are marked read.
func (s *Server) apiCaseShow(w http.ResponseWriter, r *http.Request) error {
	id, err := apiID(r, "case")
	if err != nil {
		return err
	}
	d, err := s.cases.ForCaseworker(r.Context(), apiClientFrom(r.Context()).Member(), id)
	if err != nil {
		return err
	}
	writeJSON(w, http.StatusOK, apiCaseOf(d))
	return nil
}

// apiCaseOf is the API's view of the caseworker's dossier, in Swedish.
func apiCaseOf(d casework.CaseworkerDossier) apiCase {
	c := d.Case
	sv := i18n.For("sv")
	out := apiCase{
		ID: c.ID.String(), Reference: c.Reference,
		Municipality: apiMunicipality{Code: d.EService.MunicipalityCode, Name: d.EService.Municipality},
		EService:     apiEService{ID: d.EService.ID.String(), Slug: d.EService.Slug, Title: d.EService.Title.In("sv"), Version: d.Version.Number},
		SubmittedAt:  c.SubmittedAt,
		Status:       apiStatus{Type: c.Status, Key: c.StatusKey},
		Anonymous:    c.Anonymous,
		RawAnswers:   c.Answers,
		Answers:      []apiStep{},
		Files:        []apiFile{},
		Events:       []apiEvent{},
		Messages:     []apiMessage{},
		Statuses:     []apiStatusOfService{},
		Decision:     d.Decision,
	}
	for _, st := range d.Statuses {
		out.Statuses = append(out.Statuses, apiStatusOfService{Key: st.Key, Type: st.Type, Label: st.Label.In("sv")})
		if st.Key == c.StatusKey {
			out.Status.Label = st.Label.In("sv")
		}
	}
	if a := d.Applicant; a != nil {
		out.Applicant = &apiApplicant{Name: a.DisplayName, PersonalNumber: a.PersonalNumber.Formatted(), Email: a.Email, Phone: a.Phone,
			ProtectedIdentity: a.Protected}
		if a.Address != nil && !a.Protected {
			out.Applicant.Address = &apiAddress{Street: a.Address.Street, CareOf: a.Address.CareOf, PostalCode: a.Address.PostalCode, City: a.Address.City}
		}
	}
	names := map[string]string{}
	for _, f := range d.Files {
		names[f.ID.String()] = f.Name
		af := apiFile{ID: f.ID.String(), Name: f.Name, ContentType: f.ContentType, Size: f.Size,
			URL: apiPrefix + "/cases/" + c.ID.String() + "/files/" + f.ID.String()}
		if f.MessageID != nil {
			af.MessageID = f.MessageID.String()
		}
		out.Files = append(out.Files, af)
	}
	if def := d.Version.Definition; def != nil {
		for _, st := range def.Summary(c.Answers, "sv", func(key string) string { return sv.T(key) }) {
			step := apiStep{Key: st.Key, Title: st.Title, Fields: []apiField{}}
			for _, it := range st.Items {
				values := it.Values
				if it.Type == form.File {
					values = nil
					for _, v := range it.Values {
						if name, ok := names[v]; ok {
							values = append(values, name)
						}
					}
				}
				if values == nil {
					values = []string{}
				}
				step.Fields = append(step.Fields, apiField{Key: it.Field, Type: string(it.Type), Label: it.Label, Values: values})
			}
			out.Answers = append(out.Answers, step)
		}
	}
	for _, e := range d.Events {
		out.Events = append(out.Events, apiEvent{Kind: e.Kind, At: e.At, Actor: e.Actor, Status: e.Status, Key: e.StatusKey})
	}
	for _, m := range d.Messages {
		am := apiMessage{ID: m.ID.String(), From: m.Sender, Author: m.AuthorName, Body: m.Body, CreatedAt: m.CreatedAt, Attachments: []string{}}
		for _, a := range m.Attachments {
			am.Attachments = append(am.Attachments, a.ID.String())
		}
		out.Messages = append(out.Messages, am)
	}
	if q := d.Request; q != nil {
		out.Supplement = &apiSupplementAsk{Request: q.Request, RequestedBy: q.RequestedBy, RequestedAt: q.RequestedAt}
	}
	return out
}
