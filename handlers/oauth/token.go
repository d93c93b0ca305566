package oauth

import (
	"net/http"

	"github.com/labstack/echo/v4"

	"github.com/pollen-coop/pollen/service/access"
)

// tokenAnswer is the token endpoint's answer (RFC 6749 5.1, with
// Mastodon's created_at).
type tokenAnswer struct {
	AccessToken string `json:"access_token"`
	TokenType   string `json:"token_type"`
	Scope       string `json:"scope"`
	CreatedAt   int64  `json:"created_at"`
}

// clientCredentials are the client ID and secret of a request: from HTTP
// Basic authentication when it has it, else from the body.
func clientCredentials(c echo.Context, p map[string][]string) (string, string) {
	if id, secret, ok := c.Request().BasicAuth(); ok {
		return id, secret
	}
	first := func(k string) string {
		if vs := p[k]; len(vs) > 0 {
			return vs[0]
		}
		return ""
	}
	return first("client_id"), first("client_secret")
}

// token issues an access token (POST /oauth/token, a form or JSON body)
// for the grants authorization_code and client_credentials; a refusal is
// the RFC 6749 error JSON, with no token.
func (h *Handler) token(c echo.Context) error {
	p, err := params(c)
	if err != nil {
		return protocolError(c, &access.OAuthError{Code: access.ErrInvalidRequest, Description: "the body is neither a form nor a JSON object"})
	}
	id, secret := clientCredentials(c, p)
	tok, err := h.oauth.Exchange(c.Request().Context(), access.TokenRequest{
		GrantType: p.Get("grant_type"), ClientID: id, ClientSecret: secret, Code: p.Get("code"),
		RedirectURI: p.Get("redirect_uri"), CodeVerifier: p.Get("code_verifier"), Scope: p.Get("scope"),
	})
	if err != nil {
		return protocolError(c, err)
	}
	hd := c.Response().Header()
	hd.Set("Cache-Control", "no-store")
	hd.Set("Pragma", "no-cache")
	return c.JSON(http.StatusOK, tokenAnswer{AccessToken: tok.AccessToken, TokenType: "Bearer", Scope: tok.Scopes.String(), CreatedAt: tok.CreatedAt.Unix()})
}

// revoke revokes a token of the client (POST /oauth/revoke, RFC 7009):
// 200 with {} whether or not the token was valid; the error JSON for a
// client that does not authenticate.
func (h *Handler) revoke(c echo.Context) error {
	p, err := params(c)
	if err != nil {
		return protocolError(c, &access.OAuthError{Code: access.ErrInvalidRequest, Description: "the body is neither a form nor a JSON object"})
	}
	id, secret := clientCredentials(c, p)
	if p.Get("token") == "" {
		return protocolError(c, &access.OAuthError{Code: access.ErrInvalidRequest, Description: "token is missing"})
	}
	if err := h.oauth.Revoke(c.Request().Context(), id, secret, p.Get("token")); err != nil {
		return protocolError(c, err)
	}
	return c.JSON(http.StatusOK, map[string]any{})
}
