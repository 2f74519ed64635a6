package eservice

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"strings"

	"github.com/google/uuid"
	"github.com/jackc/pgx/v5"
	"github.com/minasidor/minasidor/internal/apperr"
	"github.com/minasidor/minasidor/internal/audit"
	"github.com/minasidor/minasidor/internal/db"
	"github.com/minasidor/minasidor/internal/form"
	"github.com/minasidor/minasidor/internal/virusscan"
)

// The exchange format: one e-service as a JSON document, so that municipalities can share
// e-services. It holds what another municipality can use as it is (the settings, statuses,
// message templates and the form) and nothing of the municipality that made it: no ids, staff,
// handlers, availability period or versions.

// The format marker and version of a document.
const (
	DocumentFormat        = "minasidor.eservice"
	DocumentFormatVersion = 1
	// MaxDocumentBytes is the largest document Import reads; an e-service is a few tens of kB.
	MaxDocumentBytes = 512 << 10
)

// Document is one e-service in the exchange format.
type Document struct {
	Format           string             `json:"format"`
	FormatVersion    int                `json:"formatVersion"`
	Settings         DocumentSettings   `json:"settings"`
	Statuses         []DocumentStatus   `json:"statuses"`         // in order
	MessageTemplates []DocumentTemplate `json:"messageTemplates"` // in order
	Definition       *form.Definition   `json:"definition"`       // the working version's form; no steps for none
	// Signing is who must sign a case before it is submitted, and whether a caseworker checks an
	// association's representation; absent: neither (documents made before it had it).
	Signing *DocumentSigning `json:"signing,omitempty"`
}

// DocumentSigning is the e-service's signing rule (see SigningRule).
type DocumentSigning struct {
	Applicant        bool   `json:"applicant"`
	CoSigners        string `json:"coSigners"` // none, guardians, person, signatory (two signatories jointly)
	Field            string `json:"field,omitempty"`
	RemindDays       int    `json:"remindDays"`
	DeadlineDays     int    `json:"deadlineDays"`
	AssociationCheck bool   `json:"associationCheck,omitempty"`
}

func (ds DocumentSigning) rule() SigningRule {
	return SigningRule{Applicant: ds.Applicant, CoSigners: ds.CoSigners, Field: ds.Field, RemindDays: ds.RemindDays,
		DeadlineDays: ds.DeadlineDays, AssociationCheck: ds.AssociationCheck}
}

// DocumentSettings are the e-service's own settings.
type DocumentSettings struct {
	Slug             string      `json:"slug"`
	Title            form.Text   `json:"title"`
	Description      form.Text   `json:"description"`
	Category         string      `json:"category"`
	Audience         []string    `json:"audience"`
	LoginRule        string      `json:"loginRule"`
	AnonymousAllowed bool        `json:"anonymousAllowed"`
	OnceOnly         string      `json:"onceOnly"`
	OnceOnlyField    string      `json:"onceOnlyField,omitempty"`
	ExternalURL      string      `json:"externalUrl,omitempty"`
	Privacy          Privacy     `json:"privacy"`
	RetentionMonths  *int        `json:"retentionMonths,omitempty"` // absent: not set
	NoticeTexts      NoticeTexts `json:"noticeTexts,omitempty"`
}

// DocumentStatus is one status of the e-service.
type DocumentStatus struct {
	Key          string    `json:"key"`
	Label        form.Text `json:"label"`
	Type         string    `json:"type"`                   // submitted, in_progress, waiting_supplement, closed
	HandlingDays *int      `json:"handlingDays,omitempty"` // absent: no handling time
}

// DocumentTemplate is one message template for caseworkers.
type DocumentTemplate struct {
	Title string `json:"title"`
	Body  string `json:"body"`
}

// JSON encodes the document as indented JSON; DecodeDocument reads it back.
func (d Document) JSON() ([]byte, error) {
	var buf bytes.Buffer
	enc := json.NewEncoder(&buf)
	enc.SetEscapeHTML(false)
	enc.SetIndent("", "  ")
	if err := enc.Encode(d); err != nil {
		return nil, err
	}
	return buf.Bytes(), nil
}

