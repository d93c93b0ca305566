package mastoapi

import (
	"net/http"

	"github.com/labstack/echo/v4"

	"github.com/pollen-coop/pollen/federation/sanitize"
)

// verifyCredentials answers GET /api/v1/accounts/verify_credentials:
// every user acts as the organisation, so it is the organisation's
// Account with its source (the note as plain text, public unsensitive
// English statuses, the followers waiting for approval).
func (h *Handler) verifyCredentials(c echo.Context) error {
	ctx := c.Request().Context()
	org, _, err := h.organisation(ctx)
	if err != nil {
		return err
	}
	pending, err := h.follows.Followers(ctx, "pending", 1, 0)
	if err != nil {
		return err
	}
	return c.JSON(http.StatusOK, CredentialAccount{Account: org, Source: Source{
		Note: sanitize.PlainText(org.Note), Fields: org.Fields, Privacy: "public", Sensitive: false,
		Language: "en", FollowRequestsCount: pending.Total,
	}})
}
