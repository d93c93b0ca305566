package activitypub

import (
	"encoding/json"
	"net/http"

	"github.com/labstack/echo/v4"
	"github.com/pollen-coop/pollen/federation/discovery"
)

// nodeinfoLinks answers /.well-known/nodeinfo.
func (h *Handler) nodeinfoLinks(c echo.Context) error {
	return c.JSON(http.StatusOK, h.docs.NodeInfoLinks())
}

// nodeinfo answers /nodeinfo/2.0 and /nodeinfo/2.1.
func (h *Handler) nodeinfo(c echo.Context) error {
	v := c.Param("version")
	ni, err := h.docs.NodeInfo(c.Request().Context(), v)
	if err != nil {
		return err
	}
	b, err := json.Marshal(ni)
	if err != nil {
		return err
	}
	return c.Blob(http.StatusOK, discovery.NodeInfoProfile(v), b)
}