// Export returns the municipality's e-service as a document, read in one round trip: its
// settings, statuses, message templates and the form of its working version (see Working).
// Another municipality's e-service, and an archived one, is not found.
func (s *Store) Export(ctx context.Context, tenantID, id uuid.UUID) (Document, error) {
	var e EService
	var working Version
	var rule SigningRule
	d := Document{Format: DocumentFormat, FormatVersion: DocumentFormatVersion}
	if err := db.Read(ctx, s.db, func(b *pgx.Batch) {
		queueWhere(b, `e.id = $1 AND e.tenant_id = $2 AND e.state <> 'archived'`, []any{id, tenantID}, &e)
		queueWorking(b, id, &working)
		queueSigningRule(b, `$1`, id, &rule)
		db.QueueRows(b, &d.Statuses, func(r pgx.CollectableRow) (DocumentStatus, error) {
			var st DocumentStatus
			err := r.Scan(&st.Key, &st.Label, &st.Type, &st.HandlingDays)
			return st, err
		}, `SELECT key, label, type, handling_days FROM eservice_status WHERE eservice_id = $1 ORDER BY position, key`, id)
		db.QueueRows(b, &d.MessageTemplates, func(r pgx.CollectableRow) (DocumentTemplate, error) {
			var t DocumentTemplate
			err := r.Scan(&t.Title, &t.Body)
			return t, err
		}, `SELECT title, body FROM eservice_message_template WHERE eservice_id = $1 ORDER BY position, title`, id)
	}); err != nil {
		return Document{}, fmt.Errorf("eservice: export: %w", err)
	}
	if e.ID == uuid.Nil {
		return Document{}, ErrNotFound
	}
	d.Settings = DocumentSettings{
		Slug: e.Slug, Title: e.Title, Description: e.Description, Category: e.Category, Audience: e.Audience,
		LoginRule: e.LoginRule, AnonymousAllowed: e.AnonymousAllowed, OnceOnly: e.OnceOnly, OnceOnlyField: e.OnceOnlyField,
		ExternalURL: e.ExternalURL, Privacy: e.Privacy, NoticeTexts: e.NoticeTexts,
	}
	d.Definition = working.Definition
	if d.Settings.Description == nil {
		d.Settings.Description = form.Text{}
	}
	if len(d.Settings.NoticeTexts) == 0 {
		d.Settings.NoticeTexts = nil
	}
	if e.RetentionMonths > 0 {
		months := e.RetentionMonths
		d.Settings.RetentionMonths = &months
	}
	if rule.Required() || rule.AssociationCheck {
		d.Signing = &DocumentSigning{Applicant: rule.Applicant, CoSigners: rule.CoSigners, Field: rule.Field,
			RemindDays: rule.RemindDays, DeadlineDays: rule.DeadlineDays, AssociationCheck: rule.AssociationCheck}
		if !rule.Required() {
			d.Signing.RemindDays, d.Signing.DeadlineDays = DefaultSigningRule.RemindDays, DefaultSigningRule.DeadlineDays
		}
	}
	return d, nil
}

// DocumentProblem is one problem of a document offered for import.
type DocumentProblem struct {
	// Path locates the problem in the document, with indexes from zero: "settings.category",
	// "statuses[2].key", "definition.steps[1].fields[0].showIf.field"; empty for the whole document.
	Path string
	// Key is the catalogue key of the message: "error.exchange.*", or "error.form.def.*" for a
	// problem of the definition (see form.DefinitionError); Args are the values for its verbs.
	Key  string
	Args []any
	// For a problem of the definition: the keys of the step and field concerned, as written, and
	// their title and label, to name them for the admin. Field is empty for a problem of a step.
	Step, Field           string
	StepTitle, FieldLabel form.Text
}

// DocumentErrors are all the problems found in a document, in the order of the document.
type DocumentErrors []DocumentProblem

func (de DocumentErrors) Error() string {
	parts := make([]string, len(de))
	for i, p := range de {
		parts[i] = p.Path + ": " + p.Key
		if len(p.Args) > 0 {
			parts[i] += fmt.Sprint(p.Args)
		}
	}
	return "e-service document: " + strings.Join(parts, "; ")
}

// ErrDocument is the error of DecodeDocument and Import for a document with problems: kind
// apperr.Invalid, with the problems in its chain as DocumentErrors (see AsDocumentErrors).
var ErrDocument = apperr.New(apperr.Invalid, "error.exchange.invalid")

// AsDocumentErrors returns the problems in err's chain, as DecodeDocument and Import return them.
func AsDocumentErrors(err error) (DocumentErrors, bool) {
	var de DocumentErrors
	if errors.As(err, &de) {
		return de, true
	}
	return nil, false
}

func documentError(de DocumentErrors) error { return apperr.Wrap(apperr.Invalid, ErrDocument.Key, de) }

