package request

import (
	"net/http"
	"strings"

	"github.com/labstack/echo/v4"
)

// IsActivityPub reports whether an Accept header asks for ActivityStreams.
func IsActivityPub(accept string) bool {
	a := strings.ToLower(accept)
	return strings.Contains(a, "application/activity+json") || strings.Contains(a, "application/ld+json")
}

// WantsHTML reports whether the client asked for a web page: a browser GET
// outside the API.
func WantsHTML(c echo.Context) bool {
	r := c.Request()
	if r.Method != http.MethodGet || strings.HasPrefix(r.URL.Path, "/api/") || strings.HasPrefix(r.URL.Path, "/.well-known/") {
		return false
	}
	accept := r.Header.Get("Accept")
	return strings.Contains(accept, "text/html") && !IsActivityPub(accept)
}

// ByAccept serves one URL from two surfaces: activity (the ActivityStreams
// document) when the request asks for ActivityStreams, page (the web page)
// otherwise; either way the answer varies with Accept.
func ByAccept(activity, page echo.HandlerFunc) echo.HandlerFunc {
	return func(c echo.Context) error {
		VaryAccept(c)
		if IsActivityPub(c.Request().Header.Get(echo.HeaderAccept)) {
			return activity(c)
		}
		return page(c)
	}
}

// VaryAccept says that the answer depends on the Accept header, once.
func VaryAccept(c echo.Context) {
	h := c.Response().Header()
	for _, v := range h.Values(echo.HeaderVary) {
		for _, name := range strings.Split(v, ",") {
			if strings.EqualFold(strings.TrimSpace(name), echo.HeaderAccept) {
				return
			}
		}
	}
	h.Add(echo.HeaderVary, echo.HeaderAccept)
}
