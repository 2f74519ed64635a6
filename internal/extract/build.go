package extract

import (
	"context"
	"encoding/hex"
	"encoding/json"
	"fmt"
	"net/netip"
	"time"

	"github.com/google/uuid"
	"github.com/jackc/pgx/v5"
	"github.com/minasidor/minasidor/internal/db"
	"github.com/minasidor/minasidor/internal/eservice"
	"github.com/minasidor/minasidor/internal/form"
	"github.com/minasidor/minasidor/internal/i18n"
	"github.com/minasidor/minasidor/internal/retention"
	"github.com/minasidor/minasidor/internal/rights"
	"github.com/minasidor/minasidor/internal/security"
)

// builder reads one person's extract. progress is told after each part (the account, then each
// draft and case) how many parts are done of how many.
type builder struct {
	q         db.Querier
	eservices *eservice.Store
	lang      string
	tr        func(string) string
	services  map[uuid.UUID]eservice.EService
	versions  map[uuid.UUID]eservice.Version
	progress  func(ctx context.Context, done, total int) error
}

// Read builds the extract of the account as at now, without files' contents (the ZIP adds them).
func Read(ctx context.Context, q db.Querier, accountID uuid.UUID, now time.Time, progress func(ctx context.Context, done, total int) error) (Document, error) {
	if progress == nil {
		progress = func(context.Context, int, int) error { return nil }
	}
	b := &builder{q: q, eservices: eservice.NewStore(q), services: map[uuid.UUID]eservice.EService{},
		versions: map[uuid.UUID]eservice.Version{}, progress: progress}
	d := Document{Format: Format, Version: Version, CreatedAt: now.UTC().Truncate(time.Microsecond),
		Drafts: []Draft{}, Cases: []Case{}, Consents: []Consent{}, Bookings: []Booking{}, Notices: []Notice{},
		Security: []SecurityEvent{}, Requests: []ExtractRequest{}, Public: []PublicRequest{}, Signed: []GivenSignature{}}
	if err := b.person(ctx, accountID, &d); err != nil {
		return d, err
	}
	d.Language = b.lang
	printer := i18n.For(b.lang)
	b.tr = func(key string) string { return printer.T(key) }
	var draftIDs, caseIDs []uuid.UUID
	err := db.Read(ctx, q, func(batch *pgx.Batch) {
		db.QueueRows(batch, &draftIDs, scanID, `SELECT id FROM draft WHERE account_id = $1 ORDER BY updated_at DESC, id`, accountID)
		db.QueueRows(batch, &caseIDs, scanID, `SELECT id FROM cases WHERE account_id = $1 ORDER BY submitted_at DESC, id`, accountID)
	})
	if err != nil {
		return d, fmt.Errorf("extract: %w", err)
	}
	total, done := 1+len(draftIDs)+len(caseIDs), 1
	if err := b.others(ctx, accountID, &d); err != nil {
		return d, err
	}
	if err := progress(ctx, done, total); err != nil {
		return d, err
	}
	for _, id := range draftIDs {
		dr, err := b.draft(ctx, id)
		if err != nil {
			return d, err
		}
		d.Drafts = append(d.Drafts, dr)
		done++
		if err := progress(ctx, done, total); err != nil {
			return d, err
		}
	}
	for _, id := range caseIDs {
		c, err := b.caseOf(ctx, id)
		if err != nil {
			return d, err
		}
		d.Cases = append(d.Cases, c)
		done++
		if err := progress(ctx, done, total); err != nil {
			return d, err
		}
	}
	b.consents(&d)
	return d, nil
}

func scanID(r pgx.CollectableRow) (uuid.UUID, error) {
	var id uuid.UUID
	return id, r.Scan(&id)
}

