package oauth

import (
	"net/http"

	"github.com/labstack/echo/v4"

	"github.com/pollen-coop/pollen/service/access"
)

// serverMetadata is the authorisation server's metadata (RFC 8414), with
// Mastodon's app_registration_endpoint.
type serverMetadata struct {
	Issuer                        string   `json:"issuer"`
	AuthorizationEndpoint         string   `json:"authorization_endpoint"`
	TokenEndpoint                 string   `json:"token_endpoint"`
	RevocationEndpoint            string   `json:"revocation_endpoint"`
	AppRegistrationEndpoint       string   `json:"app_registration_endpoint"`
	ScopesSupported               []string `json:"scopes_supported"`
	ResponseTypesSupported        []string `json:"response_types_supported"`
	ResponseModesSupported        []string `json:"response_modes_supported"`
	GrantTypesSupported           []string `json:"grant_types_supported"`
	TokenEndpointAuthMethods      []string `json:"token_endpoint_auth_methods_supported"`
	CodeChallengeMethodsSupported []string `json:"code_challenge_methods_supported"`
}

// metadata answers GET /.well-known/oauth-authorization-server: absolute
// endpoints, and what the server supports, so that clients use PKCE.
func (h *Handler) metadata(c echo.Context) error {
	return c.JSON(http.StatusOK, serverMetadata{
		Issuer:                        h.cfg.URL("/"),
		AuthorizationEndpoint:         h.cfg.URL("/oauth/authorize"),
		TokenEndpoint:                 h.cfg.URL("/oauth/token"),
		RevocationEndpoint:            h.cfg.URL("/oauth/revoke"),
		AppRegistrationEndpoint:       h.cfg.URL("/api/v1/apps"),
		ScopesSupported:               access.AllScopes(),
		ResponseTypesSupported:        []string{"code"},
		ResponseModesSupported:        []string{"query"},
		GrantTypesSupported:           []string{"authorization_code", "client_credentials"},
		TokenEndpointAuthMethods:      []string{"client_secret_basic", "client_secret_post"},
		CodeChallengeMethodsSupported: []string{"S256"},
	})
}
