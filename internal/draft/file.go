package draft

import (
	"context"
	"crypto/sha256"
	"errors"
	"fmt"
	"net/http"
	"path/filepath"
	"slices"
	"strings"
	"unicode"

	"github.com/google/uuid"
	"github.com/jackc/pgx/v5"
	"github.com/minasidor/minasidor/internal/apperr"
	"github.com/minasidor/minasidor/internal/db"
	"github.com/minasidor/minasidor/internal/form"
	"github.com/minasidor/minasidor/internal/virusscan"
)

// File is an uploaded file, without its content.
type File struct {
	ID          uuid.UUID
	Field       string
	Name        string
	ContentType string
	Size        int64
	Submitted   bool // a file of the case a supplement draft edits: kept, not removable
}

// Upload errors, each a message for the user.
var (
	ErrFileType    = apperr.New(apperr.Invalid, "error.file.type")
	ErrFileSize    = apperr.New(apperr.Invalid, "error.file.size")
	ErrFileCount   = apperr.New(apperr.Invalid, "error.file.count")
	ErrFileEmpty   = apperr.New(apperr.Invalid, "error.file.empty")
	ErrFileMissing = apperr.New(apperr.NotFound, "")
)

// SniffType returns the content type of data as its bytes tell, never as its name claims.
// Office documents (zip containers) are recognised by their content markers.
func SniffType(data []byte) string {
	ct := http.DetectContentType(data)
	if i := strings.IndexByte(ct, ';'); i >= 0 {
		ct = ct[:i]
	}
	if ct == "application/zip" && strings.Contains(string(data[:min(len(data), 4096)]), "word/") {
		return "application/vnd.openxmlformats-officedocument.wordprocessingml.document"
	}
	return ct
}

// CheckFile checks a file for a file field: not empty, within the field's size, and of one of its
// types by its content. It returns the content type. The field's count limit is the caller's.
func CheckFile(f form.Field, data []byte) (string, error) {
	if f.Upload == nil {
		return "", fmt.Errorf("draft: field %s takes no files", f.Key)
	}
	if len(data) == 0 {
		return "", ErrFileEmpty
	}
	if int64(len(data)) > f.Upload.MaxBytes {
		return "", ErrFileSize
	}
	ct := SniffType(data)
	if !slices.Contains(f.Upload.Types, ct) {
		return "", ErrFileType
	}
	return ct, nil
}

// AddFile stores a file for a file field of the owner's draft, after scanning it for viruses and
// checking its real type, size and the field's count limit. An infected file is refused with
// virusscan.ErrInfected (and recorded); one the scanner gives no verdict on is refused, or kept
// marked for a later scan, as the scanner's policy says.
func (s *Store) AddFile(ctx context.Context, d Draft, f form.Field, name string, data []byte) (File, error) {
	scanState := virusscan.ScanClean
	if f.Upload != nil && len(data) > 0 && int64(len(data)) <= f.Upload.MaxBytes {
		// Scanned before its type is checked, so that an infected file is always said to be.
		pending, err := s.scan.Check(ctx, virusscan.Upload{TenantID: d.TenantID, Source: virusscan.SourceDraftFile, MayWait: true}, data)
		if err != nil {
			return File{}, err
		}
		if pending {
			scanState = virusscan.ScanPending
		}
	}
	ct, err := CheckFile(f, data)
	if err != nil {
		return File{}, err
	}
	sum := sha256.Sum256(data)
	file := File{Field: f.Key, Name: CleanName(name), ContentType: ct, Size: int64(len(data))}
	err = s.db.QueryRow(ctx, `
		INSERT INTO upload (tenant_id, draft_id, field_key, filename, content_type, size, sha256, data, scan)
		SELECT $1, $2, $3, $4, $5, $6, $7, $8, $10
		WHERE (SELECT count(*) FROM upload u WHERE `+strings.ReplaceAll(ofDraft, "$1", "$2")+` AND u.field_key = $3) < $9
		RETURNING id`, d.TenantID, d.ID, f.Key, file.Name, ct, file.Size, sum[:], data, f.Upload.MaxFiles, scanState).Scan(&file.ID)
	if errors.Is(err, pgx.ErrNoRows) {
		return File{}, ErrFileCount
	}
	if err != nil {
		return File{}, fmt.Errorf("draft: store file: %w", err)
	}
	return file, nil
}

// ofDraft selects a draft's files: its own, and for a supplement draft those already submitted
// with the case's form.
const ofDraft = `(u.draft_id = $1 OR (u.message_id IS NULL AND u.case_id = (SELECT case_id FROM draft WHERE id = $1)))`

// Files returns the files of a draft, in the order they came.
func (s *Store) Files(ctx context.Context, draftID uuid.UUID) ([]File, error) {
	var files []File
	if err := db.Read(ctx, s.db, func(b *pgx.Batch) { queueFiles(b, draftID, &files) }); err != nil {
		return nil, fmt.Errorf("draft: files: %w", err)
	}
	return files, nil
}

// queueFiles queues on b the reading of the draft's files, in the order they came, into out.
func queueFiles(b *pgx.Batch, draftID uuid.UUID, out *[]File) {
	db.QueueRows(b, out, func(r pgx.CollectableRow) (File, error) {
		var f File
		err := r.Scan(&f.ID, &f.Field, &f.Name, &f.ContentType, &f.Size, &f.Submitted)
		return f, err
	}, `SELECT u.id, u.field_key, u.filename, u.content_type, u.size, u.draft_id IS NULL
		FROM upload u WHERE `+ofDraft+` ORDER BY u.created_at, u.id`, draftID)
}

// RemoveFile deletes a file of the draft.
func (s *Store) RemoveFile(ctx context.Context, draftID, fileID uuid.UUID) error {
	_, err := s.db.Exec(ctx, `DELETE FROM upload WHERE id = $1 AND draft_id = $2`, fileID, draftID)
	return err
}

// FileContent returns a file of the draft with its content; a file not scanned yet, or found
// infected by a later scan, is not served (virusscan.Servable).
func (s *Store) FileContent(ctx context.Context, draftID, fileID uuid.UUID) (File, []byte, error) {
	var f File
	var data []byte
	var scanState string
	err := s.db.QueryRow(ctx, `
		SELECT u.id, u.field_key, u.filename, u.content_type, u.size, u.draft_id IS NULL, u.data, u.scan
		FROM upload u WHERE `+ofDraft+` AND u.id = $2`, draftID, fileID).
		Scan(&f.ID, &f.Field, &f.Name, &f.ContentType, &f.Size, &f.Submitted, &data, &scanState)
	if errors.Is(err, pgx.ErrNoRows) {
		return File{}, nil, ErrFileMissing
	}
	if err != nil {
		return File{}, nil, err
	}
	if err := virusscan.Servable(scanState); err != nil {
		return File{}, nil, err
	}
	return f, data, nil
}

// CleanName keeps the base name of an uploaded file, without control characters or paths.
func CleanName(name string) string {
	name = filepath.Base(strings.ReplaceAll(name, "\\", "/"))
	name = strings.Map(func(r rune) rune {
		if unicode.IsControl(r) || r == '"' {
			return -1
		}
		return r
	}, name)
	if name == "" || name == "." || name == "/" {
		return "fil"
	}
	if len(name) > 200 {
		name = name[len(name)-200:]
	}
	return name
}
