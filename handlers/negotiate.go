package handlers

import (
	"encoding/json"
	"strings"

	"github.com/labstack/echo/v4"

	"github.com/pollen-coop/pollen/federation"
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
	c.Response().Header().Add(echo.HeaderVary, echo.HeaderAccept)
	return c.Blob(status, federation.MediaTypeActivity+"; charset=utf-8", b)
}
