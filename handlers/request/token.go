package request

import (
	"context"
	"strings"

	"github.com/labstack/echo/v4"

	"github.com/pollen-coop/pollen/internal/apperr"
	"github.com/pollen-coop/pollen/service/access"
)

// tokenKey is where Bearer leaves the request's checked access token.
const tokenKey = "pollen.token"

// AccessTokens checks a bearer token (*access.OAuth): an Unauthorized
// error for one unknown, revoked or of a disabled user.
type AccessTokens interface {
	Authenticate(ctx context.Context, token string) (access.AccessToken, error)
}

// Bearer is the middleware of the Mastodon API: a request with
// Authorization: Bearer TOKEN has its token checked and left for Token,
// and is refused with a 401 when the token is not valid; a request
// without one goes on without a token (RequireScope refuses it where one
// is needed).
func Bearer(tokens AccessTokens) echo.MiddlewareFunc {
	return func(next echo.HandlerFunc) echo.HandlerFunc {
		return func(c echo.Context) error {
			scheme, token, _ := strings.Cut(c.Request().Header.Get(echo.HeaderAuthorization), " ")
			token = strings.TrimSpace(token)
			if !strings.EqualFold(scheme, "Bearer") || token == "" {
				return next(c)
			}
			at, err := tokens.Authenticate(c.Request().Context(), token)
			if err != nil {
				c.Response().Header().Set(echo.HeaderWWWAuthenticate, `Bearer error="invalid_token"`)
				return err
			}
			c.Set(tokenKey, at)
			return next(c)
		}
	}
}

// Token returns the request's checked access token (its app, its user,
// its scopes), and false when it came without one or the route is not
// behind Bearer.
func Token(c echo.Context) (access.AccessToken, bool) {
	at, ok := c.Get(tokenKey).(access.AccessToken)
	return at, ok
}

// RequireScope is the middleware, after Bearer, of a route that needs a
// token granting one of scopes (access.Scopes.Allows: read grants
// read:statuses, …): a request without a token gets a 401, one whose
// token grants none of them a 403.
func RequireScope(scopes ...string) echo.MiddlewareFunc {
	return func(next echo.HandlerFunc) echo.HandlerFunc {
		return func(c echo.Context) error {
			at, ok := Token(c)
			if !ok {
				c.Response().Header().Set(echo.HeaderWWWAuthenticate, `Bearer realm="pollen"`)
				return apperr.Errorf(apperr.Unauthorized, "this needs an access token: Authorization: Bearer TOKEN")
			}
			for _, s := range scopes {
				if at.Scopes.Allows(s) {
					return next(c)
				}
			}
			c.Response().Header().Set(echo.HeaderWWWAuthenticate, `Bearer error="insufficient_scope", scope="`+strings.Join(scopes, " ")+`"`)
			return apperr.Errorf(apperr.Forbidden, "this token does not grant the scope %s", strings.Join(scopes, " or "))
		}
	}
}

// Scopes is the token check of the Mastodon API over tokens:
// Require(scope) is Bearer followed by RequireScope(scope).
type Scopes struct{ Tokens AccessTokens }

// Require is the middleware of a route that needs a token granting scope:
// 401 without a valid token, 403 without the scope.
func (s Scopes) Require(scope string) echo.MiddlewareFunc {
	bearer, need := Bearer(s.Tokens), RequireScope(scope)
	return func(next echo.HandlerFunc) echo.HandlerFunc { return bearer(need(next)) }
}
