package mastoapi

import (
	"net/http"
	"strconv"

	"github.com/labstack/echo/v4"

	"github.com/pollen-coop/pollen/service"
)

// accountStatusParams are the filters of an account's statuses.
type accountStatusParams struct {
	OnlyMedia      bool   `json:"only_media"`
	ExcludeReplies bool   `json:"exclude_replies"`
	ExcludeReblogs bool   `json:"exclude_reblogs"`
	Pinned         bool   `json:"pinned"`
	Tagged         string `json:"tagged"`
}

// accountStatuses answers GET /api/v1/accounts/:id/statuses: what the
// actor published or announced, newest first, paged as the timelines;
// only_media keeps case studies with an image, exclude_replies drops
// notes answering a status, exclude_reblogs drops announces, tagged keeps
// a hashtag's statuses, and pinned=true is an empty list (nothing is
// pinned). No token needed; a JSON 404 for an unknown account.
func (h timelineRoutes) accountStatuses(c echo.Context) error {
	id, err := strconv.ParseInt(c.Param("id"), 10, 64)
	if err != nil || id <= 0 {
		return unknownAccount(c.Param("id"))
	}
	p, err := readPage(c)
	if err != nil {
		return err
	}
	var a accountStatusParams
	if err := bind(c, &a); err != nil {
		return err
	}
	ctx := c.Request().Context()
	if _, err := h.accounts.ActorByID(ctx, id); err != nil {
		return err
	}
	if a.Pinned {
		return c.JSON(http.StatusOK, []Status{})
	}
	f := p.filter(service.TimelineAccount)
	f.AccountID, f.Tag = id, a.Tagged
	f.OnlyMedia, f.ExcludeReplies, f.ExcludeReblogs = a.OnlyMedia, a.ExcludeReplies, a.ExcludeReblogs
	return h.answerPage(c, p, f)
}
