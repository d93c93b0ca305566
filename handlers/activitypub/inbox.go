package activitypub

import (
	"net/http"
	"unicode/utf8"

	"github.com/labstack/echo/v4"

	"github.com/pollen-coop/pollen/internal/apperr"
)

// receive answers POST to an actor's inbox and to the shared inbox. The
// signature, its host and Date and the signer's key are checked before any
// of the body is read, so that an unsigned or misdirected request costs no
// memory; the body is then read within the inbox's bounds (bodies),
// checked against the signed Digest and parsed, the activity is stored, and
// the answer is 202 once it is durably stored.
func (h *Handler) receive(c echo.Context) error {
	ctx := c.Request().Context()
	if handle := c.Param("handle"); handle != "" {
		if err := h.actors.CheckLocalActor(ctx, handle); err != nil {
			return err
		}
	}
	signed, err := h.sigs.VerifySignature(ctx, c.Request())
	if err != nil {
		return err
	}
	body, err := h.bodies.read(c)
	if err != nil {
		return err
	}
	if !utf8.Valid(body) {
		// An escaped \u0000 may stand in text, which is cleaned when it is
		// stored; the activity's own id, type and actor may not hold one.
		return apperr.Errorf(apperr.Invalid, "the body is not valid UTF-8")
	}
	if err := h.inbox.ReceiveActivity(ctx, signed, body); err != nil {
		return err
	}
	return c.JSON(http.StatusAccepted, map[string]string{"status": "accepted"})
}
