// Package virusscan checks uploaded files for viruses before they are stored.
//
// A Scanner answers whether some bytes are infected. Clamd is the real one: a small client of
// ClamAV's daemon (clamd) that streams the bytes with its INSTREAM command, over TCP or a unix
// socket. EICAROnly is the development scanner, used when no clamd is configured outside
// production: it recognises nothing but the EICAR anti-virus test file, so that the refusal of an
// infected file can be tried without a daemon.
//
// A Guard is what the stores call (draft files, message attachments, the municipality's logo,
// e-service imports): it scans, records a finding and refuses an infected file, and decides by
// its policy what happens when the scanner cannot be reached: refuse the file, or accept it
// marked for a later scan (Rescan, a River job).
package virusscan

import (
	"bytes"
	"context"
	"errors"
)

// Result is a scanner's verdict on some bytes.
type Result struct {
	Infected  bool
	Signature string // the name of what was found, e.g. Eicar-Test-Signature; empty when clean
}

// Scanner scans bytes for viruses.
type Scanner interface {
	// Scan returns the verdict on data, or an error that wraps ErrUnavailable when no verdict
	// could be had (the scanner is down, too slow, or refused the file).
	Scan(ctx context.Context, data []byte) (Result, error)
	// Ping reports whether the scanner answers.
	Ping(ctx context.Context) error
	// Name says which scanner this is, for the log and the start-up line.
	Name() string
}

// ErrUnavailable is wrapped by every error of a scan that gave no verdict.
var ErrUnavailable = errors.New("virusscan: scanner unavailable")

// EICARSignature is the name EICAROnly reports, the one ClamAV's own databases use.
const EICARSignature = "Eicar-Test-Signature"

// EICAR returns the EICAR anti-virus test file: 68 harmless bytes that every scanner reports as
// a virus. It is put together here, not written out, so that the source and the binary do not
// hold it in one piece (a scanner looking at them would report them).
func EICAR() []byte {
	return []byte(`X5O!P%@AP[4\PZX54(P^)7CC)7}$` + `EICAR-STANDARD-ANTIVIRUS-TEST-FILE!$H+H*`)
}

// EICAROnly is the development scanner: it reports the EICAR test file (anywhere in the bytes,
// as our test signature for clamd does) and nothing else. It is never used in production.
type EICAROnly struct{}

// Scan reports data infected when it holds the EICAR test string.
func (EICAROnly) Scan(_ context.Context, data []byte) (Result, error) {
	if bytes.Contains(data, EICAR()) {
		return Result{Infected: true, Signature: EICARSignature}, nil
	}
	return Result{}, nil
}

// Ping always answers.
func (EICAROnly) Ping(context.Context) error { return nil }

// Name names the development scanner.
func (EICAROnly) Name() string { return "development scanner (EICAR test file only)" }
