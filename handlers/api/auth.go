package api

import (
	"strings"

	"github.com/labstack/echo/v4"

	"github.com/pollen-coop/pollen/service"
)

// RequireToken lets a request through only with a valid admin token in
// Authorization: Bearer TOKEN; otherwise it answers with tokens' error
// (Unauthorized) and WWW-Authenticate.
func RequireToken(tokens Tokens) echo.MiddlewareFunc {
	return func(next echo.HandlerFunc) echo.HandlerFunc {
		return func(c echo.Context) error {
			auth := c.Request().Header.Get(echo.HeaderAuthorization)
			scheme, token, _ := strings.Cut(auth, " ")
			if !strings.EqualFold(scheme, "Bearer") {
				token = ""
			}
			if err := tokens.Authenticate(c.Request().Context(), strings.TrimSpace(token)); err != nil {
				c.Response().Header().Set(echo.HeaderWWWAuthenticate, `Bearer realm="pollen"`)
				return err
			}
			// The audit log names what is changed with a token so.
			c.SetRequest(c.Request().WithContext(service.Acting(c.Request().Context(), service.AdminToken)))
			return next(c)
		}
	}
}
