package activitypub

import (
	"encoding/json"
	"net/http"
	"strings"

	"github.com/labstack/echo/v4"

	"github.com/pollen-coop/pollen/federation/ap"
	"github.com/pollen-coop/pollen/federation/doccache"
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

// servedJSON writes a served document with its ETag and Last-Modified, or
// 304 Not Modified when the request's If-None-Match names its ETag (or,
// without If-None-Match, its If-Modified-Since is not before
// Last-Modified). A deleted case study's Tombstone answers 410, never 304.
func servedJSON(c echo.Context, doc doccache.Document) error {
	request.VaryAccept(c)
	if doc.Gone {
		return c.Blob(http.StatusGone, ap.MediaTypeActivity+"; charset=utf-8", doc.Body)
	}
	h := c.Response().Header()
	h.Set("ETag", doc.ETag)
	h.Set("Last-Modified", doc.Modified.UTC().Format(http.TimeFormat))
	if notModified(c.Request(), doc) {
		return c.NoContent(http.StatusNotModified)
	}
	return c.Blob(http.StatusOK, ap.MediaTypeActivity+"; charset=utf-8", doc.Body)
}

// notModified reports whether r's validators match doc (RFC 9110, 13.1).
func notModified(r *http.Request, doc doccache.Document) bool {
	if inm := r.Header.Get("If-None-Match"); inm != "" {
		for _, tag := range strings.Split(inm, ",") {
			tag = strings.TrimPrefix(strings.TrimSpace(tag), "W/")
			if tag == "*" || tag == doc.ETag {
				return true
			}
		}
		return false
	}
	since, err := http.ParseTime(r.Header.Get("If-Modified-Since"))
	return err == nil && !doc.Modified.After(since)
}
