package request

import (
	"context"
	"net/http"
	"net/url"
	"strings"

	"github.com/labstack/echo/v4"

	"github.com/pollen-coop/pollen/config"
)

// LocalActors says whether a handle is one of this node's actors.
type LocalActors interface {
	// CheckLocalActor returns nil for a local actor's handle, and a not
	// found error for any other.
	CheckLocalActor(ctx context.Context, handle string) error
}

// FoldHandle sends a GET for a handle in another case (/@POLLEN,
// /actors/Pollen/outbox) to the canonical, lower-case URL with a 301, as
// WebFinger already folds case; a handle that is not here in any case
// stays a 404 (actors' error).
func FoldHandle(cfg config.Config, actors LocalActors) echo.MiddlewareFunc {
	return func(next echo.HandlerFunc) echo.HandlerFunc {
		return func(c echo.Context) error {
			handle := c.Param("handle")
			lower := strings.ToLower(handle)
			if handle == lower {
				return next(c)
			}
			if err := actors.CheckLocalActor(c.Request().Context(), lower); err != nil {
				return err
			}
			u := url.URL{Path: strings.Replace(c.Path(), ":handle", lower, 1), RawQuery: c.Request().URL.RawQuery}
			return c.Redirect(http.StatusMovedPermanently, cfg.URL(u.String()))
		}
	}
}
