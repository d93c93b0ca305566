package api

import (
	"net/http"

	"github.com/labstack/echo/v4"

	"github.com/pollen-coop/pollen/handlers/request"
)

// feed answers GET /api/v1/feed: a full-text search of this node's case
// studies and those received from peers, with the facet filters, the
// facet counts, a snippet and the page of each item; newest first when
// there is no q.
func (h *Handler) feed(c echo.Context) error {
	q, err := request.FeedQuery(c)
	if err != nil {
		return err
	}
	res, err := h.cases.SearchFeed(c.Request().Context(), q)
	if err != nil {
		return err
	}
	return c.JSON(http.StatusOK, res)
}