// DecodeDocument reads a document strictly (unknown properties, wrong types and data after the
// document are refused, and so is one over MaxDocumentBytes) and checks it as the editor checks
// each part: the format, every setting, the statuses and templates, and the form with
// form.Definition.CheckDraft (a form not finished yet is kept). The error is ErrDocument with
// every problem found.
func DecodeDocument(data []byte) (Document, error) {
	fail := func(p DocumentProblem) (Document, error) { return Document{}, documentError(DocumentErrors{p}) }
	if len(bytes.TrimSpace(data)) == 0 {
		return fail(DocumentProblem{Key: "error.exchange.empty"})
	}
	if len(data) > MaxDocumentBytes {
		return fail(DocumentProblem{Key: "error.exchange.tooLarge", Args: []any{MaxDocumentBytes >> 10}})
	}
	// The format first, leniently: a document of another kind or version is named as such, not
	// by its first unknown property.
	var marker struct {
		Format        string `json:"format"`
		FormatVersion int    `json:"formatVersion"`
	}
	if err := json.Unmarshal(data, &marker); err == nil {
		if marker.Format != DocumentFormat {
			return fail(DocumentProblem{Path: "format", Key: "error.exchange.format", Args: []any{DocumentFormat}})
		}
		if marker.FormatVersion != DocumentFormatVersion {
			return fail(DocumentProblem{Path: "formatVersion", Key: "error.exchange.formatVersion",
				Args: []any{marker.FormatVersion, DocumentFormatVersion}})
		}
	}
	dec := json.NewDecoder(bytes.NewReader(data))
	dec.DisallowUnknownFields()
	var d Document
	if err := dec.Decode(&d); err != nil {
		return fail(decodeProblem(data, err))
	}
	if _, err := dec.Token(); !errors.Is(err, io.EOF) {
		return fail(DocumentProblem{Key: "error.exchange.trailing"})
	}
	d.clean()
	if de := d.check(); len(de) > 0 {
		return Document{}, documentError(de)
	}
	return d, nil
}

// clean trims the document's texts as the editor's pages do, and fills in what may be left out.
func (d *Document) clean() {
	st := &d.Settings
	st.Slug = strings.TrimSpace(st.Slug)
	st.Title, st.Description = cleanText(st.Title), cleanText(st.Description)
	st.OnceOnlyField, st.ExternalURL = strings.TrimSpace(st.OnceOnlyField), strings.TrimSpace(st.ExternalURL)
	if st.OnceOnly == "" {
		st.OnceOnly = OnceNone
	}
	for _, name := range PrivacyParts {
		p := st.Privacy.Part(name)
		*p = cleanText(*p)
	}
	if len(st.Privacy.Sources) == 0 {
		st.Privacy.Sources = nil // an optional part left out stays out
	}
	notices := NoticeTexts{}
	for kind, t := range st.NoticeTexts {
		if t = cleanText(t); len(t) > 0 {
			notices[kind] = t
		}
	}
	st.NoticeTexts = notices
	for i := range d.Statuses {
		d.Statuses[i].Label = cleanText(d.Statuses[i].Label)
	}
	for i, t := range d.MessageTemplates {
		// The body is kept as written: a template may end where the caseworker goes on writing.
		d.MessageTemplates[i] = DocumentTemplate{Title: strings.TrimSpace(t.Title), Body: strings.ReplaceAll(t.Body, "\r\n", "\n")}
	}
	if d.Statuses == nil {
		d.Statuses = []DocumentStatus{}
	}
	if d.MessageTemplates == nil {
		d.MessageTemplates = []DocumentTemplate{}
	}
	if d.Definition == nil {
		d.Definition = &form.Definition{}
	}
	if d.Definition.Steps == nil {
		d.Definition.Steps = []form.Step{}
	}
}

// decodeProblem explains a decoding failure: where the syntax breaks, which property is unknown,
// or which has a value of the wrong type.
func decodeProblem(data []byte, err error) DocumentProblem {
	var syntax *json.SyntaxError
	var typ *json.UnmarshalTypeError
	switch {
	case errors.As(err, &syntax):
		return DocumentProblem{Key: "error.exchange.json", Args: []any{lineAt(data, syntax.Offset)}}
	case errors.As(err, &typ) && typ.Field == "":
		return DocumentProblem{Key: "error.exchange.notObject"}
	case errors.As(err, &typ):
		return DocumentProblem{Path: typ.Field, Key: "error.exchange.type", Args: []any{typ.Field}}
	case errors.Is(err, io.ErrUnexpectedEOF):
		return DocumentProblem{Key: "error.exchange.json", Args: []any{lineAt(data, int64(len(data)))}}
	}
	if name, ok := strings.CutPrefix(err.Error(), "json: unknown field "); ok {
		name = strings.Trim(name, `"`)
		return DocumentProblem{Path: name, Key: "error.exchange.unknown", Args: []any{name}}
	}
	return DocumentProblem{Key: "error.exchange.json", Args: []any{lineAt(data, int64(len(data)))}}
}

