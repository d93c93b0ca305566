package handlers

import (
	"net/http"

	"github.com/labstack/echo/v4"

	"github.com/pollen-coop/pollen/federation"
)

// healthz answers while the process is up.
func (h *Handler) healthz(c echo.Context) error {
	return c.JSON(http.StatusOK, map[string]string{"status": "ok"})
}

// readyz answers 200 when the database answers and is migrated, else 503.
func (h *Handler) readyz(c echo.Context) error {
	ctx := c.Request().Context()
	if err := h.svc.Store().Ping(ctx); err != nil {
		return &federation.Error{Status: http.StatusServiceUnavailable, Message: "the database does not answer", Err: err}
	}
	ok, err := h.svc.Store().Migrated(ctx)
	if err != nil || !ok {
		return &federation.Error{Status: http.StatusServiceUnavailable, Message: "the database is not migrated", Err: err}
	}
	return c.JSON(http.StatusOK, map[string]string{"status": "ready"})
}
