package handlers

import (
	"net/http"
	"strings"

	"github.com/labstack/echo/v4"
	"github.com/labstack/echo/v4/middleware"
)

// corsPrefixes and corsPaths are where browsers on other sites may call
// the node (Elk and Phanpy are web apps): the APIs, the OAuth token and
// revocation endpoints, the well-known documents and NodeInfo. The web
// pages, the sign-in forms and the inboxes are not among them.
var (
	corsPrefixes = []string{"/api/", "/.well-known/", "/nodeinfo/"}
	corsPaths    = []string{"/oauth/token", "/oauth/revoke"}
)

// corsAllowed reports whether path answers other sites' scripts.
func corsAllowed(path string) bool {
	for _, p := range corsPrefixes {
		if strings.HasPrefix(path, p) {
			return true
		}
	}
	for _, p := range corsPaths {
		if path == p {
			return true
		}
	}
	return false
}

// cors answers cross-origin requests on the paths corsAllowed names: any
// origin, without cookies (the APIs take a bearer token), the methods the
// APIs use, the Authorization, Content-Type and Idempotency-Key headers,
// and Link (the paging of lists) exposed; a preflight OPTIONS request is
// answered 204 before any handler or token check.
func cors() echo.MiddlewareFunc {
	return middleware.CORSWithConfig(middleware.CORSConfig{
		Skipper:      func(c echo.Context) bool { return !corsAllowed(c.Request().URL.Path) },
		AllowOrigins: []string{"*"},
		AllowMethods: []string{http.MethodGet, http.MethodHead, http.MethodPost, http.MethodPut,
			http.MethodPatch, http.MethodDelete, http.MethodOptions},
		AllowHeaders:  []string{echo.HeaderAuthorization, echo.HeaderContentType, "Idempotency-Key"},
		ExposeHeaders: []string{"Link"},
		MaxAge:        86400,
	})
}