// person reads the account and its contact data.
func (b *builder) person(ctx context.Context, accountID uuid.UUID, d *Document) error {
	p, c := &d.Person, &d.Contact
	var street, careOf, postal, city, email, phone, channel *string
	err := b.q.QueryRow(ctx, `
		SELECT id, personal_number, given_name, surname, display_name, protected_identity, street, care_of, postal_code, city,
			address_fetched_at, language, created_at, last_login_at, previous_login_at,
			email, email_verified_at, phone, phone_verified_at, preferred_channel
		FROM account WHERE id = $1`, accountID).Scan(&p.AccountID, &p.PersonalNumber, &p.GivenName, &p.Surname, &p.DisplayName,
		&p.ProtectedIdentity, &street, &careOf, &postal, &city, &p.AddressFetchedAt, &p.Language, &p.CreatedAt,
		&p.LastLoginAt, &p.PreviousLoginAt, &email, &c.EmailConfirmedAt, &phone, &c.PhoneConfirmedAt, &channel)
	if err == pgx.ErrNoRows {
		return ErrNotFound
	}
	if err != nil {
		return fmt.Errorf("extract: account: %w", err)
	}
	if street != nil {
		p.Address = &Address{Street: *street, CareOf: deref(careOf), PostalCode: deref(postal), City: deref(city)}
	}
	c.Email, c.Phone, c.PreferredChannel = deref(email), deref(phone), deref(channel)
	b.lang = p.Language
	return nil
}

// others reads the bookings, notices, security events and extract requests.
func (b *builder) others(ctx context.Context, accountID uuid.UUID, d *Document) error {
	lang := b.lang
	err := db.Read(ctx, b.q, func(batch *pgx.Batch) {
		db.QueueRows(batch, &d.Bookings, func(r pgx.CollectableRow) (Booking, error) {
			var k Booking
			var name, place form.Text
			var by *string
			err := r.Scan(&k.ID, &k.Municipality, &name, &place, &k.StartsAt, &k.EndsAt, &k.State, &k.BookedAt, &k.CancelledAt, &by, &k.CancelNote)
			k.Resource, k.Place, k.CancelledBy = name.In(lang), place.In(lang), deref(by)
			return k, err
		}, `
			SELECT b.id, t.name, r.name, r.place, s.starts_at, s.ends_at, b.state, b.booked_at, b.cancelled_at, b.cancelled_by, b.cancel_note
			FROM booking b JOIN booking_slot s ON s.id = b.slot_id JOIN booking_resource r ON r.id = b.resource_id
			JOIN tenant t ON t.id = b.tenant_id
			WHERE b.account_id = $1 ORDER BY s.starts_at DESC, b.id`, accountID)
		db.QueueRows(batch, &d.Notices, func(r pgx.CollectableRow) (Notice, error) {
			var n Notice
			var title form.Text
			var channel, reason *string
			err := r.Scan(&n.Kind, &n.CreatedAt, &n.SentAt, &channel, &reason, &n.Reference, &title)
			n.Channel, n.SkippedReason, n.EService = deref(channel), deref(reason), title.In(lang)
			return n, err
		}, `
			SELECT n.kind, n.created_at, n.sent_at, n.channel, n.skipped_reason, coalesce(c.reference, ''),
				coalesce(e.title, r.name, '{}')
			FROM notice n
			LEFT JOIN cases c ON c.id = n.case_id
			LEFT JOIN eservice e ON e.id = coalesce(c.eservice_id, n.eservice_id)
			LEFT JOIN booking bk ON bk.id = n.booking_id
			LEFT JOIN booking_resource r ON r.id = bk.resource_id
			WHERE n.account_id = $1 ORDER BY n.created_at DESC, n.id`, accountID)
		db.QueueRows(batch, &d.Requests, func(r pgx.CollectableRow) (ExtractRequest, error) {
			var x ExtractRequest
			return x, r.Scan(&x.RequestedAt, &x.State, &x.ReadyAt, &x.ExpiresAt)
		}, `SELECT requested_at, state, ready_at, expires_at FROM extract_request WHERE account_id = $1 ORDER BY requested_at DESC, id`, accountID)
		db.QueueRows(batch, &d.Public, func(r pgx.CollectableRow) (PublicRequest, error) {
			var x PublicRequest
			return x, r.Scan(&x.Reference, &x.Municipality, &x.CreatedAt, &x.State, &x.AskedReferences, &x.Subject, &x.DecidedAt, &x.Outcome)
		}, `
			SELECT r.reference, t.name, r.created_at, r.state, r.asked_references, r.subject, r.decided_at, coalesce(a.outcome, '')
			FROM disclosure_request r JOIN tenant t ON t.id = r.tenant_id LEFT JOIN disclosure_answer a ON a.request_id = r.id
			WHERE r.account_id = $1 ORDER BY r.created_at DESC, r.id`, accountID)
		db.QueueRows(batch, &d.Signed, func(r pgx.CollectableRow) (GivenSignature, error) {
			var g GivenSignature
			var title form.Text
			err := r.Scan(&g.SignedAt, &g.Role, &title, &g.Reference, &g.ContentHash)
			g.EService = title.In(lang)
			return g, err
		}, `
			SELECT s.signed_at, p.role, e.title, coalesce(c.reference, ''), encode(s.content_hash, 'hex')
			FROM signature s JOIN signing_party p ON p.id = s.party_id JOIN signing g ON g.id = p.signing_id
			JOIN eservice e ON e.id = g.eservice_id LEFT JOIN cases c ON c.id = g.case_id
			WHERE s.personal_number = (SELECT personal_number FROM account WHERE id = $1)
			ORDER BY s.signed_at DESC, s.id`, accountID)
	})
	if err != nil {
		return fmt.Errorf("extract: %w", err)
	}
	events, err := security.ForAccount(ctx, b.q, accountID)
	if err != nil {
		return err
	}
	for _, e := range events {
		d.Security = append(d.Security, SecurityEvent{At: e.At, Kind: e.Kind, Reason: e.Reason, ClientAddr: addrText(e.Addr)})
	}
	return nil
}

