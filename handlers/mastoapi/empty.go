package mastoapi

import (
	"net/http"

	"github.com/labstack/echo/v4"
)

// emptyList answers the lists Pollen has nothing in (custom emojis,
// trends, announcements, lists, filters, followed tags): [].
func emptyList(c echo.Context) error {
	return c.JSON(http.StatusOK, []struct{}{})
}

// Preferences is Mastodon's Preferences entity: a user's defaults for
// posting and reading.
type Preferences struct {
	Visibility     string  `json:"posting:default:visibility"`
	Sensitive      bool    `json:"posting:default:sensitive"`
	Language       *string `json:"posting:default:language"`
	ExpandMedia    string  `json:"reading:expand:media"`
	ExpandSpoilers bool    `json:"reading:expand:spoilers"`
}

// preferences answers GET /api/v1/preferences with Mastodon's defaults.
func preferences(c echo.Context) error {
	return c.JSON(http.StatusOK, Preferences{Visibility: "public", ExpandMedia: "default"})
}
