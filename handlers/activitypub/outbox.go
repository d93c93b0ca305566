package activitypub

import (
	"net/http"

	"github.com/labstack/echo/v4"

	"github.com/pollen-coop/pollen/handlers/request"
)

// outbox serves the outbox of the organisation or of a hub's topic
// actor, or one page of it with ?page=N.
func (h *Handler) outbox(c echo.Context) error {
	page, err := request.PageParam(c)
	if err != nil {
		return err
	}
	col, err := h.docs.ActorOutbox(c.Request().Context(), c.Param("handle"), page)
	if err != nil {
		return err
	}
	return activityJSON(c, http.StatusOK, col)
}