func addrText(a netip.Addr) string {
	if !a.IsValid() {
		return ""
	}
	return a.String()
}

// eservice returns the e-service (read once) as the extract names it.
func (b *builder) eservice(ctx context.Context, id uuid.UUID) (eservice.EService, EService, error) {
	e, ok := b.services[id]
	if !ok {
		var err error
		if e, err = b.eservices.ByID(ctx, id); err != nil {
			return e, EService{}, err
		}
		b.services[id] = e
	}
	p := e.Privacy
	return e, EService{ID: e.ID, Slug: e.Slug, Title: e.Title.In(b.lang), Municipality: e.Municipality, Privacy: Privacy{
		Data: p.Data.In(b.lang), Purpose: p.Purpose.In(b.lang), LegalBasis: p.LegalBasis.In(b.lang),
		Controller: p.Controller.In(b.lang), Sources: p.Sources.In(b.lang), Retention: p.Retention.In(b.lang), Consent: p.Consent,
	}}, nil
}

// answers are the values and what the form version shows of them, files by name.
func (b *builder) answers(ctx context.Context, versionID uuid.UUID, a form.Answers, files []File) (Answers, error) {
	v, ok := b.versions[versionID]
	if !ok {
		var err error
		if v, err = b.eservices.Version(ctx, versionID); err != nil {
			return Answers{}, err
		}
		b.versions[versionID] = v
	}
	names := map[string]string{}
	for _, f := range files {
		names[f.ID.String()] = f.Name
	}
	out := Answers{Values: map[string][]string(a), Shown: []Step{}}
	if out.Values == nil {
		out.Values = map[string][]string{}
	}
	for _, st := range v.Definition.Summary(a, b.lang, b.tr) {
		s := Step{Title: st.Title, Items: []Item{}}
		for _, it := range st.Items {
			vals := it.Values
			if it.Type == form.File {
				vals = nil
				for _, id := range it.Values {
					if n, ok := names[id]; ok {
						vals = append(vals, n)
					}
				}
			}
			if vals == nil {
				vals = []string{}
			}
			s.Items = append(s.Items, Item{Field: it.Field, Label: it.Label, Values: vals})
		}
		out.Shown = append(out.Shown, s)
	}
	return out, nil
}

// files reads the files of a draft, a case or a message (cond on upload u, with $1), giving
// each its path in the ZIP under dir.
func (b *builder) files(ctx context.Context, dir, cond string, arg uuid.UUID) ([]File, error) {
	rows, err := b.q.Query(ctx, `SELECT u.id, u.filename, u.content_type, u.size, u.sha256, u.created_at FROM upload u WHERE `+cond+` ORDER BY u.created_at, u.id`, arg)
	if err != nil {
		return nil, fmt.Errorf("extract: files: %w", err)
	}
	files, err := pgx.CollectRows(rows, func(r pgx.CollectableRow) (File, error) {
		var f File
		var sum []byte
		err := r.Scan(&f.ID, &f.Name, &f.ContentType, &f.Size, &sum, &f.UploadedAt)
		f.SHA256 = hex.EncodeToString(sum)
		f.Path = filePath(dir, f.ID, f.Name)
		return f, err
	})
	if files == nil {
		files = []File{}
	}
	return files, err
}

