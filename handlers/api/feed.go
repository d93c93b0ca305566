package api

import (
	"net/http"

	"github.com/labstack/echo/v4"

	"github.com/pollen-coop/pollen/handlers/request"
)

// feed answers GET /api/v1/feed: this node's case studies and those
// received from peers, newest first, with the same filters and paging as
// the case study list.
func (h *Handler) feed(c echo.Context) error {
	q, err := request.CaseStudyFilter(c)
	if err != nil {
		return err
	}
	list, err := h.cases.ListCaseStudies(c.Request().Context(), q)
	if err != nil {
		return err
	}
	return c.JSON(http.StatusOK, list)
}
