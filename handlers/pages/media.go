package pages

import (
	"context"
	"net/http"
	"os"

	"github.com/labstack/echo/v4"

	"github.com/pollen-coop/pollen/service/media"
)

// Media opens the uploaded files the node serves (*media.Store): a not
// found error for a name that is not a stored file's.
type Media interface {
	Open(ctx context.Context, name string) (media.Media, *os.File, error)
}

// MountMedia registers GET /media/:name on e: the uploaded images and
// PDFs, answered from files.
func MountMedia(e *echo.Echo, files Media) {
	e.GET("/media/:name", func(c echo.Context) error { return serveMedia(c, files) })
}

// serveMedia answers GET /media/{id}.{ext}: the file with the type read
// from its bytes when it was saved (never sniffed by the browser), an
// image shown inline and a PDF downloaded, under its sanitised name;
// cached for a year, as a name never changes its bytes; ranges and
// conditional requests as http.ServeContent answers them. Its own
// policy lets nothing in it run, should it be opened as a page.
func serveMedia(c echo.Context, files Media) error {
	m, f, err := files.Open(c.Request().Context(), c.Param("name"))
	if err != nil {
		return err
	}
	defer func() { _ = f.Close() }()
	info, err := f.Stat()
	if err != nil {
		return err
	}
	disposition := "attachment"
	if m.IsImage() {
		disposition = "inline"
	}
	hd := c.Response().Header()
	hd.Set(echo.HeaderContentType, m.MediaType)
	hd.Set("X-Content-Type-Options", "nosniff")
	hd.Set(echo.HeaderContentDisposition, disposition+`; filename="`+m.Filename+`"`)
	hd.Set("Content-Security-Policy", "default-src 'none'; sandbox")
	hd.Set("Cache-Control", "public, max-age=31536000, immutable")
	hd.Set("ETag", `"`+m.ID+`"`)
	http.ServeContent(c.Response(), c.Request(), "", info.ModTime(), f)
	return nil
}