// draft reads one draft.
func (b *builder) draft(ctx context.Context, id uuid.UUID) (Draft, error) {
	var d Draft
	var eserviceID, versionID uuid.UUID
	var raw []byte
	err := b.q.QueryRow(ctx, `
		SELECT d.id, d.eservice_id, d.version_id, d.created_at, d.updated_at, d.current_step, coalesce(c.reference, ''), d.answers
		FROM draft d LEFT JOIN cases c ON c.id = d.case_id WHERE d.id = $1`, id).
		Scan(&d.ID, &eserviceID, &versionID, &d.CreatedAt, &d.UpdatedAt, &d.CurrentStep, &d.Supplements, &raw)
	if err != nil {
		return d, fmt.Errorf("extract: draft %s: %w", id, err)
	}
	var a form.Answers
	if err := json.Unmarshal(raw, &a); err != nil {
		return d, fmt.Errorf("extract: draft %s: %w", id, err)
	}
	if _, d.EService, err = b.eservice(ctx, eserviceID); err != nil {
		return d, err
	}
	if d.Files, err = b.files(ctx, "utkast-"+id.String()[:8], `u.draft_id = $1`, id); err != nil {
		return d, err
	}
	d.Answers, err = b.answers(ctx, versionID, a, d.Files)
	return d, err
}

