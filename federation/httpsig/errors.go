package httpsig

import "errors"

// The kinds of refused request. Every refusal Check, Params.CheckBody,
// Verify and the Verifier return is an *Error of one of these kinds
// (errors.Is).
var (
	// ErrMalformed: a Signature, Date or Digest header that cannot be
	// read, or more than one of them.
	ErrMalformed = errors.New("httpsig: malformed header")
	// ErrUnsigned: no Signature header, or a signature that does not
	// cover (request-target), host, date and, with a body, digest.
	ErrUnsigned = errors.New("httpsig: not signed")
	// ErrWrongHost: the request is signed for another host.
	ErrWrongHost = errors.New("httpsig: signed for another host")
	// ErrExpired: the Date is further than MaxClockSkew from now.
	ErrExpired = errors.New("httpsig: date out of the window")
	// ErrBadDigest: a body without a Digest, a Digest without SHA-256, or
	// a Digest that does not match the body.
	ErrBadDigest = errors.New("httpsig: bad digest")
	// ErrBadSignature: an unsupported algorithm, or a signature that does
	// not verify with the key.
	ErrBadSignature = errors.New("httpsig: bad signature")
	// ErrUnknownKey: the key the signature names cannot be found or
	// fetched, is not its owner's current key or not on its owner's host,
	// or cannot be read as an RSA key (Verifier.Verify).
	ErrUnknownKey = errors.New("httpsig: unknown or unusable key")
)

// Error is a refused request: Kind is one of the errors above, Message says
// why and is safe to show to the sender, Err is the cause, if any, for
// logs.
type Error struct {
	Kind    error
	Message string
	Err     error
}

// Error is the message alone, safe to show.
func (e *Error) Error() string { return e.Message }

// Unwrap gives the kind and the cause, for errors.Is and errors.As.
func (e *Error) Unwrap() []error {
	if e.Err == nil {
		return []error{e.Kind}
	}
	return []error{e.Kind, e.Err}
}

func refuse(kind error, message string, cause error) *Error {
	return &Error{Kind: kind, Message: message, Err: cause}
}
