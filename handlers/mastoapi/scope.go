package mastoapi

import (
	"github.com/labstack/echo/v4"

	"github.com/pollen-coop/pollen/handlers/request"
	"github.com/pollen-coop/pollen/internal/apperr"
	"github.com/pollen-coop/pollen/service/access"
)

// Scopes checks the token of a route that needs a signed-in user:
// Require(scope) is the middleware that lets a request through only with
// a user token granting scope (answering 401 for a missing, unknown or
// revoked token, 403 for a token without the scope).
type Scopes interface {
	Require(scope string) echo.MiddlewareFunc
}

// adminUser is the middleware, after Scopes.Require, of the routes that
// change the organisation's follows, which only an admin may do: an
// admin's token, or an admin API token, goes on; an app's token without a
// user gets Mastodon's 422 (the method needs a signed-in user), an
// editor's a 403.
func adminUser(next echo.HandlerFunc) echo.HandlerFunc {
	return func(c echo.Context) error {
		at, ok := request.Token(c)
		switch {
		case ok && (at.Admin || (at.User != nil && at.User.Role == access.RoleAdmin)):
			return next(c)
		case !ok || at.User == nil:
			return apperr.Errorf(apperr.Unprocessable, "this method requires an authenticated user")
		default:
			return apperr.Errorf(apperr.Forbidden, "only an admin may change the organisation's follows")
		}
	}
}
