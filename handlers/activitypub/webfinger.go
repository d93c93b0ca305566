package activitypub

import (
	"net/http"

	"github.com/labstack/echo/v4"
)

// webfinger answers /.well-known/webfinger?resource=….
func (h *Handler) webfinger(c echo.Context) error {
	jrd, err := h.docs.WebFinger(c.Request().Context(), c.QueryParam("resource"))
	if err != nil {
		return err
	}
	c.Response().Header().Set("Access-Control-Allow-Origin", "*")
	return c.JSON(http.StatusOK, jrd)
}

// hostMeta answers /.well-known/host-meta.
func (h *Handler) hostMeta(c echo.Context) error {
	return c.Blob(http.StatusOK, "application/xrd+xml; charset=utf-8", []byte(h.docs.HostMeta()))
}
