package ap

import (
	"errors"
	"fmt"
)

// The kinds of refused document. Every error ParseActivity and ParseObject
// return is one of them (errors.Is) and its Error() is a message that is
// safe to show to the sender.
var (
	// ErrMalformed: the document is not JSON, not a JSON object, nested
	// too deep, lacks an id or a type, or has an id that is not an
	// absolute http(s) URL.
	ErrMalformed = errors.New("ap: malformed document")
	// ErrTooLarge: the document is larger than MaxActivitySize.
	ErrTooLarge = errors.New("ap: document too large")
)

// refusal is a refused document: kind is ErrMalformed or ErrTooLarge,
// message says why.
type refusal struct {
	kind    error
	message string
}

// Error is the message alone, safe to show.
func (e *refusal) Error() string { return e.message }

// Unwrap is the kind, for errors.Is.
func (e *refusal) Unwrap() error { return e.kind }

// malformed is an ErrMalformed with a formatted message.
func malformed(format string, args ...any) error {
	return &refusal{kind: ErrMalformed, message: fmt.Sprintf(format, args...)}
}

// tooLarge is an ErrTooLarge with a formatted message.
func tooLarge(format string, args ...any) error {
	return &refusal{kind: ErrTooLarge, message: fmt.Sprintf(format, args...)}
}
