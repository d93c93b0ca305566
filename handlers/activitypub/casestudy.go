package activitypub

import (
	"context"
	"net/http"
	"time"

	"github.com/labstack/echo/v4"
)

// CaseStudy serves a case study at its IRI to ActivityPub clients: the
// Article, or a 410 Tombstone for a deleted one. Browsers get the web page
// at the same IRI (routes.go in package handlers chooses).
func (h *Handler) CaseStudy(c echo.Context) error {
	slug := c.Param("slug")
	doc, err := h.docs.Cache().Serve(c.Request().Context(), "case study "+slug, time.Now(), func(ctx context.Context) (any, bool, error) {
		return h.docs.CaseStudyDocument(ctx, slug)
	})
	if err != nil {
		return err
	}
	return servedJSON(c, doc)
}

// Note serves a note at its IRI to ActivityPub clients: the Note, or a 410
// Tombstone for a deleted one. Browsers get the web page at the same IRI.
func (h *Handler) Note(c echo.Context) error {
	doc, gone, err := h.docs.NoteDocument(c.Request().Context(), c.Param("id"))
	if err != nil {
		return err
	}
	if gone {
		return activityJSON(c, http.StatusGone, doc)
	}
	return activityJSON(c, http.StatusOK, doc)
}
