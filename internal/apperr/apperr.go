// Package apperr defines the error kinds that domain packages return and that the web adapter
// maps to HTTP status codes. A kind says what went wrong for the caller; the message key names a
// safe, translatable text for the user. The wrapped error is for the log only.
package apperr

import (
	"errors"
	"fmt"
)

// Kind classifies an error for the caller.
type Kind int

const (
	Internal     Kind = iota // a fault of ours: logged, never explained to the user
	Invalid                  // the request or input is not acceptable
	Unauthorized             // the user must log in
	Forbidden                // the user is known but may not do this
	NotFound                 // no such thing, or the user may not know it exists
	Conflict                 // the thing is not in a state that allows this
	TooLarge                 // the request body is over its limit
	TooMany                  // too many attempts in a while: try again later
	Unavailable              // a service we ask (a register) cannot answer now: try again later
)

func (k Kind) String() string {
	switch k {
	case Invalid:
		return "invalid"
	case Unauthorized:
		return "unauthorized"
	case Forbidden:
		return "forbidden"
	case NotFound:
		return "not found"
	case Conflict:
		return "conflict"
	case TooLarge:
		return "too large"
	case TooMany:
		return "too many"
	case Unavailable:
		return "unavailable"
	default:
		return "internal"
	}
}

// Error is a domain error with a kind and a message key from the catalogue.
type Error struct {
	Kind Kind
	Key  string // catalogue key of the message shown to the user; empty for the kind's default
	Err  error  // the cause, for the log; never shown
}

func (e *Error) Error() string {
	switch {
	case e.Err != nil && e.Key != "":
		return fmt.Sprintf("%s (%s): %v", e.Kind, e.Key, e.Err)
	case e.Err != nil:
		return fmt.Sprintf("%s: %v", e.Kind, e.Err)
	case e.Key != "":
		return fmt.Sprintf("%s (%s)", e.Kind, e.Key)
	}
	return e.Kind.String()
}

func (e *Error) Unwrap() error { return e.Err }

// Is makes errors.Is(err, &Error{Kind: k}) match any error of that kind, and a sentinel with a
// key match only errors with that key.
func (e *Error) Is(target error) bool {
	t, ok := target.(*Error)
	if !ok {
		return false
	}
	return t.Kind == e.Kind && (t.Key == "" || t.Key == e.Key) && t.Err == nil
}

// New returns an error of the kind with the message key.
func New(kind Kind, key string) *Error { return &Error{Kind: kind, Key: key} }

// Wrap returns an error of the kind with the message key around a cause.
func Wrap(kind Kind, key string, err error) *Error { return &Error{Kind: kind, Key: key, Err: err} }

// KindOf reports the kind of err: the kind of the first *Error in its chain, Internal otherwise.
func KindOf(err error) Kind {
	var e *Error
	if errors.As(err, &e) {
		return e.Kind
	}
	var fe FieldErrors
	if errors.As(err, &fe) {
		return Invalid
	}
	return Internal
}

// KeyOf reports the message key of the first *Error in err's chain, or "".
func KeyOf(err error) string {
	var e *Error
	if errors.As(err, &e) {
		return e.Key
	}
	return ""
}
