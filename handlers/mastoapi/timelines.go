package mastoapi

import (
	"context"
	"encoding/json"
	"net/http"
	"net/url"
	"strconv"
	"time"

	"github.com/labstack/echo/v4"

	"github.com/pollen-coop/pollen/federation/doccache"
	"github.com/pollen-coop/pollen/internal/apperr"
	"github.com/pollen-coop/pollen/service"
)

// Page sizes of every timeline.
const (
	defaultPageLimit = 20
	maxPageLimit     = 40
)

// pageParams are the paging parameters every timeline takes: status ids
// bounding the page and its size.
type pageParams struct {
	MaxID   string `json:"max_id"`
	SinceID string `json:"since_id"`
	MinID   string `json:"min_id"`
	Limit   int    `json:"limit"`
}

// readPage reads the paging parameters of a timeline request: the limit
// defaults to 20 and is cut to 40; an id that is not a status id (digits)
// is Unprocessable, naming the parameter.
func readPage(c echo.Context) (pageParams, error) {
	var p pageParams
	if err := bind(c, &p); err != nil {
		return p, err
	}
	bad := map[string]string{}
	for name, id := range map[string]string{"max_id": p.MaxID, "since_id": p.SinceID, "min_id": p.MinID} {
		if id == "" {
			continue
		}
		if n, err := strconv.ParseInt(id, 10, 64); err != nil || n < 0 {
			bad[name] = "not a status id (a string of digits): " + strconv.Quote(id)
		}
	}
	if len(bad) > 0 {
		return p, apperr.InvalidFields(bad)
	}
	if p.Limit <= 0 {
		p.Limit = defaultPageLimit
	}
	p.Limit = min(p.Limit, maxPageLimit)
	return p, nil
}

// filter is the service's filter of timeline with this page's bounds.
func (p pageParams) filter(timeline string) service.TimelineFilter {
	return service.TimelineFilter{Timeline: timeline, MaxID: p.MaxID, SinceID: p.SinceID, MinID: p.MinID, Limit: p.Limit}
}

// timelineRoutes are the routes of the timelines, an account's statuses
// and a status's context, which answer pages of statuses.
type timelineRoutes struct{ *Handler }

// maxPageKey is the longest request (path and query) whose page is kept
// in the page cache; a longer one is built every time.
const maxPageKey = 1024

// answerPage answers the page of the timeline f selects as statuses, with
// the Link header of the page when it has any. The encoded page is kept
// in the page cache under the request's path and query, until the store
// changes (or pageMaxAge passes, for a change by another process): the
// timelines are the same for every reader allowed to read them (the
// routes check the token first).
func (h timelineRoutes) answerPage(c echo.Context, p pageParams, f service.TimelineFilter) error {
	req := c.Request()
	build := func(ctx context.Context) ([]byte, string, error) {
		items, err := h.statusSource.Timeline(ctx, f)
		if err != nil {
			return nil, "", err
		}
		out, err := h.statuses(ctx, items)
		if err != nil {
			return nil, "", err
		}
		link := ""
		if len(out) > 0 {
			link = h.pageLinks(req.URL, p, out[len(out)-1].ID, out[0].ID)
		}
		b, err := json.Marshal(out)
		return b, link, err
	}
	var (
		body []byte
		link string
		err  error
	)
	if key := req.URL.Path + "?" + req.URL.Query().Encode(); len(key) <= maxPageKey {
		var d doccache.Document
		d, err = h.pageCache.ServeBody(req.Context(), key, time.Now(), build)
		body, link = d.Body, d.Link
	} else {
		body, link, err = build(req.Context())
	}
	if err != nil {
		return err
	}
	if link != "" {
		c.Response().Header().Set("Link", link)
	}
	return c.Blob(http.StatusOK, echo.MIMEApplicationJSON, body)
}

// pageLinks is the Link header of a page of the request u whose oldest
// item is last and newest first: next (older) by max_id, prev (newer) by
// min_id, keeping the request's own parameters (filters, hashtags…) and
// its limit.
func (h timelineRoutes) pageLinks(u *url.URL, p pageParams, last, first string) string {
	base := url.Values{}
	for k, vs := range u.Query() {
		switch k {
		case "max_id", "since_id", "min_id", "limit", "max_id[]", "since_id[]", "min_id[]", "limit[]":
		default:
			base[k] = vs
		}
	}
	base.Set("limit", strconv.Itoa(p.Limit))
	link := func(key, id, rel string) string {
		q := url.Values{}
		for k, vs := range base {
			q[k] = vs
		}
		q.Set(key, id)
		return "<" + h.cfg.URL(u.Path) + "?" + q.Encode() + `>; rel="` + rel + `"`
	}
	return link("max_id", last, "next") + ", " + link("min_id", first, "prev")
}
