package mastoapi

import (
	"net/http"

	"github.com/labstack/echo/v4"

	"github.com/pollen-coop/pollen/service"
)

// statusGet answers GET /api/v1/statuses/:id: a case study as a Status,
// or a JSON 404 for an unknown id; no token needed.
func (h *Handler) statusGet(c echo.Context) error {
	ctx := c.Request().Context()
	it, err := h.statusSource.StatusByID(ctx, c.Param("id"))
	if err != nil {
		return err
	}
	return h.answerStatus(c, it)
}

// answerStatus answers one status.
func (h *Handler) answerStatus(c echo.Context, it service.TimelineItem) error {
	out, err := h.statuses(c.Request().Context(), []service.TimelineItem{it})
	if err != nil {
		return err
	}
	return c.JSON(http.StatusOK, out[0])
}
