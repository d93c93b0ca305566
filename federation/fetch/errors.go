package fetch

import "errors"

// The kinds of failed fetch. Every refusal of a Fetcher is an *Error of one
// of these kinds (errors.Is); store errors and the node's missing actor
// come as they are.
var (
	// ErrRefused: what was asked is not fetched: a URL that is not http
	// or https, on a private network, of a domain the policy refuses, or
	// a malformed handle or keyId.
	ErrRefused = errors.New("fetch: refused")
	// ErrNoAccount: the host knows no account of that handle.
	ErrNoAccount = errors.New("fetch: no such account")
	// ErrBadAnswer: the remote server did not answer, or answered with
	// something the node cannot use (a status other than 200, another
	// Content-Type, another origin, a document too large or wrong).
	ErrBadAnswer = errors.New("fetch: unusable answer")
)

// The failures a Getter reports, wrapped, and that a Fetcher passes on as
// the cause of its refusals.
var (
	// ErrPrivateAddress: the host is on a private network, and private
	// networks are not allowed.
	ErrPrivateAddress = errors.New("fetch: refusing to connect to a private network address")
	// ErrTooLarge: the answer was longer than the limit.
	ErrTooLarge = errors.New("fetch: the answer is too large")
	// ErrCrossOrigin: the answer came, or would have come by a redirect,
	// from another origin than the URL asked.
	ErrCrossOrigin = errors.New("fetch: refusing a redirect to another origin")
)

// Error is a failed fetch: Kind is one of the kinds above, Message says
// what went wrong and is safe to show, Err is the cause, if any, for logs
// and errors.Is (models.ErrNotFound for a 404, models.ErrGone for a 410,
// ErrTooLarge, ErrCrossOrigin, ErrPrivateAddress…).
type Error struct {
	Kind    error
	Message string
	Err     error
}

// Error is the message, with the cause when there is one.
func (e *Error) Error() string {
	if e.Err != nil {
		return e.Message + ": " + e.Err.Error()
	}
	return e.Message
}

// Unwrap gives the kind and the cause, for errors.Is and errors.As.
func (e *Error) Unwrap() []error {
	if e.Err == nil {
		return []error{e.Kind}
	}
	return []error{e.Kind, e.Err}
}

func refused(message string, cause error) *Error {
	return &Error{Kind: ErrRefused, Message: message, Err: cause}
}

func badAnswer(message string, cause error) *Error {
	return &Error{Kind: ErrBadAnswer, Message: message, Err: cause}
}
