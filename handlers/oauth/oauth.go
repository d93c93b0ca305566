// Package oauth is the OAuth 2 surface that Mastodon clients speak: app
// registration (POST /api/v1/apps), the authorisation page with the
// user's consent, the token and revocation endpoints, and the server's
// metadata (RFC 8414). The grants themselves are access.OAuth's.
package oauth

import (
	"context"
	"errors"
	"net/http"

	"github.com/labstack/echo/v4"

	"github.com/pollen-coop/pollen/config"
	"github.com/pollen-coop/pollen/federation/profile"
	"github.com/pollen-coop/pollen/service/access"
	"github.com/pollen-coop/pollen/web"
)

// OAuth is the authorisation server (*access.OAuth). Its methods return
// *access.OAuthError for what the protocol refuses; CreateApp returns an
// Unprocessable error naming the bad fields.
type OAuth interface {
	CreateApp(ctx context.Context, in access.AppInput) (access.App, error)
	CheckAuthorize(ctx context.Context, r access.AuthorizeRequest) (access.Consent, error)
	Grant(ctx context.Context, c access.Consent, userID int64) (string, error)
	Exchange(ctx context.Context, r access.TokenRequest) (access.IssuedToken, error)
	Revoke(ctx context.Context, clientID, secret, token string) error
}

// Profile gives the IRI of an actor, for the pages' footer, and the
// organisation's profile as it is now, for their name.
type Profile interface {
	ActorIRI(handle string) string
	NodeProfile() profile.Profile
}

// Handler answers the OAuth routes.
type Handler struct {
	cfg     config.Config
	oauth   OAuth
	tokens  UserTokens
	profile Profile
	pages   *web.Pages
}

// New builds the OAuth surface over oauth and the users' tokens, with the
// node's configuration cfg and the node's page templates.
func New(cfg config.Config, pages *web.Pages, oauth OAuth, tokens UserTokens, profile Profile) *Handler {
	return &Handler{cfg: cfg, oauth: oauth, tokens: tokens, profile: profile, pages: pages}
}

// Mount registers the OAuth routes on e. The authorisation page goes
// behind session (the sign-in surface's middleware, which finds the user
// and checks the form's CSRF token); the consent it posts, and the user's
// page of apps, also behind signedIn, which sends a browser that is not
// signed in to sign in.
func (h *Handler) Mount(e *echo.Echo, session, signedIn echo.MiddlewareFunc) {
	e.POST("/api/v1/apps", h.createApp)
	e.GET("/oauth/authorize", h.authorizeForm, session)
	e.POST("/oauth/authorize", h.authorize, session, signedIn)
	e.GET("/oauth/apps", h.authorizedApps, session, signedIn)
	e.POST("/oauth/apps/:id/revoke", h.revokeApp, session, signedIn)
	e.POST("/oauth/token", h.token)
	e.POST("/oauth/revoke", h.revoke)
	e.GET("/.well-known/oauth-authorization-server", h.metadata)
}

// oauthError is the body of a refusal, as RFC 6749 (5.2) writes it.
type oauthError struct {
	Error       string `json:"error"`
	Description string `json:"error_description"`
}

// protocolError answers err with the RFC 6749 error body when it is an
// *access.OAuthError (401 for invalid_client, 400 otherwise), and returns
// any other error to the error handler.
func protocolError(c echo.Context, err error) error {
	var e *access.OAuthError
	if !errors.As(err, &e) {
		return err
	}
	status := http.StatusBadRequest
	if e.Code == access.ErrInvalidClient {
		status = http.StatusUnauthorized
		c.Response().Header().Set(echo.HeaderWWWAuthenticate, `Basic realm="pollen"`)
	}
	c.Response().Header().Set("Cache-Control", "no-store")
	return c.JSON(status, oauthError{Error: e.Code, Description: e.Description})
}

// render writes an HTML page that is not to be cached, with the fields
// every page shows.
func (h *Handler) render(c echo.Context, status int, name string, data map[string]any) error {
	data["Node"] = h.profile.NodeProfile().Name
	data["ActorIRI"] = h.profile.ActorIRI(h.cfg.Handle)
	hd := c.Response().Header()
	hd.Set(echo.HeaderContentType, echo.MIMETextHTMLCharsetUTF8)
	hd.Set("Cache-Control", "no-store")
	c.Response().WriteHeader(status)
	return h.pages.Render(c.Response(), name, data)
}
