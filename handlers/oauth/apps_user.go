package oauth

import (
	"context"
	"net/http"
	"strconv"

	"github.com/labstack/echo/v4"

	"github.com/pollen-coop/pollen/handlers/request"
	"github.com/pollen-coop/pollen/internal/apperr"
	"github.com/pollen-coop/pollen/service/access"
)

// UserTokens are the OAuth tokens a signed-in user holds (*access.OAuth):
// RevokeUserToken returns a NotFound error for a token that is not the
// user's, or is revoked.
type UserTokens interface {
	UserTokens(ctx context.Context, userID int64) ([]access.OAuthTokenInfo, error)
	RevokeUserToken(ctx context.Context, userID, id int64) error
}

// authorizedApps shows the signed-in user the apps that hold a token of
// theirs (GET /oauth/apps), each with a Revoke button.
func (h *Handler) authorizedApps(c echo.Context) error {
	u, _ := request.User(c)
	ts, err := h.tokens.UserTokens(c.Request().Context(), u.ID)
	if err != nil {
		return err
	}
	return h.render(c, http.StatusOK, "apps.html", map[string]any{
		"Title": "Apps with access to your account", "Tokens": ts, "Email": u.Email, "Revoked": c.QueryParam("revoked"),
		"CSRFToken": request.CSRFToken(c), "CSRFField": "csrf_token",
	})
}

// revokeApp revokes one of the signed-in user's tokens (POST
// /oauth/apps/:id/revoke, behind the session's CSRF check) and goes back
// to the list: 303, or 404 for a token that is not the user's.
func (h *Handler) revokeApp(c echo.Context) error {
	u, _ := request.User(c)
	id, err := strconv.ParseInt(c.Param("id"), 10, 64)
	if err != nil {
		return apperr.Errorf(apperr.NotFound, "there is no such app")
	}
	if err := h.tokens.RevokeUserToken(c.Request().Context(), u.ID, id); err != nil {
		return err
	}
	return c.Redirect(http.StatusSeeOther, "/oauth/apps?revoked="+strconv.FormatInt(id, 10))
}
