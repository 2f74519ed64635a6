// Package signature is what a signature with e-ID is: the EID interface that makes one (the IdP
// shows the signer a text and authenticates them) and checks it again later, and the evidence
// kept. auth.Signer is the SAML implementation after the Sweden Connect signature message
// extension; package signing uses it for the signatures of drafts.
package signature

import (
	"context"
	"errors"
	"net/url"
	"time"

	"github.com/minasidor/minasidor/internal/personnummer"
)

// EID makes a signature with an e-ID: the IdP shows the signer a text (the sign message) and
// authenticates them, and its signed answer is the evidence. auth.Signer is the SAML
// implementation after the Sweden Connect signature message extension; the development IdP
// answers it as a real IdP does.
type EID interface {
	// Request returns the address that sends the signer's browser to the IdP with a request to
	// show message and authenticate the person, and the request's id. relayState comes back with
	// the answer.
	Request(message, relayState string) (redirect, requestID string, err error)
	// Verify checks the IdP's answer (the form posted to the assertion consumer) to the request
	// want.RequestID: signed by the IdP, answering the request, at a level of assurance that
	// shows a sign message, with the digest of want.Message, and naming want.Signer. It returns
	// the evidence to keep. An answer naming someone else is a *WrongSignerError, a cancel
	// ErrCancelled, anything else ErrRefused (wrapping the cause, for the log).
	Verify(ctx context.Context, form url.Values, want Expected) (Evidence, error)
	// Check verifies kept evidence again, later: the IdP's signature against its certificates
	// of today and the one the signature was checked against when it was made, the signer and
	// the sign message's digest.
	Check(e Evidence, message string) Check
}

// Expected is what a signature's answer must hold.
type Expected struct {
	RequestID string
	Message   string
	Signer    personnummer.Number
}

// Evidence is what a signature keeps: the IdP's signed response as received, and what was read
// from it.
type Evidence struct {
	Response       []byte // the SAML response as received (XML)
	Issuer         string
	Certificate    []byte // DER of the IdP certificate whose signature was checked
	LoA            string
	AssertionID    string
	PersonalNumber personnummer.Number
	Name           string
	SignedAt       time.Time
}

// Check is the outcome of checking kept evidence again.
type Check struct {
	Valid bool
	// Current: the signature verifies against a certificate the IdP publishes today; otherwise,
	// when Valid, against the certificate kept with it (the IdP has changed certificates).
	Current bool
	Signer  personnummer.Number // as the signed assertion names them
	Problem string              // why it is not valid, for staff (English, no personal data)
}

// Errors of Verify.
var (
	ErrCancelled = errors.New("signature: the signer cancelled at the IdP")
	ErrRefused   = errors.New("signature: the IdP's answer is refused")
)

// WrongSignerError is an answer naming another person than the one who must sign.
type WrongSignerError struct {
	Name string // who did authenticate, as the IdP names them
}

func (e *WrongSignerError) Error() string {
	return "signature: the answer names another person than the signer"
}
