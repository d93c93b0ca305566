package activitypub

import (
	"encoding/json"

	"github.com/labstack/echo/v4"

	"github.com/pollen-coop/pollen/federation/ap"
	"github.com/pollen-coop/pollen/handlers/request"
)

// activityJSON writes an ActivityStreams document.
func activityJSON(c echo.Context, status int, doc any) error {
	b, err := json.Marshal(doc)
	if err != nil {
		return err
	}
	request.VaryAccept(c)
	return c.Blob(status, ap.MediaTypeActivity+"; charset=utf-8", b)
}
