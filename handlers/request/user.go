package request

import (
	"github.com/labstack/echo/v4"

	"github.com/pollen-coop/pollen/service/access"
)

// Keys of what the session middleware (handlers/auth) leaves on a request.
const (
	userKey = "pollen.user"
	csrfKey = "pollen.csrf"
)

// SetUser records u as the signed-in user of the request; the session
// middleware calls it.
func SetUser(c echo.Context, u access.User) { c.Set(userKey, u) }

// User returns the signed-in user of the request, and false when no one is
// signed in (or the route is not behind the session middleware).
func User(c echo.Context) (access.User, bool) {
	u, ok := c.Get(userKey).(access.User)
	return u, ok
}

// SetCSRFToken records the CSRF token the request's forms must carry; the
// session middleware calls it.
func SetCSRFToken(c echo.Context, token string) { c.Set(csrfKey, token) }

// CSRFToken is the token every form of the request's page carries in a
// hidden field named csrf_token; "" when the route is not behind the
// session middleware.
func CSRFToken(c echo.Context) string {
	s, _ := c.Get(csrfKey).(string)
	return s
}
