package extract

import (
	"archive/zip"
	"bytes"
	"context"
	"fmt"
	"path"
	"strings"
	"unicode"

	"github.com/google/uuid"
	"github.com/minasidor/minasidor/internal/db"
)

// Names in the ZIP.
const (
	DocumentName = "utdrag.json"
	ReadmeName   = "LASMIG.txt"
	filesDir     = "filer"
)

// readme is the ZIP's text file: what it holds and where the format is described.
const readme = `Registerutdrag från Mina sidor / Register extract from Mina sidor

utdrag.json  Allt Mina sidor har om dig, i formatet minasidor.extract version 1.
             Everything Mina sidor holds about you, in the format minasidor.extract version 1.
filer/       Filerna du har laddat upp eller fått, ordnade efter ärende och utkast; sökvägen
             står vid varje fil i utdrag.json ("path"), med dess SHA-256.
             The files you uploaded or received, by case and draft; each file's "path" and
             SHA-256 are given in utdrag.json.

Formatet beskrivs fält för fält på Mina sidor: /registerutdrag/format
The format is described field by field on Mina sidor: /registerutdrag/format
`

// filePath is where the ZIP holds a file: under the case's reference or the draft's name, with
// the file's id first so that two files of one name never collide.
func filePath(dir string, id uuid.UUID, name string) string {
	return path.Join(filesDir, safeName(dir), id.String()[:8]+"-"+safeName(name))
}

// safeName keeps letters, digits and a few marks, so that the path is safe in every unzip tool.
func safeName(s string) string {
	s = strings.Map(func(r rune) rune {
		switch {
		case unicode.IsLetter(r), unicode.IsDigit(r), r == '.', r == '-', r == '_', r == '/':
			return r
		}
		return '_'
	}, s)
	s = strings.ReplaceAll(s, "..", "_")
	if len(s) > 120 {
		s = s[len(s)-120:]
	}
	return strings.Trim(s, "/")
}

// zipOf makes the ZIP of the extract: the document, the readme, and every file it lists with
// its content from the database.
func zipOf(ctx context.Context, q db.Querier, d Document, body []byte) ([]byte, error) {
	var buf bytes.Buffer
	z := zip.NewWriter(&buf)
	add := func(name string, data []byte) error {
		w, err := z.CreateHeader(&zip.FileHeader{Name: name, Method: zip.Deflate, Modified: d.CreatedAt})
		if err != nil {
			return err
		}
		_, err = w.Write(data)
		return err
	}
	if err := add(DocumentName, body); err != nil {
		return nil, err
	}
	if err := add(ReadmeName, []byte(readme)); err != nil {
		return nil, err
	}
	for _, f := range d.AllFiles() {
		var data []byte
		if err := q.QueryRow(ctx, `SELECT data FROM upload WHERE id = $1`, f.ID).Scan(&data); err != nil {
			return nil, fmt.Errorf("extract: file %s: %w", f.ID, err)
		}
		if err := add(f.Path, data); err != nil {
			return nil, err
		}
	}
	if err := z.Close(); err != nil {
		return nil, err
	}
	return buf.Bytes(), nil
}

// AllFiles lists every file of the extract: of the drafts, the cases and their messages.
func (d Document) AllFiles() []File {
	var out []File
	for _, dr := range d.Drafts {
		out = append(out, dr.Files...)
	}
	for _, c := range d.Cases {
		out = append(out, c.Files...)
		for _, m := range c.Messages {
			out = append(out, m.Files...)
		}
	}
	return out
}
