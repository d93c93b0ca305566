package activitypub

import (
	"net/http"

	"github.com/labstack/echo/v4"

	"github.com/pollen-coop/pollen/handlers/request"
)

// replies serves a case study's replies collection, or a page of it.
func (h *Handler) replies(c echo.Context) error {
	page, err := request.PageParam(c)
	if err != nil {
		return err
	}
	col, err := h.docs.RepliesCollection(c.Request().Context(), c.Param("slug"), page)
	if err != nil {
		return err
	}
	return activityJSON(c, http.StatusOK, col)
}
