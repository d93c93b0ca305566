package handlers

import (
	"net/http"

	"github.com/labstack/echo/v4"
)

// caseStudy serves a case study at its IRI: the Article (or a 410
// Tombstone) to ActivityPub clients, the HTML page with its discussion (the
// replies from the fediverse) to everyone else.
func (h *Handler) caseStudy(c echo.Context) error {
	ctx := c.Request().Context()
	slug := c.Param("slug")
	varyAccept(c)
	if isActivityPub(c.Request().Header.Get(echo.HeaderAccept)) {
		doc, gone, err := h.svc.CaseStudyDocument(ctx, slug)
		if err != nil {
			return err
		}
		if gone {
			return activityJSON(c, http.StatusGone, doc)
		}
		return activityJSON(c, http.StatusOK, doc)
	}
	v, err := h.svc.CaseStudy(ctx, slug)
	if err != nil {
		return err
	}
	replies, err := h.svc.Replies(ctx, slug)
	if err != nil {
		return err
	}
	return h.render(c, http.StatusOK, "casestudy.html", map[string]any{
		"Title": v.Title, "CaseStudy": v, "Replies": replies, "Description": v.Summary, "ActivityURL": v.ID,
	})
}
