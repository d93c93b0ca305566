package handlers

import (
	"net/http"
	"net/url"
	"strings"

	"github.com/labstack/echo/v4"
)

// foldHandle sends a GET for a handle in another case (/@POLLEN,
// /actors/Pollen/outbox) to the canonical, lower-case URL with a 301, as
// WebFinger already folds case; a handle that is not here in any case
// stays a 404.
func (h *Handler) foldHandle(next echo.HandlerFunc) echo.HandlerFunc {
	return func(c echo.Context) error {
		handle := c.Param("handle")
		lower := strings.ToLower(handle)
		if handle == lower {
			return next(c)
		}
		if err := h.actors.CheckLocalActor(c.Request().Context(), lower); err != nil {
			return err
		}
		u := url.URL{Path: strings.Replace(c.Path(), ":handle", lower, 1), RawQuery: c.Request().URL.RawQuery}
		return c.Redirect(http.StatusMovedPermanently, h.cfg.URL(u.String()))
	}
}
