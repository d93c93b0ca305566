package mastoapi

import "github.com/labstack/echo/v4"

// Scopes checks the token of a route that needs a signed-in user:
// Require(scope) is the middleware that lets a request through only with
// a user token granting scope (answering 401 for a missing, unknown or
// revoked token, 403 for a token without the scope).
type Scopes interface {
	Require(scope string) echo.MiddlewareFunc
}
