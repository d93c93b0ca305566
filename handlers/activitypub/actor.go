package activitypub

import (
	"context"
	"net/http"
	"time"

	"github.com/labstack/echo/v4"

	"github.com/pollen-coop/pollen/handlers/request"
)

// actor serves a local actor's document. It needs no signature, so that two
// strict servers can always fetch each other's keys. A browser is sent to
// the profile page.
func (h *Handler) actor(c echo.Context) error {
	if request.WantsHTML(c) {
		doc, err := h.docs.ActorDocument(c.Request().Context(), c.Param("handle"))
		if err != nil {
			return err
		}
		return c.Redirect(http.StatusSeeOther, doc.URL)
	}
	handle := c.Param("handle")
	doc, err := h.docs.Cache().Serve(c.Request().Context(), "actor "+handle, time.Now(), func(ctx context.Context) (any, bool, error) {
		d, err := h.docs.ActorDocument(ctx, handle)
		return d, false, err
	})
	if err != nil {
		return err
	}
	return servedJSON(c, doc)
}

// followers serves a local actor's followers collection.
func (h *Handler) followers(c echo.Context) error {
	col, err := h.docs.FollowCollection(c.Request().Context(), c.Param("handle"), "followers")
	if err != nil {
		return err
	}
	return activityJSON(c, http.StatusOK, col)
}

// following serves a local actor's following collection.
func (h *Handler) following(c echo.Context) error {
	col, err := h.docs.FollowCollection(c.Request().Context(), c.Param("handle"), "following")
	if err != nil {
		return err
	}
	return activityJSON(c, http.StatusOK, col)
}

// featured serves a local actor's featured (pinned) collection, empty.
func (h *Handler) featured(c echo.Context) error {
	col, err := h.docs.FeaturedCollection(c.Request().Context(), c.Param("handle"))
	if err != nil {
		return err
	}
	return activityJSON(c, http.StatusOK, col)
}
