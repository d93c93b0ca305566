package handlers

import (
	"net/http"

	"github.com/labstack/echo/v4"
)

// replies serves a case study's replies collection, or a page of it.
func (h *Handler) replies(c echo.Context) error {
	page, err := pageParam(c)
	if err != nil {
		return err
	}
	col, err := h.docs.RepliesCollection(c.Request().Context(), c.Param("slug"), page)
	if err != nil {
		return err
	}
	return activityJSON(c, http.StatusOK, col)
}
