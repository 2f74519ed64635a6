package db

import (
	"encoding/base64"
	"encoding/binary"
	"time"

	"github.com/google/uuid"
)

// EncodeCursor is the cursor of a page listed by key (a time, then an id, newest first) that
// ended at the row (t, id): the next page is the rows after it. It is opaque to the browser.
func EncodeCursor(t time.Time, id uuid.UUID) string {
	b := binary.BigEndian.AppendUint64(nil, uint64(t.UnixMicro()))
	return base64.RawURLEncoding.EncodeToString(append(b, id[:]...))
}

// DecodeCursor reads a cursor of EncodeCursor; ok is false for "" and for anything else that is
// not one (the list then starts at its first page).
func DecodeCursor(s string) (t time.Time, id uuid.UUID, ok bool) {
	b, err := base64.RawURLEncoding.DecodeString(s)
	if s == "" || err != nil || len(b) != 24 {
		return time.Time{}, uuid.Nil, false
	}
	id, _ = uuid.FromBytes(b[8:])
	return time.UnixMicro(int64(binary.BigEndian.Uint64(b))), id, true
}
