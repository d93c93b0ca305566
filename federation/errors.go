package federation

import (
	"fmt"
	"time"

	"github.com/pollen-coop/pollen/models"
)

// ErrNotFound and ErrGone are the store's sentinels, which the service's
// methods pass on (wrapped) for what is not there or has been deleted;
// callers test them with errors.Is.
var (
	ErrNotFound = models.ErrNotFound
	ErrGone     = models.ErrGone
)

// FollowPending and FollowAccepted are the states a follow may be listed
// by (Followers, Following).
const (
	FollowPending  = models.FollowPending
	FollowAccepted = models.FollowAccepted
)

// Error is a failure the client caused or must know of: Status is the HTTP
// status to answer with, Message is safe to show, Fields names each invalid
// input field with its reason (for 422), RetryAfter (for 429 and 503) is
// how long the client should wait before trying again. Err, if set, is the
// cause and is logged, never shown.
type Error struct {
	Status     int
	Message    string
	Fields     map[string]string
	RetryAfter time.Duration
	Err        error
}

// Error gives the status, the message and the cause, for logs.
func (e *Error) Error() string {
	if e.Err != nil {
		return fmt.Sprintf("%d %s: %v", e.Status, e.Message, e.Err)
	}
	return fmt.Sprintf("%d %s", e.Status, e.Message)
}

// Unwrap returns the cause, so that errors.Is and errors.As see it.
func (e *Error) Unwrap() error { return e.Err }

// Errorf makes an *Error with the given status and a formatted message.
func Errorf(status int, format string, args ...any) *Error {
	return &Error{Status: status, Message: fmt.Sprintf(format, args...)}
}
