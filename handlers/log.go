package handlers

import (
	"time"

	"github.com/labstack/echo/v4"
)

const logReasonKey = "pollen.reason"

func requestID(c echo.Context) string {
	return c.Response().Header().Get(echo.HeaderXRequestID)
}

// requestLog writes one structured line per request, with its ID.
func (h *Handler) requestLog(next echo.HandlerFunc) echo.HandlerFunc {
	return func(c echo.Context) error {
		start := time.Now()
		err := next(c)
		if err != nil {
			c.Error(err)
		}
		r := c.Request()
		attrs := []any{
			"id", requestID(c), "method", requestMethod(c), "path", r.URL.Path,
			"status", c.Response().Status, "bytes", c.Response().Size,
			"duration_ms", float64(time.Since(start).Microseconds()) / 1000, "remote", c.RealIP(),
		}
		if reason, ok := c.Get(logReasonKey).(string); ok {
			attrs = append(attrs, "reason", reason)
		}
		h.log.Info("request", attrs...)
		h.metrics.observe(c, start)
		return nil
	}
}
