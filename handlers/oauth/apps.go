package oauth

import (
	"net/http"
	"strings"

	"github.com/labstack/echo/v4"

	"github.com/pollen-coop/pollen/service/access"
)

// credentialApp is Mastodon's CredentialApplication: a registered app
// with its client secret, shown this once.
type credentialApp struct {
	ID                    string   `json:"id"`
	Name                  string   `json:"name"`
	Website               *string  `json:"website"`
	Scopes                []string `json:"scopes"`
	RedirectURI           string   `json:"redirect_uri"`
	RedirectURIs          []string `json:"redirect_uris"`
	ClientID              string   `json:"client_id"`
	ClientSecret          string   `json:"client_secret"`
	ClientSecretExpiresAt int      `json:"client_secret_expires_at"`
}

// createApp registers an app (POST /api/v1/apps), from a JSON, form or
// multipart body with client_name, redirect_uris (one string, separated
// by spaces or new lines, or an array), scopes and website: 200 with the
// app and its credentials, 422 naming the fields that are wrong.
func (h *Handler) createApp(c echo.Context) error {
	p, err := params(c)
	if err != nil {
		return err
	}
	app, err := h.oauth.CreateApp(c.Request().Context(), access.AppInput{
		Name: p.Get("client_name"), RedirectURIs: values(p, "redirect_uris"),
		Scopes: p.Get("scopes"), Website: p.Get("website"),
	})
	if err != nil {
		return err
	}
	out := credentialApp{
		ID: app.AppID(), Name: app.Name, Scopes: app.Scopes, RedirectURI: strings.Join(app.RedirectURIs, "\n"),
		RedirectURIs: app.RedirectURIs, ClientID: app.ClientID, ClientSecret: app.ClientSecret,
	}
	if app.Website != "" {
		out.Website = &app.Website
	}
	c.Response().Header().Set("Cache-Control", "no-store")
	return c.JSON(http.StatusOK, out)
}
