package archive

import (
	"archive/zip"
	"bytes"
	"context"
	"crypto/sha256"
	"encoding/hex"
	"encoding/xml"
	"errors"
	"fmt"
	"log/slog"
	"path"
	"strings"
	"time"
	"unicode"

	"github.com/google/uuid"
	"github.com/jackc/pgx/v5"
	"github.com/jackc/pgx/v5/pgxpool"
	"github.com/minasidor/minasidor/internal/casework"
	"github.com/minasidor/minasidor/internal/db"
	"github.com/minasidor/minasidor/internal/form"
	"github.com/minasidor/minasidor/internal/i18n"
	"github.com/minasidor/minasidor/internal/message"
	"github.com/minasidor/minasidor/internal/receipt"
	"github.com/riverqueue/river"
)

// Paths in the package, under its root folder.
const (
	ManifestPath = "METS.xml"
	CasePath     = "metadata/descriptive/case.xml"
	dataPath     = "representations/rep1/data/"
	AnswersPath  = dataPath + "answers.xml"
	ReceiptPath  = dataPath + "receipt.pdf"
)

// BuildArgs is the River job that makes one export's package.
type BuildArgs struct {
	ExportID uuid.UUID `json:"export_id"`
}

// Kind names the job in River's tables.
func (BuildArgs) Kind() string { return "archive_build" }

// InsertOpts tries a package three times before the export is failed.
func (BuildArgs) InsertOpts() river.InsertOpts { return river.InsertOpts{MaxAttempts: 3} }

// Builder makes archive packages: the work of the jobs that Request enqueues.
type Builder struct {
	pool  *pgxpool.Pool
	cases *casework.Store
	log   *slog.Logger
}

// NewBuilder returns a Builder on pool.
func NewBuilder(pool *pgxpool.Pool, log *slog.Logger) *Builder {
	if log == nil {
		log = slog.New(slog.DiscardHandler)
	}
	return &Builder{pool: pool, cases: casework.NewStore(pool, nil), log: log}
}

// AddWorker registers the export job's worker on workers, for the server's River client.
func (b *Builder) AddWorker(workers *river.Workers) error {
	return river.AddWorkerSafely(workers, &worker{b: b})
}

type worker struct {
	river.WorkerDefaults[BuildArgs]
	b *Builder
}

// Timeout gives a package of large files time to be read and packed (River's default is a minute).
func (w *worker) Timeout(*river.Job[BuildArgs]) time.Duration { return 15 * time.Minute }

// Work makes the export's package and keeps it, with the event in the case's history, in one
// transaction. A failure is retried; the last one fails the export with its reason.
func (w *worker) Work(ctx context.Context, job *river.Job[BuildArgs]) error {
	err := w.b.run(ctx, job.Args.ExportID)
	if err != nil && job.Attempt >= job.MaxAttempts {
		msg := err.Error()
		if len(msg) > 500 {
			msg = msg[:500]
		}
		if _, ferr := w.b.pool.Exec(ctx, `UPDATE archive_export SET state = 'failed', error = $2 WHERE id = $1 AND state = 'pending'`,
			job.Args.ExportID, msg); ferr != nil {
			return errors.Join(err, ferr)
		}
	}
	return err
}

func (b *Builder) run(ctx context.Context, id uuid.UUID) error {
	var caseID, tenantID uuid.UUID
	var state, by string
	err := b.pool.QueryRow(ctx, `SELECT case_id, tenant_id, state, requested_by FROM archive_export WHERE id = $1`, id).Scan(&caseID, &tenantID, &state, &by)
	if errors.Is(err, pgx.ErrNoRows) {
		return river.JobCancel(fmt.Errorf("archive: export %s does not exist", id))
	}
	if err != nil {
		return fmt.Errorf("archive: export %s: %w", id, err)
	}
	if state != StatePending {
		return nil
	}
	pkg, err := b.Build(ctx, caseID, time.Now())
	if err != nil {
		return fmt.Errorf("archive: export %s: %w", id, err)
	}
	sum := sha256.Sum256(pkg)
	err = db.Transact(ctx, b.pool, func(tx pgx.Tx) error {
		tag, err := tx.Exec(ctx, `
			UPDATE archive_export SET state = 'done', done_at = now(), package = $2, size = $3, sha256 = $4
			WHERE id = $1 AND state = 'pending'`, id, pkg, len(pkg), sum[:])
		if err != nil || tag.RowsAffected() == 0 {
			return err
		}
		_, err = tx.Exec(ctx, `INSERT INTO case_event (tenant_id, case_id, kind, actor, data) VALUES ($1, $2, 'exported', $3, jsonb_build_object('export', $4::text))`,
			tenantID, caseID, by, id.String())
		return err
	})
	if err != nil {
		return fmt.Errorf("archive: keep export %s: %w", id, err)
	}
	b.log.InfoContext(ctx, "archive package made", "export_id", id, "bytes", len(pkg))
	return nil
}

