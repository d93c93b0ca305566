package pages

import (
	"net/http"

	"github.com/labstack/echo/v4"
)

// render writes an HTML page with the fields every page shows: the node's
// name, its fediverse handle and its actor's IRI.
func (h *Handler) render(c echo.Context, status int, name string, data map[string]any) error {
	cfg := h.cfg
	data["Node"] = h.name()
	data["Account"] = cfg.Handle + "@" + cfg.BaseURL.Host
	data["ActorIRI"] = h.profile.ActorIRI(cfg.Handle)
	c.Response().Header().Set(echo.HeaderContentType, echo.MIMETextHTMLCharsetUTF8)
	c.Response().WriteHeader(status)
	return h.pages.Render(c.Response(), name, data)
}

// name is the organisation's name as it is now.
func (h *Handler) name() string { return h.profile.NodeProfile().Name }

// RenderError writes the error page for a browser: the status, its text
// and message, the answer's only content.
func (h *Handler) RenderError(c echo.Context, status int, message string) error {
	return h.render(c, status, "error.html", map[string]any{"Status": status, "Title": http.StatusText(status), "Message": message})
}
