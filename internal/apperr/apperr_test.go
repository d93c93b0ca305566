package apperr_test

import (
	"errors"
	"io"
	"net/http"
	"testing"

	"github.com/pollen-coop/pollen/internal/apperr"
)

// TestKindStatus: each kind answers with its HTTP status.
func TestKindStatus(t *testing.T) {
	for kind, want := range map[apperr.Kind]int{
		apperr.Internal: http.StatusInternalServerError, apperr.Invalid: http.StatusBadRequest,
		apperr.Unauthorized: http.StatusUnauthorized, apperr.Forbidden: http.StatusForbidden,
		apperr.NotFound: http.StatusNotFound, apperr.Timeout: http.StatusRequestTimeout,
		apperr.Conflict: http.StatusConflict, apperr.Gone: http.StatusGone,
		apperr.TooLarge: http.StatusRequestEntityTooLarge, apperr.Unsupported: http.StatusUnsupportedMediaType,
		apperr.Unprocessable: http.StatusUnprocessableEntity, apperr.TooMany: http.StatusTooManyRequests,
		apperr.BadGateway: http.StatusBadGateway, apperr.Unavailable: http.StatusServiceUnavailable,
		apperr.GatewayTimeout: http.StatusGatewayTimeout, apperr.Kind(99): http.StatusInternalServerError,
	} {
		if got := kind.Status(); got != want {
			t.Errorf("%v.Status() = %d, want %d", kind, got, want)
		}
		if kind.String() == "" {
			t.Errorf("kind %d has no name", int(kind))
		}
	}
}

// TestError: the message, the cause and the status are in Error(); the
// cause is seen through errors.Is.
func TestError(t *testing.T) {
	err := error(apperr.Wrap(apperr.BadGateway, io.ErrUnexpectedEOF, "peer.example answered nothing"))
	if got, want := err.Error(), "502 peer.example answered nothing: unexpected EOF"; got != want {
		t.Errorf("Error() = %q, want %q", got, want)
	}
	if !errors.Is(err, io.ErrUnexpectedEOF) {
		t.Error("errors.Is does not see the cause")
	}
	var e *apperr.Error
	if !errors.As(err, &e) || e.Kind != apperr.BadGateway {
		t.Errorf("errors.As: %v", err)
	}
	if got := apperr.Errorf(apperr.NotFound, "no page %d", 3).Error(); got != "404 no page 3" {
		t.Errorf("Errorf: %q", got)
	}
	f := apperr.InvalidFields(map[string]string{"title": "is required"})
	if f.Kind.Status() != http.StatusUnprocessableEntity || f.Fields["title"] == "" {
		t.Errorf("InvalidFields: %+v", f)
	}
}