// lineAt is the line number, from 1, of the byte offset in data.
func lineAt(data []byte, offset int64) int {
	offset = min(max(offset, 0), int64(len(data)))
	return bytes.Count(data[:offset], []byte("\n")) + 1
}

// Import creates a new e-service of the admin's municipality from a document, after
// DecodeDocument found no problem: in state draft, with the document's form as its draft version
// (none for a form without steps), its statuses instead of the defaults, and its message
// templates. Citizens see nothing of it until it is previewed and published. The document's
// address is kept when it is free, and made unique as Copy does when it is taken. The change is
// recorded as "eservice_imported". The document is scanned for viruses first: an infected one
// (recorded), or one the scanner gives no verdict on, is refused as a problem of the document.
func (s *Store) Import(ctx context.Context, actor audit.Actor, data []byte) (EService, error) {
	if len(bytes.TrimSpace(data)) > 0 {
		if _, err := s.scan.Check(ctx, virusscan.Upload{TenantID: actor.TenantID, Source: virusscan.SourceImport}, data); err != nil {
			var refused *apperr.Error
			if errors.As(err, &refused) && refused.Kind == apperr.Invalid {
				return EService{}, documentError(DocumentErrors{{Key: refused.Key}})
			}
			return EService{}, err
		}
	}
	d, err := DecodeDocument(data)
	if err != nil {
		return EService{}, err
	}
	return s.create(ctx, actor, d, "eservice_imported", map[string]any{"slug": d.Settings.Slug})
}

// create makes a new draft e-service of the actor's municipality from a checked document, and
// records the change as action.
func (s *Store) create(ctx context.Context, actor audit.Actor, d Document, action string, detail map[string]any) (EService, error) {
	def, err := d.Definition.JSON()
	if err != nil {
		return EService{}, err
	}
	st := d.Settings
	var e EService
	err = db.Transact(ctx, s.db, func(tx pgx.Tx) error {
		slug := st.Slug
		if err := slugFree(ctx, tx, actor.TenantID, slug); err != nil {
			var fe apperr.FieldErrors
			if !errors.As(err, &fe) {
				return err
			}
			if slug, err = freeCopySlug(ctx, tx, actor.TenantID, slug); err != nil {
				return err
			}
		}
		var err error
		e, err = Create(ctx, tx, EService{TenantID: actor.TenantID, Slug: slug, Title: st.Title, Description: st.Description,
			Category: st.Category, Audience: st.Audience, LoginRule: st.LoginRule, AnonymousAllowed: st.AnonymousAllowed,
			OnceOnly: st.OnceOnly, OnceOnlyField: st.OnceOnlyField, ExternalURL: st.ExternalURL, Privacy: st.Privacy})
		if err != nil {
			return err
		}
		notices := st.NoticeTexts
		if notices == nil {
			notices = NoticeTexts{}
		}
		// The rest of the e-service is written in one batch: its settings, statuses, message
		// templates, signing rule, working version and the change's record.
		b := &pgx.Batch{}
		b.Queue(`UPDATE eservice SET retention_months = $2, notice_texts = $3 WHERE id = $1`, e.ID, st.RetentionMonths, notices)
		b.Queue(`DELETE FROM eservice_status WHERE eservice_id = $1`, e.ID)
		for i, status := range d.Statuses {
			b.Queue(`
				INSERT INTO eservice_status (tenant_id, eservice_id, key, label, type, handling_days, position)
				VALUES ($1, $2, $3, $4, $5, $6, $7)`, actor.TenantID, e.ID, status.Key, status.Label, status.Type, status.HandlingDays, i+1)
		}
		for i, t := range d.MessageTemplates {
			b.Queue(`
				INSERT INTO eservice_message_template (tenant_id, eservice_id, title, body, position)
				VALUES ($1, $2, $3, $4, $5)`, actor.TenantID, e.ID, t.Title, t.Body, i+1)
		}
		if d.Signing != nil {
			queueSigning(b, e, d.Signing.rule())
		}
		if !d.Definition.Empty() {
			b.Queue(`
				INSERT INTO eservice_version (tenant_id, eservice_id, number, definition, created_by, updated_by)
				VALUES ($1, $2, 1, $3, $4, $4)`, actor.TenantID, e.ID, def, actor.Name)
		}
		if err := audit.QueueChange(b, audit.Change{Actor: actor, Action: action, Target: slug, EServiceID: &e.ID, Detail: detail}); err != nil {
			return err
		}
		if err := db.Run(ctx, tx, b); err != nil {
			return fmt.Errorf("eservice: import: %w", err)
		}
		return nil
	})
	if err != nil {
		return EService{}, err
	}
	return s.ByID(ctx, e.ID)
}
