package handlers

import (
	"encoding/json"
	"strings"

	"github.com/labstack/echo/v4"

	"github.com/pollen-coop/pollen/federation/ap"
)

// isActivityPub reports whether an Accept header asks for ActivityStreams.
func isActivityPub(accept string) bool {
	a := strings.ToLower(accept)
	return strings.Contains(a, "application/activity+json") || strings.Contains(a, "application/ld+json")
}

// activityJSON writes an ActivityStreams document.
func activityJSON(c echo.Context, status int, doc any) error {
	b, err := json.Marshal(doc)
	if err != nil {
		return err
	}
	varyAccept(c)
	return c.Blob(status, ap.MediaTypeActivity+"; charset=utf-8", b)
}

// varyAccept says that the answer depends on the Accept header, once.
func varyAccept(c echo.Context) {
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
