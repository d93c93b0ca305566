package mastoapi

import (
	"net/http"

	"github.com/labstack/echo/v4"
)

// StatusContext is Mastodon's Context entity: a status's thread.
type StatusContext struct {
	Ancestors   []Status `json:"ancestors"`
	Descendants []Status `json:"descendants"`
}

// statusContext answers GET /api/v1/statuses/:id/context: the statuses
// the status answers, oldest first, and the replies below it (a case
// study's discussion), depth first; a JSON 404 for an unknown id. No
// token needed.
func (h timelineRoutes) statusContext(c echo.Context) error {
	ctx := c.Request().Context()
	up, down, err := h.statusSource.StatusContext(ctx, c.Param("id"))
	if err != nil {
		return err
	}
	var out StatusContext
	if out.Ancestors, err = h.statuses(ctx, up); err != nil {
		return err
	}
	if out.Descendants, err = h.statuses(ctx, down); err != nil {
		return err
	}
	return c.JSON(http.StatusOK, out)
}