// entry is a file of the package as the manifest lists it.
type entry struct {
	path, mime string
	size       int64
	sum        string
}

// pkgWriter writes the package's files under its root folder and remembers each for the manifest.
type pkgWriter struct {
	zip     *zip.Writer
	root    string
	at      time.Time
	entries []entry
}

func (w *pkgWriter) add(p, mime string, data []byte) error {
	h := &zip.FileHeader{Name: w.root + "/" + p, Method: zip.Deflate, Modified: w.at}
	if strings.HasPrefix(mime, "image/") || mime == "application/pdf" {
		h.Method = zip.Store // already compressed
	}
	f, err := w.zip.CreateHeader(h)
	if err != nil {
		return err
	}
	if _, err := f.Write(data); err != nil {
		return err
	}
	sum := sha256.Sum256(data)
	w.entries = append(w.entries, entry{path: p, mime: mime, size: int64(len(data)), sum: hex.EncodeToString(sum[:])})
	return nil
}

func (w *pkgWriter) addXML(p string, v any) error {
	var buf bytes.Buffer
	buf.WriteString(xml.Header)
	enc := xml.NewEncoder(&buf)
	enc.Indent("", "  ")
	if err := enc.Encode(v); err != nil {
		return err
	}
	buf.WriteByte('\n')
	return w.add(p, "text/xml", buf.Bytes())
}

