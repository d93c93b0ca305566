package activitypub

import (
	"net/http"

	"github.com/labstack/echo/v4"
)

// CaseStudy serves a case study at its IRI to ActivityPub clients: the
// Article, or a 410 Tombstone for a deleted one. Browsers get the web page
// at the same IRI (routes.go in package handlers chooses).
func (h *Handler) CaseStudy(c echo.Context) error {
	doc, err := h.docs.ServedCaseStudy(c.Request().Context(), c.Param("slug"))
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
