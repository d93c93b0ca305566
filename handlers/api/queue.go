package api

import (
	"net/http"
	"strconv"

	"github.com/labstack/echo/v4"

	"github.com/pollen-coop/pollen/internal/apperr"
)

// queue answers GET /api/v1/queue: the delivery queue's counts by state and
// its latest jobs, filtered by state (pending, retrying, done, dead; by
// default all but done) and limit (1 to 100).
func (h *Handler) queueView(c echo.Context) error {
	limit := 0
	if v := c.QueryParam("limit"); v != "" {
		n, err := strconv.Atoi(v)
		if err != nil || n < 1 || n > 100 {
			return apperr.Errorf(apperr.Invalid, "limit must be a whole number from 1 to 100")
		}
		limit = n
	}
	v, err := h.queue.Queue(c.Request().Context(), c.QueryParam("state"), limit)
	if err != nil {
		return err
	}
	return c.JSON(http.StatusOK, v)
}