// caseOf reads one case with its revisions, files, messages, requests, events and readers.
func (b *builder) caseOf(ctx context.Context, id uuid.UUID) (Case, error) {
	var c Case
	var eserviceID, versionID uuid.UUID
	var raw []byte
	var label form.Text
	var decision *string
	err := b.q.QueryRow(ctx, `
		SELECT c.id, c.reference, c.eservice_id, c.version_id, c.submitted_at, c.status,
			coalesce((SELECT s.label FROM eservice_status s WHERE s.eservice_id = c.eservice_id AND s.key = c.status_key), '{}'),
			c.closed_at, c.decision, c.citizen_removed_at, c.answers
		FROM cases c WHERE c.id = $1`, id).Scan(&c.ID, &c.Reference, &eserviceID, &versionID, &c.SubmittedAt, &c.Status,
		&label, &c.ClosedAt, &decision, &c.RemovedFromAccount, &raw)
	if err != nil {
		return c, fmt.Errorf("extract: case %s: %w", id, err)
	}
	c.StatusLabel, c.Decision = label.In(b.lang), deref(decision)
	var a form.Answers
	if err := json.Unmarshal(raw, &a); err != nil {
		return c, fmt.Errorf("extract: case %s: %w", id, err)
	}
	e, named, err := b.eservice(ctx, eserviceID)
	if err != nil {
		return c, err
	}
	c.EService = named
	if c.RemovedFromAccount == nil {
		c.LeavesMinaSidorAt = retention.LeavesAccountAt(c.ClosedAt, e.RetentionMonths)
	}
	if c.Files, err = b.files(ctx, c.Reference, `u.case_id = $1 AND u.message_id IS NULL`, id); err != nil {
		return c, err
	}
	if c.Answers, err = b.answers(ctx, versionID, a, c.Files); err != nil {
		return c, err
	}
	type msgRow struct {
		ID uuid.UUID
		Message
	}
	var msgs []msgRow
	err = db.Read(ctx, b.q, func(batch *pgx.Batch) {
		db.QueueRows(batch, &c.Revisions, func(r pgx.CollectableRow) (Revision, error) {
			var v Revision
			var raw []byte
			if err := r.Scan(&v.Number, &v.CreatedAt, &raw); err != nil {
				return v, err
			}
			return v, json.Unmarshal(raw, &v.Values)
		}, `SELECT number, created_at, answers FROM case_answers WHERE case_id = $1 ORDER BY number`, id)
		db.QueueRows(batch, &msgs, func(r pgx.CollectableRow) (msgRow, error) {
			var m msgRow
			return m, r.Scan(&m.ID, &m.At, &m.From, &m.Author, &m.Body, &m.ReadAt)
		}, `SELECT id, created_at, sender, author_name, body, read_at FROM message WHERE case_id = $1 ORDER BY created_at, id`, id)
		db.QueueRows(batch, &c.Supplements, func(r pgx.CollectableRow) (Supplement, error) {
			var s Supplement
			return s, r.Scan(&s.RequestedAt, &s.Request, &s.AnsweredAt, &s.WithdrawnAt)
		}, `SELECT requested_at, request, answered_at, withdrawn_at FROM supplement_request WHERE case_id = $1 ORDER BY requested_at, id`, id)
		db.QueueRows(batch, &c.Events, func(r pgx.CollectableRow) (Event, error) {
			var e Event
			return e, r.Scan(&e.Kind, &e.At, &e.Status)
		}, `SELECT kind, at, coalesce(data ->> 'status', '') FROM case_event WHERE case_id = $1 ORDER BY at, id`, id)
		db.QueueRows(batch, &c.ReadBy, func(r pgx.CollectableRow) (StaffRead, error) {
			var rd StaffRead
			return rd, r.Scan(&rd.At, &rd.Name, &rd.Unit, &rd.Role, &rd.What)
		}, `SELECT at, staff_name, staff_unit, role, what FROM audit_record WHERE case_id = $1 ORDER BY at, id`, id)
		db.QueueRows(batch, &c.Signatures, func(r pgx.CollectableRow) (Signature, error) {
			var s Signature
			return s, r.Scan(&s.Role, &s.Name, &s.SignedAt, &s.ContentHash)
		}, `
			SELECT p.role, s.name, s.signed_at, encode(s.content_hash, 'hex')
			FROM signing g JOIN signing_party p ON p.signing_id = g.id
			JOIN LATERAL (SELECT x.name, x.signed_at, x.content_hash FROM signature x
				WHERE x.party_id = p.id AND x.content_hash = g.content_hash ORDER BY x.signed_at DESC LIMIT 1) s ON true
			WHERE g.case_id = $1
			ORDER BY p.position`, id)
	})
	if err != nil {
		return c, fmt.Errorf("extract: case %s: %w", id, err)
	}
	c.Messages = []Message{}
	for _, m := range msgs {
		if m.Files, err = b.files(ctx, c.Reference+"/meddelanden", `u.message_id = $1`, m.ID); err != nil {
			return c, err
		}
		c.Messages = append(c.Messages, m.Message)
	}
	for _, l := range []*[]Revision{&c.Revisions} {
		if *l == nil {
			*l = []Revision{}
		}
	}
	if c.Supplements == nil {
		c.Supplements = []Supplement{}
	}
	if c.Events == nil {
		c.Events = []Event{}
	}
	if c.ReadBy == nil {
		c.ReadBy = []StaffRead{}
	}
	if c.Signatures == nil {
		c.Signatures = []Signature{}
	}
	return c, nil
}

// consents lists the cases of e-services whose legal basis is consent, each with the request
// that withdraws it, if the person has made one.
func (b *builder) consents(d *Document) {
	withdrawn := map[string]Case{}
	for _, c := range d.Cases {
		if b.services[c.EService.ID].Builtin != rights.Builtin {
			continue
		}
		if kind := c.Answers.Values[rights.FieldKind]; len(kind) == 1 && kind[0] == rights.WithdrawConsent {
			if about := c.Answers.Values[rights.FieldCase]; len(about) == 1 {
				withdrawn[about[0]] = c
			}
		}
	}
	for _, c := range d.Cases {
		if !c.EService.Privacy.Consent {
			continue
		}
		k := Consent{Reference: c.Reference, EService: c.EService.Title, GivenAt: c.SubmittedAt}
		if w, ok := withdrawn[c.Reference]; ok {
			k.WithdrawnWith, k.WithdrawnAt = w.Reference, &w.SubmittedAt
		}
		d.Consents = append(d.Consents, k)
	}
}

func deref(s *string) string {
	if s == nil {
		return ""
	}
	return *s
}
