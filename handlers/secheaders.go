package handlers

import (
	"github.com/labstack/echo/v4"
)

// contentSecurityPolicy lets a page load only what the node serves itself
// (GOV.UK Frontend's stylesheet and script, its own, its icon, the images
// uploaded to it): an image from anywhere else is a link on the pages,
// and remote HTML keeps no images. Scripts come from /static only:
// GOV.UK Frontend's js-enabled snippet is a file there too
// (web/static/js-enabled.js), so no inline script needs a hash. Inline
// script and style, plugins and framing are refused. It sets no
// form-action, so that a later consent page may send a browser on to an
// app's https:// or custom-scheme redirect address.
const contentSecurityPolicy = "default-src 'self'; script-src 'self'; img-src 'self'; object-src 'none'; base-uri 'none'; frame-ancestors 'none'"

// securityHeaders sets the headers every response carries: the content
// security policy, no MIME sniffing, a referrer cut to the origin for
// other sites, no powerful browser features, a browsing context of its
// own, HSTS when the node's base URL is https, and no caching without
// revalidation unless the handler says otherwise (the static assets do);
// nothing at all is stored of an answer to an authorised request.
func (h *Handler) securityHeaders(next echo.HandlerFunc) echo.HandlerFunc {
	hsts := h.cfg.BaseURL.Scheme == "https"
	return func(c echo.Context) error {
		hd := c.Response().Header()
		hd.Set("Content-Security-Policy", contentSecurityPolicy)
		hd.Set("X-Content-Type-Options", "nosniff")
		hd.Set("Referrer-Policy", "strict-origin-when-cross-origin")
		hd.Set("Permissions-Policy", "camera=(), microphone=(), geolocation=(), payment=(), usb=(), browsing-topics=()")
		hd.Set("Cross-Origin-Opener-Policy", "same-origin")
		if hsts {
			hd.Set("Strict-Transport-Security", "max-age=31536000")
		}
		if c.Request().Header.Get(echo.HeaderAuthorization) != "" {
			hd.Set("Cache-Control", "no-store")
		} else {
			hd.Set("Cache-Control", "no-cache")
		}
		return next(c)
	}
}