// Build makes the archive package of a closed case, as of at: the ZIP described in the package's
// documentation. A file whose content no longer has the SHA-256 it was uploaded with stops the
// build: the package would not hold what the citizen sent.
func (b *Builder) Build(ctx context.Context, caseID uuid.UUID, at time.Time) ([]byte, error) {
	rec, err := b.cases.ForArchive(ctx, caseID)
	if err != nil {
		return nil, err
	}
	c := rec.Case
	if c.Status != casework.StatusClosed {
		return nil, ErrOpen
	}
	at = at.UTC().Truncate(time.Second)
	sv := i18n.For("sv")
	var buf bytes.Buffer
	w := &pkgWriter{zip: zip.NewWriter(&buf), root: folderName(c.Reference), at: at}

	// The original files, as uploaded, checked against the SHA-256 kept since.
	refs := map[uuid.UUID]string{}
	names := map[uuid.UUID]string{}
	n := 0
	err = b.cases.EachFile(ctx, caseID, func(f casework.File, stored, data []byte) error {
		sum := sha256.Sum256(data)
		if !bytes.Equal(sum[:], stored) || int64(len(data)) != f.Size {
			return fmt.Errorf("archive: file %s of case %s does not match its checksum", f.ID, c.Reference)
		}
		n++
		dir := "files/"
		if f.MessageID != nil {
			dir = "messages/"
		}
		p := dataPath + dir + fmt.Sprintf("%02d-%s", n, safeName(f.Name))
		refs[f.ID], names[f.ID] = p, f.Name
		return w.add(p, f.ContentType, data)
	})
	if err != nil {
		return nil, err
	}

	// The answers, as XML and as the receipt's PDF.
	def := rec.Version.Definition
	steps := def.Summary(c.Answers, "sv", func(key string) string { return sv.T(key) })
	answers := AnswersXML{Reference: c.Reference, Version: rec.Version.Number}
	doc := receipt.Document{
		Municipality: rec.EService.Municipality, EService: rec.EService.Title.In("sv"), Reference: c.Reference,
		SubmittedAt: c.SubmittedAt, Lang: "sv",
		Labels: receipt.Labels{
			Title: sv.T("pdf.title"), Reference: sv.T("pdf.reference"), Submitted: sv.T("receipt.submitted"),
			EService: sv.T("receipt.eservice"), Municipality: sv.T("receipt.municipality"), Answers: sv.T("receipt.answers"),
			Attachments: sv.T("case.files"), Unanswered: sv.T("review.unanswered"), Footer: sv.T("receipt.public"), Page: sv.T("pdf.page"),
		},
	}
	var documents []DocumentXML
	for _, st := range steps {
		sx := StepXML{Key: st.Key, Title: st.Title}
		rs := receipt.Step{Title: st.Title}
		for _, it := range st.Items {
			fx := FieldXML{Key: it.Field, Type: string(it.Type), Label: it.Label}
			values := it.Values
			if it.Type == form.File {
				values = nil
				for _, v := range it.Values {
					id, err := uuid.Parse(v)
					if p, ok := refs[id]; err == nil && ok {
						fx.Values = append(fx.Values, ValueXML{Ref: p, Text: names[id]})
						values = append(values, names[id])
						documents = append(documents, DocumentXML{Type: "file", Field: it.Field, Name: names[id], Ref: p})
					}
				}
			} else {
				for _, v := range values {
					fx.Values = append(fx.Values, ValueXML{Text: v})
				}
			}
			sx.Fields = append(sx.Fields, fx)
			rs.Items = append(rs.Items, receipt.Item{Label: it.Label, Values: values})
		}
		answers.Steps = append(answers.Steps, sx)
		doc.Steps = append(doc.Steps, rs)
	}
	for _, f := range rec.Files {
		if f.MessageID == nil {
			doc.Attachments = append(doc.Attachments, receipt.Attachment{Name: f.Name, Size: f.Size})
		}
	}
	if err := w.addXML(AnswersPath, answers); err != nil {
		return nil, err
	}
	var pdf bytes.Buffer
	if err := receipt.Render(&pdf, doc); err != nil {
		return nil, err
	}
	if err := w.add(ReceiptPath, "application/pdf", pdf.Bytes()); err != nil {
		return nil, err
	}
	documents = append([]DocumentXML{
		{Type: "answers", Name: path.Base(AnswersPath), Ref: AnswersPath},
		{Type: "receipt", Name: path.Base(ReceiptPath), Ref: ReceiptPath},
	}, documents...)

	// The case itself: metadata, history, messages and decision.
	cx := caseXML(rec, at, refs, documents)
	if err := w.addXML(CasePath, cx); err != nil {
		return nil, err
	}

	// The manifest, last: it lists every file written before it.
	if err := w.addXML(ManifestPath, manifest(rec, at, w.entries)); err != nil {
		return nil, err
	}
	if err := w.zip.Close(); err != nil {
		return nil, err
	}
	return buf.Bytes(), nil
}

func utc(t time.Time) string { return t.UTC().Format(time.RFC3339) }

// caseXML is case.xml of the record.
func caseXML(rec casework.Record, at time.Time, refs map[uuid.UUID]string, documents []DocumentXML) CaseXML {
	c := rec.Case
	cx := CaseXML{
		ID: c.ID.String(), Exported: utc(at), Reference: c.Reference,
		Municipality: MunicipalityXML{Code: rec.EService.MunicipalityCode, Name: rec.EService.Municipality},
		EService:     EServiceXML{ID: rec.EService.ID.String(), Slug: rec.EService.Slug, Version: rec.Version.Number, Title: rec.EService.Title.In("sv")},
		Applicant:    ApplicantXML{Anonymous: c.Anonymous, LoggedIn: c.AccountID != nil},
		Submitted:    utc(c.SubmittedAt),
		Status:       StatusXML{Type: c.Status, Key: c.StatusKey},
		Decision:     rec.Decision,
		Documents:    documents,
		Revisions:    rec.Revisions,
	}
	if a := rec.Applicant; a != nil {
		cx.Applicant.ProtectedIdentity = a.Protected
		cx.Applicant.Name = a.DisplayName
		cx.Applicant.PersonalNumber = a.PersonalNumber.Formatted()
		cx.Applicant.Email = a.Email
		cx.Applicant.Phone = a.Phone
	}
	for _, s := range rec.Statuses {
		if s.Key == c.StatusKey {
			cx.Status.Label = s.Label.In("sv")
		}
	}
	for _, e := range rec.Events {
		cx.Events = append(cx.Events, EventXML{Kind: e.Kind, At: utc(e.At), Actor: e.Actor, Status: e.Status})
		if e.Kind == "status" && e.Status == casework.StatusClosed {
			cx.Closed = utc(e.At)
		}
	}
	for _, m := range rec.Messages {
		mx := MessageXML{ID: m.ID.String(), From: m.Sender, Author: m.AuthorName, At: utc(m.CreatedAt), Body: m.Body}
		if m.Sender == message.Citizen && mx.Author == "" {
			mx.Author = cx.Applicant.Name
		}
		for _, a := range m.Attachments {
			mx.Attachments = append(mx.Attachments, AttachmentXML{Name: a.Name, Ref: refs[a.ID]})
		}
		cx.Messages = append(cx.Messages, mx)
	}
	for _, r := range rec.Requests {
		cx.Requests = append(cx.Requests, SupplementXML{RequestedBy: r.RequestedBy, At: utc(r.RequestedAt), Text: r.Request})
	}
	return cx
}

