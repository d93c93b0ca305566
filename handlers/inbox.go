package handlers

import (
	"net/http"

	"github.com/labstack/echo/v4"
)

// inbox answers POST to an actor's inbox and to the shared inbox: the
// signature and digest are checked before the body is parsed, the activity
// is stored, and the answer is 202 once it is durably stored.
func (h *Handler) inbox(c echo.Context) error {
	if handle := c.Param("handle"); handle != "" {
		if _, err := h.svc.Store().LocalActor(c.Request().Context(), handle); err != nil {
			return err
		}
	}
	body, err := readBody(c)
	if err != nil {
		return err
	}
	if err := checkJSONText(body); err != nil {
		return err
	}
	if err := h.svc.ReceiveActivity(c.Request().Context(), c.Request(), body); err != nil {
		return err
	}
	return c.JSON(http.StatusAccepted, map[string]string{"status": "accepted"})
}
