package mastoapi

import (
	"net/http"
	"net/url"
	"strconv"

	"github.com/labstack/echo/v4"

	"github.com/pollen-coop/pollen/service"
)

// timelineParams are the parameters of a timeline page.
type timelineParams struct {
	Local   bool   `json:"local"`
	Remote  bool   `json:"remote"`
	MaxID   string `json:"max_id"`
	SinceID string `json:"since_id"`
	MinID   string `json:"min_id"`
	Limit   int    `json:"limit"`
}

// timelinePublic answers GET /api/v1/timelines/public: the regional
// feed, every case study this node holds, newest first (local=true ours
// only, remote=true others' only), paged by status id with a Link
// header; no token needed.
func (h *Handler) timelinePublic(c echo.Context) error {
	var p timelineParams
	if err := bind(c, &p); err != nil {
		return err
	}
	if p.Limit <= 0 {
		p.Limit = 20
	}
	p.Limit = min(p.Limit, 40)
	ctx := c.Request().Context()
	items, err := h.statusSource.Timeline(ctx, service.TimelineFilter{
		LocalOnly: p.Local, RemoteOnly: p.Remote, MaxID: p.MaxID, SinceID: p.SinceID, MinID: p.MinID, Limit: p.Limit,
	})
	if err != nil {
		return err
	}
	out, err := h.statuses(ctx, items)
	if err != nil {
		return err
	}
	if len(out) > 0 {
		c.Response().Header().Set("Link", h.pageLinks(c.Request().URL.Path, p, out[len(out)-1].ID, out[0].ID))
	}
	return c.JSON(http.StatusOK, out)
}

// pageLinks is the Link header of a page whose oldest item is last and
// newest first: next (older) by max_id, prev (newer) by min_id, keeping
// the page's filters and limit.
func (h *Handler) pageLinks(path string, p timelineParams, last, first string) string {
	link := func(key, id, rel string) string {
		q := url.Values{}
		if p.Local {
			q.Set("local", "true")
		}
		if p.Remote {
			q.Set("remote", "true")
		}
		q.Set("limit", strconv.Itoa(p.Limit))
		q.Set(key, id)
		return "<" + h.cfg.URL(path) + "?" + q.Encode() + `>; rel="` + rel + `"`
	}
	return link("max_id", last, "next") + ", " + link("min_id", first, "prev")
}
