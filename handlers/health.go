package handlers

import (
	"net/http"

	"github.com/labstack/echo/v4"
)

// healthz answers while the process is up.
func (h *Handler) healthz(c echo.Context) error {
	return c.JSON(http.StatusOK, map[string]string{"status": "ok"})
}

// readyz answers 200 when the database answers and is migrated, else 503.
func (h *Handler) readyz(c echo.Context) error {
	if err := h.health.Ready(c.Request().Context()); err != nil {
		return err
	}
	return c.JSON(http.StatusOK, map[string]string{"status": "ready"})
}
