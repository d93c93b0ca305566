package mastoapi

import "github.com/labstack/echo/v4"

// Scopes checks the token of a route that needs a signed-in user:
// Require(scope) is the middleware that lets a request through only with
// a user token granting scope (answering 401 for a missing, unknown or
// revoked token, 403 for a token without the scope).
type Scopes interface {
	Require(scope string) echo.MiddlewareFunc
}

// AnyRequest is the Scopes of a node without OAuth 2: it lets every
// request through, for the routes that answer nothing but empty defaults
// today. The OAuth scope middleware replaces it: handlers.New then passes
// that instead, and these routes need a user token with the scope.
type AnyRequest struct{}

// Require lets every request through, whatever scope.
func (AnyRequest) Require(string) echo.MiddlewareFunc {
	return func(next echo.HandlerFunc) echo.HandlerFunc { return next }
}
