package auth

import (
	"crypto/rand"
	"crypto/sha256"
	"crypto/subtle"
	"encoding/base64"
	"errors"
	"net/http"
	"net/url"
	"time"

	"github.com/labstack/echo/v4"

	"github.com/pollen-coop/pollen/handlers/request"
	"github.com/pollen-coop/pollen/internal/apperr"
	"github.com/pollen-coop/pollen/service/access"
)

// Cookie names. On https they take the __Host- prefix, which binds them
// to this host, Secure and the path /.
const (
	sessionCookie = "pollen_session"
	csrfCookie    = "pollen_csrf"
	// CSRFField is the name of the hidden field of the CSRF token in
	// every form.
	CSRFField = "csrf_token"
)

// cookieName is name as the node's cookies call it.
func (h *Handler) cookieName(name string) string {
	if h.secure {
		return "__Host-" + name
	}
	return name
}

// setCookie sets a cookie of the node: HttpOnly, SameSite=Lax, Secure
// on https, for the whole site; maxAge < 0 deletes it.
func (h *Handler) setCookie(c echo.Context, name, value string, maxAge time.Duration) {
	ck := &http.Cookie{
		Name: h.cookieName(name), Value: value, Path: "/",
		HttpOnly: true, Secure: h.secure, SameSite: http.SameSiteLaxMode,
	}
	switch {
	case maxAge < 0:
		ck.MaxAge = -1
	case maxAge > 0:
		ck.MaxAge = int(maxAge / time.Second)
	}
	c.SetCookie(ck)
}

// cookie is the value of the node's cookie name on the request, or "".
func (h *Handler) cookie(c echo.Context, name string) string {
	ck, err := c.Cookie(h.cookieName(name))
	if err != nil {
		return ""
	}
	return ck.Value
}

// Session is the middleware of every browser route that knows who is
// signed in: it finds the user of the session cookie (request.User), sets
// the CSRF token that the page's forms carry (request.CSRFToken), and
// refuses a POST, PUT, PATCH or DELETE whose csrf_token field (or
// X-CSRF-Token header) is not that token with a 403, before the handler
// runs. A session that has ended is dropped, its cookie deleted.
func (h *Handler) Session(next echo.HandlerFunc) echo.HandlerFunc {
	return func(c echo.Context) error {
		token := h.cookie(c, sessionCookie)
		if token != "" {
			u, err := h.accounts.Session(c.Request().Context(), token)
			var e *apperr.Error
			switch {
			case err == nil:
				request.SetUser(c, u)
			case errors.As(err, &e) && e.Kind == apperr.Unauthorized:
				h.setCookie(c, sessionCookie, "", -1)
				token = ""
			default:
				return err
			}
		}
		expected := h.csrfToken(c, token)
		request.SetCSRFToken(c, expected)
		switch c.Request().Method {
		case http.MethodGet, http.MethodHead, http.MethodOptions:
			return next(c)
		}
		sent := c.Request().Header.Get("X-CSRF-Token")
		if sent == "" {
			sent = c.FormValue(CSRFField)
		}
		if sent == "" || subtle.ConstantTimeCompare([]byte(sent), []byte(expected)) != 1 {
			return apperr.Errorf(apperr.Forbidden, "this form has expired or did not come from this site: go back, reload the page and try again")
		}
		return next(c)
	}
}

// csrfToken is the CSRF token of the request: derived from the session
// token when someone is signed in, so that it is tied to the session;
// otherwise the random value of the CSRF cookie (set here when missing),
// which the form sends back (a double submit).
func (h *Handler) csrfToken(c echo.Context, session string) string {
	if session != "" {
		sum := sha256.Sum256([]byte("pollen csrf\x00" + session))
		return base64.RawURLEncoding.EncodeToString(sum[:])
	}
	if v := h.cookie(c, csrfCookie); len(v) >= 32 {
		return v
	}
	raw := make([]byte, 32)
	_, _ = rand.Read(raw)
	v := base64.RawURLEncoding.EncodeToString(raw)
	// A form sent without the cookie cannot match this new token, which
	// the page rendered in answer carries.
	h.setCookie(c, csrfCookie, v, 0)
	return v
}

// RequireUser is the middleware of a route for signed-in users of one of
// roles (any role when none is given), placed after Session. A browser
// that is not signed in is sent to /sign-in, with the page it asked for
// as next when it asked with GET; a signed-in user of another role gets a
// 403.
func RequireUser(roles ...access.Role) echo.MiddlewareFunc {
	return func(next echo.HandlerFunc) echo.HandlerFunc {
		return func(c echo.Context) error {
			u, ok := request.User(c)
			if !ok {
				target := "/sign-in"
				if c.Request().Method == http.MethodGet {
					target += "?next=" + url.QueryEscape(c.Request().URL.RequestURI())
				}
				return redirect(c, target)
			}
			if len(roles) > 0 && !hasRole(u.Role, roles) {
				return apperr.Errorf(apperr.Forbidden, "your role (%s) may not do this", u.Role)
			}
			return next(c)
		}
	}
}

func hasRole(r access.Role, roles []access.Role) bool {
	for _, want := range roles {
		if r == want {
			return true
		}
	}
	return false
}
