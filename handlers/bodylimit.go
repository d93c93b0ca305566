package handlers

import (
	"strconv"

	"github.com/labstack/echo/v4"
	"github.com/labstack/echo/v4/middleware"
)

// uploadRoutes are the routes whose forms may carry a file: the case
// study form.
var uploadRoutes = map[string]bool{
	"/admin/case-studies/new":        true,
	"/admin/case-studies/:slug/edit": true,
	"/admin/profile":                 true,
}

// bodyLimit refuses with a 413 a body over MaxBody, or, on the routes
// whose forms carry a file, over the largest upload accepted and
// MaxBody more (the form's other fields). It runs after routing, so it
// knows the route.
func (h *Handler) bodyLimit() echo.MiddlewareFunc {
	isUpload := func(c echo.Context) bool { return uploadRoutes[c.Path()] }
	small := middleware.BodyLimitWithConfig(middleware.BodyLimitConfig{
		Limit: strconv.Itoa(MaxBody), Skipper: isUpload,
	})
	large := middleware.BodyLimitWithConfig(middleware.BodyLimitConfig{
		Limit:   strconv.Itoa(h.cfg.MaxUploadBytes() + MaxBody),
		Skipper: func(c echo.Context) bool { return !isUpload(c) },
	})
	return func(next echo.HandlerFunc) echo.HandlerFunc { return small(large(next)) }
}
