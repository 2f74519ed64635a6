package apperr

import (
	"errors"
	"fmt"
	"testing"
)

func TestKindAndKeyThroughWrapping(t *testing.T) {
	errMissing := New(NotFound, "error.case.notfound")
	wrapped := fmt.Errorf("load case: %w", errMissing)

	if got := KindOf(wrapped); got != NotFound {
		t.Errorf("KindOf = %v, want not found", got)
	}
	if got := KeyOf(wrapped); got != "error.case.notfound" {
		t.Errorf("KeyOf = %q", got)
	}
	if !errors.Is(wrapped, errMissing) {
		t.Error("errors.Is does not find the sentinel through wrapping")
	}
	if !errors.Is(wrapped, &Error{Kind: NotFound}) {
		t.Error("errors.Is does not match by kind alone")
	}
	if errors.Is(wrapped, New(NotFound, "error.other")) {
		t.Error("errors.Is matched a sentinel with another key")
	}
	if errors.Is(wrapped, &Error{Kind: Conflict}) {
		t.Error("errors.Is matched another kind")
	}
}

func TestPlainErrorIsInternal(t *testing.T) {
	if got := KindOf(errors.New("boom")); got != Internal {
		t.Errorf("KindOf(plain) = %v, want internal", got)
	}
	cause := errors.New("disk on fire")
	err := Wrap(Internal, "", cause)
	if !errors.Is(err, cause) {
		t.Error("Wrap hides its cause from errors.Is")
	}
}
