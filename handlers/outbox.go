package handlers

import (
	"net/http"
	"strconv"

	"github.com/labstack/echo/v4"

	"github.com/pollen-coop/pollen/internal/apperr"
)

// outbox serves the organisation's outbox, or one page of it with ?page=N.
func (h *Handler) outbox(c echo.Context) error {
	if c.Param("handle") != h.cfg.Handle {
		return apperr.Errorf(apperr.NotFound, "no actor %q here", c.Param("handle"))
	}
	page, err := pageParam(c)
	if err != nil {
		return err
	}
	col, err := h.svc.Outbox(c.Request().Context(), page)
	if err != nil {
		return err
	}
	return activityJSON(c, http.StatusOK, col)
}

// pageParam reads ?page=N (1 or more); absent is 0.
func pageParam(c echo.Context) (int, error) {
	p := c.QueryParam("page")
	if p == "" {
		return 0, nil
	}
	if p == "true" {
		return 1, nil
	}
	n, err := strconv.Atoi(p)
	if err != nil || n < 1 || n > 100000 {
		return 0, apperr.Errorf(apperr.Invalid, "page must be a whole number from 1")
	}
	return n, nil
}
