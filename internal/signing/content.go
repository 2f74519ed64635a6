package signing

import (
	"context"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"fmt"
	"strings"

	"github.com/google/uuid"
	"github.com/jackc/pgx/v5"
	"github.com/minasidor/minasidor/internal/db"
	"github.com/minasidor/minasidor/internal/draft"
	"github.com/minasidor/minasidor/internal/eservice"
	"github.com/minasidor/minasidor/internal/form"
	"github.com/minasidor/minasidor/internal/organisation"
)

// Content is a draft exactly as it would be submitted now: its answers (normalised, with the
// hidden fields' answers left out, as casework.Submit stores them), the files they keep, and
// their hash. A signature signs the hash; any change of an answer or a file changes it, which
// voids the signatures made before.
type Content struct {
	Draft    draft.Draft
	EService eservice.EService
	Version  eservice.Version
	Rule     eservice.SigningRule
	Org      *organisation.Organisation // the organisation applied for (kind, number, name); nil for the applicant's own
	Answers  form.Answers               // as they will be submitted
	Files    []File                     // the files the answers keep, in the form's order
	Hash     []byte                     // sha-256 of the canonical JSON of the above
}

// File is a file of the content.
type File struct {
	ID          uuid.UUID
	Field       string
	Name        string
	ContentType string
	Size        int64
	SHA256      []byte
}

// hashed is the canonical document whose sha-256 is the content hash. encoding/json writes a
// map's keys in order, so the same content always makes the same bytes.
type hashed struct {
	EService uuid.UUID    `json:"eservice"`
	Version  uuid.UUID    `json:"version"`
	Answers  form.Answers `json:"answers"`
	Files    []hashedFile `json:"files"`
	Org      string       `json:"org,omitempty"` // kind:number:name of the organisation applied for
}

type hashedFile struct {
	Field  string `json:"field"`
	Name   string `json:"name"`
	Size   int64  `json:"size"`
	SHA256 string `json:"sha256"`
}

// loadContent reads the draft's content in q (a transaction or the pool), in one round trip. The
// draft is read whoever owns it: the caller checks who may see it.
func loadContent(ctx context.Context, q db.Querier, draftID uuid.UUID) (Content, error) {
	var r contentRead
	if err := db.Read(ctx, q, func(b *pgx.Batch) { queueContent(b, draftID, &r) }); err != nil {
		return Content{}, fmt.Errorf("signing: draft: %w", err)
	}
	return r.content()
}

// contentRead is a draft's content as a batch reads it, to be sealed once the batch has run.
type contentRead struct {
	c       Content
	answers []byte
	org     [3]*string // kind, number, name
	stored  []File
	found   bool
}

// queueContent queues on b the reading of the draft's content into out: the draft, its
// e-service, version and signing rule, and its files.
func queueContent(b *pgx.Batch, draftID uuid.UUID, out *contentRead) {
	d := &out.c.Draft
	db.QueueOptional(b, &out.found, func(row pgx.Row) error {
		return row.Scan(&d.ID, &d.TenantID, &d.EServiceID, &d.VersionID, &d.AccountID, &d.CaseID, &out.answers,
			&d.CurrentStep, &d.CreatedAt, &d.UpdatedAt, &out.org[0], &out.org[1], &out.org[2])
	}, `SELECT id, tenant_id, eservice_id, version_id, account_id, case_id, answers, current_step, created_at, updated_at,
			org_kind, org_number, org_name
		FROM draft WHERE id = $1`, draftID)
	eservice.QueueOfDraft(b, draftID, &out.c.EService)
	eservice.QueueVersionOfDraft(b, draftID, &out.c.Version)
	eservice.QueueSigningOfDraft(b, draftID, &out.c.Rule)
	db.QueueRows(b, &out.stored, func(r pgx.CollectableRow) (File, error) {
		var f File
		err := r.Scan(&f.ID, &f.Field, &f.Name, &f.ContentType, &f.Size, &f.SHA256)
		return f, err
	}, `SELECT id, field_key, filename, content_type, size, sha256 FROM upload WHERE draft_id = $1`, draftID)
}

// content is the content read, sealed; ErrNotFound when the draft does not exist.
func (r *contentRead) content() (Content, error) {
	if !r.found {
		return Content{}, ErrNotFound
	}
	c := r.c
	if err := json.Unmarshal(r.answers, &c.Draft.Answers); err != nil {
		return Content{}, fmt.Errorf("signing: draft answers: %w", err)
	}
	if kind, number, name := r.org[0], r.org[1], r.org[2]; kind != nil {
		c.Org = &organisation.Organisation{Kind: *kind, Number: *number, Name: *name}
	}
	c.seal(r.stored)
	return c, nil
}

// seal computes the answers as submitted, the files they keep and the hash.
func (c *Content) seal(stored []File) {
	def := c.Version.Definition
	c.Answers = def.Prune(def.Normalize(c.Draft.Answers))
	byID := map[string]File{}
	for _, f := range stored {
		byID[f.ID.String()] = f
	}
	h := hashed{EService: c.EService.ID, Version: c.Version.ID, Answers: c.Answers, Files: []hashedFile{}}
	if c.Org != nil {
		h.Org = c.Org.Kind + ":" + c.Org.Number + ":" + c.Org.Name
	}
	for _, st := range def.Steps {
		for _, fd := range st.Fields {
			if fd.Type != form.File {
				continue
			}
			for _, id := range c.Answers[fd.Key] {
				if f, ok := byID[id]; ok && f.Field == fd.Key {
					c.Files = append(c.Files, f)
					h.Files = append(h.Files, hashedFile{Field: f.Field, Name: f.Name, Size: f.Size, SHA256: hex.EncodeToString(f.SHA256)})
				}
			}
		}
	}
	b, _ := json.Marshal(h) // of plain types: cannot fail
	sum := sha256.Sum256(b)
	c.Hash = sum[:]
}

// HashText is the start of a content hash as people read it: 5 groups of 4 hex digits.
func HashText(hash []byte) string {
	s := strings.ToUpper(hex.EncodeToString(hash))
	if len(s) > 20 {
		s = s[:20]
	}
	var groups []string
	for i := 0; i < len(s); i += 4 {
		groups = append(groups, s[i:min(i+4, len(s))])
	}
	return strings.Join(groups, " ")
}
