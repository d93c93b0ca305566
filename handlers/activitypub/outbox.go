package activitypub

import (
	"net/http"

	"github.com/labstack/echo/v4"

	"github.com/pollen-coop/pollen/handlers/request"
	"github.com/pollen-coop/pollen/internal/apperr"
)

// outbox serves the organisation's outbox, or one page of it with ?page=N.
func (h *Handler) outbox(c echo.Context) error {
	if c.Param("handle") != h.cfg.Handle {
		return apperr.Errorf(apperr.NotFound, "no actor %q here", c.Param("handle"))
	}
	page, err := request.PageParam(c)
	if err != nil {
		return err
	}
	col, err := h.docs.Outbox(c.Request().Context(), page)
	if err != nil {
		return err
	}
	return activityJSON(c, http.StatusOK, col)
}
