package pages

import (
	"net/http"

	"github.com/labstack/echo/v4"
)

// received serves GET /feed/items/{id}: the page of a case study received
// from a peer, by its status id, as this node stored it, saying who
// published it and linking to the original. Its images are links: the
// pages load nothing from other sites. An unknown id is a 404, a case
// study its author deleted a 410, as on the pages of the node's own.
func (h *Handler) received(c echo.Context) error {
	v, err := h.cases.ReceivedCaseStudy(c.Request().Context(), c.Param("id"))
	if err != nil {
		return err
	}
	data := map[string]any{
		"Title": v.Title, "CaseStudy": v, "Received": true, "Description": v.Summary, "ActivityURL": v.ID,
		"Feeds": feedLinks("/feed", nil, "Every case study on "+h.name()),
	}
	return h.render(c, http.StatusOK, "received.html", data)
}