// manifest is METS.xml of the package's files: case.xml as its descriptive metadata, every other
// file in the one representation.
func manifest(rec casework.Record, at time.Time, entries []entry) METS {
	m := METS{XMLNS: metsNS, XLink: xlinkNS, ObjID: rec.Case.Reference, Type: "Ärende",
		Label: rec.EService.Title.In("sv") + " " + rec.Case.Reference}
	m.Header.CreateDate = utc(at)
	m.Header.Status = "NEW"
	m.Header.Agents = []METSAgent{
		{Role: "CREATOR", Type: "OTHER", OtherType: "SOFTWARE", Name: "Mina sidor"},
		{Role: "ARCHIVIST", Type: "ORGANIZATION", Name: rec.EService.Municipality},
	}
	group := METSFileGroup{ID: "rep1", Use: "Representations/rep1"}
	var pointers []METSPtr
	for i, e := range entries {
		if e.path == CasePath {
			ref := METSMdRef{LocType: "URL", XLinkType: "simple", Href: e.path, MDType: "OTHER", OtherMDType: Namespace,
				MimeType: e.mime, Size: e.size, Created: utc(at), Checksum: e.sum, ChecksumType: "SHA-256"}
			m.DmdSec = append(m.DmdSec, METSDmd{ID: "dmd-case", Created: utc(at), Ref: ref})
			continue
		}
		f := METSFile{ID: fmt.Sprintf("file-%03d", i+1), MimeType: e.mime, Size: e.size, Created: utc(at), Checksum: e.sum, ChecksumType: "SHA-256"}
		f.Location.LocType, f.Location.XLinkType, f.Location.Href = "URL", "simple", e.path
		group.Files = append(group.Files, f)
		pointers = append(pointers, METSPtr{FileID: f.ID})
	}
	m.Files.Groups = []METSFileGroup{group}
	m.StructMap.Type, m.StructMap.Label = "PHYSICAL", "CSIP"
	m.StructMap.Div = METSDiv{Label: rec.Case.Reference, Divs: []METSDiv{
		{Label: "Metadata", DmdID: "dmd-case"},
		{Label: "Representations/rep1", Pointers: pointers},
	}}
	return m
}

// folderName is the package's root folder: the reference, which is made of letters, digits and
// dashes.
func folderName(reference string) string { return safeName(reference) }

// safeName is a file name that every archive and file system takes: letters (Swedish ones too),
// digits, dots, dashes and underscores, at most 100 characters; anything else becomes "_".
func safeName(name string) string {
	var b strings.Builder
	for _, r := range name {
		if unicode.IsLetter(r) || unicode.IsDigit(r) || r == '.' || r == '-' || r == '_' {
			b.WriteRune(r)
		} else {
			b.WriteRune('_')
		}
	}
	s := strings.Trim(b.String(), ".")
	if r := []rune(s); len(r) > 100 {
		s = string(r[len(r)-100:])
	}
	if s == "" {
		s = "fil"
	}
	return s
}
