package handlers

import (
	"errors"
	"net/http"
	"strconv"
	"strings"
	"time"

	"github.com/labstack/echo/v4"

	"github.com/pollen-coop/pollen/federation"
	"github.com/pollen-coop/pollen/federation/ap"
	"github.com/pollen-coop/pollen/federation/httpsig"
	"github.com/pollen-coop/pollen/handlers/request"
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
	if request.WantsHTML(c) {
		_ = h.pages.RenderError(c, status, body.Error)
		return
	}
	_ = c.JSON(status, body)
}

// classify gives an error's status and answer: an *apperr.Error's kind and
// message; the store's not found and gone; a refusal of package httpsig
// (400 for a malformed header, 401 for the others) or of package ap (413
// for a document too large, 400 for a malformed one), with its message;
// echo's own errors; and 500 for anything else.
func classify(err error) (int, errorBody) {
	var fe *apperr.Error
	var he *echo.HTTPError
	var se *httpsig.Error
	switch {
	case errors.As(err, &fe):
		return fe.Kind.Status(), errorBody{Error: fe.Message, Fields: fe.Fields}
	case errors.As(err, &se) && errors.Is(se.Kind, httpsig.ErrMalformed):
		return http.StatusBadRequest, errorBody{Error: se.Message}
	case errors.As(err, &se):
		return http.StatusUnauthorized, errorBody{Error: se.Message}
	case errors.Is(err, ap.ErrTooLarge):
		return http.StatusRequestEntityTooLarge, errorBody{Error: err.Error()}
	case errors.Is(err, ap.ErrMalformed):
		return http.StatusBadRequest, errorBody{Error: err.Error()}
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
