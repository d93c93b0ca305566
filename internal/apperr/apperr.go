// Package apperr is the one error type every surface answers with: a kind
// of failure (which the HTTP layer maps to a status), a message safe to
// show to the client, and, for logs only, the cause. Protocol and service
// code return these kinds and never name an HTTP status; the echo error
// handler in package handlers turns them into answers, in one place.
//
// It imports nothing of Pollen, nor net/http, so that any package may
// return its errors.
package apperr

import (
	"fmt"
	"time"
)

// Kind is what went wrong, as far as the client is concerned. Each kind
// answers with one HTTP status (Status).
type Kind int

// The kinds of failure. The zero Kind is Internal.
const (
	// Internal is a failure of the node itself: 500.
	Internal Kind = iota
	// Invalid is a malformed request (a bad parameter or body): 400.
	Invalid
	// Unauthorized is a request without valid credentials (a token, a
	// signature): 401.
	Unauthorized
	// Forbidden is a request its sender may not make: 403.
	Forbidden
	// NotFound is a request for what is not here: 404.
	NotFound
	// Timeout is a request whose body did not arrive in time: 408.
	Timeout
	// Conflict is a request that clashes with what is stored (a slug
	// taken, an activity received before): 409.
	Conflict
	// Gone is a request for what was deleted: 410.
	Gone
	// TooLarge is a request body, or a document, over its size limit: 413.
	TooLarge
	// Unsupported is a body of a media type not accepted here: 415.
	Unsupported
	// Unprocessable is a well-formed request with invalid content; Fields
	// names the bad fields: 422.
	Unprocessable
	// TooMany is a request beyond a rate or quota; RetryAfter says when to
	// come back: 429.
	TooMany
	// BadGateway is an answer from another server that cannot be used: 502.
	BadGateway
	// Unavailable is a node that cannot answer now (busy, its database
	// down); RetryAfter may say when to come back: 503.
	Unavailable
	// GatewayTimeout is another server that did not answer in time: 504.
	GatewayTimeout
)

// statuses are the HTTP statuses of the kinds, by Kind.
var statuses = [...]int{
	Internal: 500, Invalid: 400, Unauthorized: 401, Forbidden: 403, NotFound: 404,
	Timeout: 408, Conflict: 409, Gone: 410, TooLarge: 413, Unsupported: 415,
	Unprocessable: 422, TooMany: 429, BadGateway: 502, Unavailable: 503, GatewayTimeout: 504,
}

// names are the kinds' names, for logs.
var names = [...]string{
	Internal: "internal", Invalid: "invalid", Unauthorized: "unauthorized", Forbidden: "forbidden",
	NotFound: "not found", Timeout: "timeout", Conflict: "conflict", Gone: "gone", TooLarge: "too large",
	Unsupported: "unsupported", Unprocessable: "unprocessable", TooMany: "too many",
	BadGateway: "bad gateway", Unavailable: "unavailable", GatewayTimeout: "gateway timeout",
}

// Status is the HTTP status the kind answers with; an unknown kind is 500.
func (k Kind) Status() int {
	if k < 0 || int(k) >= len(statuses) {
		return 500
	}
	return statuses[k]
}

// String names the kind.
func (k Kind) String() string {
	if k < 0 || int(k) >= len(names) {
		return fmt.Sprintf("kind %d", int(k))
	}
	return names[k]
}

// Error is a failure the client caused or must know of. Message is safe to
// show; Fields names each invalid input field with its reason
// (Unprocessable); RetryAfter (TooMany, Unavailable) is how long the client
// should wait before trying again; Err, if set, is the cause, logged and
// never shown.
type Error struct {
	Kind       Kind
	Message    string
	Fields     map[string]string
	RetryAfter time.Duration
	Err        error
}

// Error gives the status, the message and the cause, for logs.
func (e *Error) Error() string {
	if e.Err != nil {
		return fmt.Sprintf("%d %s: %v", e.Kind.Status(), e.Message, e.Err)
	}
	return fmt.Sprintf("%d %s", e.Kind.Status(), e.Message)
}

// Unwrap returns the cause, so that errors.Is and errors.As see it.
func (e *Error) Unwrap() error { return e.Err }

// Errorf makes an *Error of the given kind with a formatted message. The
// message is shown to the client: %w is not for it (set Err for a cause).
func Errorf(kind Kind, format string, args ...any) *Error {
	return &Error{Kind: kind, Message: fmt.Sprintf(format, args...)}
}

// Wrap makes an *Error of the given kind and message, with err as its
// logged cause.
func Wrap(kind Kind, err error, message string) *Error {
	return &Error{Kind: kind, Message: message, Err: err}
}

// InvalidFields is the Unprocessable *Error naming each bad field with its
// reason: "some fields are not valid".
func InvalidFields(fields map[string]string) *Error {
	return &Error{Kind: Unprocessable, Message: "some fields are not valid", Fields: fields}
}
