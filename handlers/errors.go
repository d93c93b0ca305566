package handlers

import (
	"errors"
	"net/http"
	"strconv"
	"strings"
	"time"

	"github.com/labstack/echo/v4"

	"github.com/pollen-coop/pollen/federation"
	"github.com/pollen-coop/pollen/internal/apperr"
)

// errorBody is every error answer's JSON.
type errorBody struct {
	Error  string            `json:"error"`
	Fields map[string]string `json:"fields,omitempty"`
}

// errorHandler maps an error to its status and a safe message, logs it once
// and answers with JSON (or an HTML page for a browser).
func (h *Handler) errorHandler(err error, c echo.Context) {
	if c.Response().Committed {
		return
	}
	status, body := classify(err)
	var fe *apperr.Error
	if errors.As(err, &fe) && fe.RetryAfter > 0 {
		c.Response().Header().Set("Retry-After", strconv.Itoa(int((fe.RetryAfter+time.Second-1)/time.Second)))
	}
	if status >= 500 {
		h.log.Error("request failed", "id", requestID(c), "method", c.Request().Method,
			"path", c.Request().URL.Path, "err", err)
	} else {
		c.Set(logReasonKey, body.Error)
	}
	if c.Request().ContentLength != 0 {
		// The body may be unread (a refusal before reading it): answer at
		// once and close, rather than wait for the rest of it.
		c.Response().Header().Set("Connection", "close")
	}
	if c.Request().Method == http.MethodHead {
		_ = c.NoContent(status)
		return
	}
	if wantsHTML(c) {
		_ = h.render(c, status, "error.html", map[string]any{"Status": status, "Title": http.StatusText(status), "Message": body.Error})
		return
	}
	_ = c.JSON(status, body)
}

func classify(err error) (int, errorBody) {
	var fe *apperr.Error
	var he *echo.HTTPError
	switch {
	case errors.As(err, &fe):
		return fe.Kind.Status(), errorBody{Error: fe.Message, Fields: fe.Fields}
	case errors.Is(err, federation.ErrNotFound):
		return http.StatusNotFound, errorBody{Error: "not found"}
	case errors.Is(err, federation.ErrGone):
		return http.StatusGone, errorBody{Error: "gone"}
	case errors.As(err, &he):
		msg := http.StatusText(he.Code)
		switch he.Code {
		case http.StatusRequestEntityTooLarge:
			msg = "the request body is larger than 1 MiB"
		case http.StatusNotFound:
			msg = "not found"
		case http.StatusMethodNotAllowed:
			msg = "method not allowed"
		default:
			if m, ok := he.Message.(string); ok && he.Code < 500 {
				msg = m
			}
		}
		if msg == "" {
			msg = "error"
		}
		return he.Code, errorBody{Error: strings.ToLower(msg[:1]) + msg[1:]}
	}
	return http.StatusInternalServerError, errorBody{Error: "internal server error"}
}

// wantsHTML reports whether the client asked for a web page: a browser GET
// outside the API.
func wantsHTML(c echo.Context) bool {
	r := c.Request()
	if r.Method != http.MethodGet || strings.HasPrefix(r.URL.Path, "/api/") || strings.HasPrefix(r.URL.Path, "/.well-known/") {
		return false
	}
	accept := r.Header.Get("Accept")
	return strings.Contains(accept, "text/html") && !isActivityPub(accept)
}
