// Package auth is the sign-in surface: the /sign-in and /sign-out pages,
// the session cookie, and the middleware that gives every browser route
// behind it the signed-in user of its request (request.User) and checks
// the CSRF token of its forms.
package auth

import (
	"context"
	"net/http"

	"github.com/labstack/echo/v4"

	"github.com/pollen-coop/pollen/config"
	"github.com/pollen-coop/pollen/federation/profile"
	"github.com/pollen-coop/pollen/service/access"
	"github.com/pollen-coop/pollen/web"
)

// Accounts signs users in and out and finds the user of a session
// (*access.Accounts). SignIn returns a TooMany error with RetryAfter when
// throttled and an Unauthorized one for any wrong email, password or
// disabled user; Session returns an Unauthorized error for a session that
// is not valid.
type Accounts interface {
	SignIn(ctx context.Context, email, password, addr string) (string, access.User, error)
	Session(ctx context.Context, token string) (access.User, error)
	SignOut(ctx context.Context, token string) error
}

// Apps names the app of an OAuth client ID (*access.OAuth), so that the
// sign-in page an authorisation request leads to says which app asks; a
// NotFound error for an unknown one.
type Apps interface {
	AppName(ctx context.Context, clientID string) (string, error)
}

// Profile gives the IRI of an actor, for the pages' footer, and the
// organisation's profile as it is now, for their name.
type Profile interface {
	ActorIRI(handle string) string
	NodeProfile() profile.Profile
}

// Handler answers the sign-in routes and holds the session middleware.
type Handler struct {
	cfg      config.Config
	accounts Accounts
	apps     Apps
	profile  Profile
	pages    *web.Pages
	// secure marks the cookies Secure: the base URL is https.
	secure bool
}

// New builds the sign-in surface over accounts and apps (nil: the
// sign-in page names no app), with the node's configuration cfg and the
// node's page templates.
func New(cfg config.Config, pages *web.Pages, accounts Accounts, apps Apps, profile Profile) *Handler {
	return &Handler{cfg: cfg, accounts: accounts, apps: apps, profile: profile, pages: pages, secure: cfg.BaseURL.Scheme == "https"}
}

// Mount registers the sign-in routes on e, behind the session middleware.
func (h *Handler) Mount(e *echo.Echo) {
	e.GET("/sign-in", h.signInForm, h.Session)
	e.POST("/sign-in", h.signIn, h.Session)
	e.GET("/sign-out", h.signOutForm, h.Session)
	e.POST("/sign-out", h.signOut, h.Session)
}

// render writes an HTML page that is not to be cached, with the fields
// every page shows and the request's CSRF token.
func (h *Handler) render(c echo.Context, status int, name string, data map[string]any) error {
	cfg := h.cfg
	data["Node"] = h.profile.NodeProfile().Name
	data["ActorIRI"] = h.profile.ActorIRI(cfg.Handle)
	hd := c.Response().Header()
	hd.Set(echo.HeaderContentType, echo.MIMETextHTMLCharsetUTF8)
	hd.Set("Cache-Control", "no-store")
	c.Response().WriteHeader(status)
	return h.pages.Render(c.Response(), name, data)
}

// redirect sends the browser to a local path with 303 See Other.
func redirect(c echo.Context, path string) error {
	return c.Redirect(http.StatusSeeOther, path)
}
