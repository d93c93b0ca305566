package mastoapi

import (
	"context"
	"net/http"
	"net/url"
	"strconv"

	"github.com/labstack/echo/v4"

	"github.com/pollen-coop/pollen/service"
)

// Notifications are the organisation's notifications and the users'
// markers (service.Notifications). List returns an invalid error for a
// malformed id; Get and Dismiss a not found error for an unknown one;
// SetMarkers an invalid error for a timeline or id it does not take; all
// the store's.
type Notifications interface {
	List(ctx context.Context, f service.NotificationFilter) ([]service.NotificationView, error)
	Get(ctx context.Context, id string) (service.NotificationView, error)
	Dismiss(ctx context.Context, id string) error
	Clear(ctx context.Context) error
	Markers(ctx context.Context, userID int64, timelines []string) ([]service.MarkerView, error)
	SetMarkers(ctx context.Context, userID int64, lastRead map[string]string) ([]service.MarkerView, error)
}

// WithNotifications gives h the notifications and markers it serves
// (needed before Mount); it returns h.
func (h *Handler) WithNotifications(n Notifications) *Handler {
	h.notes = n
	return h
}

// notificationRoutes are the routes of the notifications and markers.
type notificationRoutes struct{ *Handler }

// notificationParams are the parameters of a page of notifications.
type notificationParams struct {
	Types        []string `json:"types"`
	ExcludeTypes []string `json:"exclude_types"`
	MaxID        string   `json:"max_id"`
	SinceID      string   `json:"since_id"`
	MinID        string   `json:"min_id"`
	Limit        int      `json:"limit"`
}

// notificationsList answers GET /api/v1/notifications: the organisation's
// notifications, newest first, filtered by types[] and exclude_types[],
// paged by max_id, since_id and min_id (limit 40, at most 80) with a Link
// header.
func (h notificationRoutes) notificationsList(c echo.Context) error {
	var p notificationParams
	if err := bind(c, &p); err != nil {
		return err
	}
	if p.Limit <= 0 {
		p.Limit = 40
	}
	p.Limit = min(p.Limit, 80)
	ctx := c.Request().Context()
	list, err := h.notes.List(ctx, service.NotificationFilter{
		Types: p.Types, ExcludeTypes: p.ExcludeTypes, MaxID: p.MaxID, SinceID: p.SinceID, MinID: p.MinID, Limit: p.Limit,
	})
	if err != nil {
		return err
	}
	out, err := h.notifications(ctx, list)
	if err != nil {
		return err
	}
	if len(out) > 0 {
		c.Response().Header().Set("Link", h.notificationLinks(c.Request().URL.Path, p, out[len(out)-1].ID, out[0].ID))
	}
	return c.JSON(http.StatusOK, out)
}

// notificationGet answers GET /api/v1/notifications/:id.
func (h notificationRoutes) notificationGet(c echo.Context) error {
	ctx := c.Request().Context()
	n, err := h.notes.Get(ctx, c.Param("id"))
	if err != nil {
		return err
	}
	out, err := h.notifications(ctx, []service.NotificationView{n})
	if err != nil {
		return err
	}
	return c.JSON(http.StatusOK, out[0])
}

// notificationDismiss answers POST /api/v1/notifications/:id/dismiss with
// an empty object.
func (h notificationRoutes) notificationDismiss(c echo.Context) error {
	if err := h.notes.Dismiss(c.Request().Context(), c.Param("id")); err != nil {
		return err
	}
	return c.JSON(http.StatusOK, struct{}{})
}

// notificationsClear answers POST /api/v1/notifications/clear with an
// empty object.
func (h notificationRoutes) notificationsClear(c echo.Context) error {
	if err := h.notes.Clear(c.Request().Context()); err != nil {
		return err
	}
	return c.JSON(http.StatusOK, struct{}{})
}

// notifications converts notifications to Mastodon's entities, their
// statuses built together.
func (h notificationRoutes) notifications(ctx context.Context, list []service.NotificationView) ([]Notification, error) {
	var items []service.TimelineItem
	for _, n := range list {
		if n.Status != nil {
			items = append(items, *n.Status)
		}
	}
	statuses, err := h.statuses(ctx, items)
	if err != nil {
		return nil, err
	}
	out := make([]Notification, 0, len(list))
	for _, n := range list {
		e := Notification{
			ID: n.ID, Type: n.Type, CreatedAt: n.CreatedAt.UTC().Format(mastodonTime), GroupKey: "ungrouped-" + n.ID,
			Account: h.remoteAccount(n.Account),
		}
		if n.Status != nil {
			e.Status, statuses = &statuses[0], statuses[1:]
		}
		out = append(out, e)
	}
	return out, nil
}

// notificationLinks is the Link header of a page of notifications: next
// (older) by max_id, prev (newer) by min_id, keeping the filters and
// limit.
func (h notificationRoutes) notificationLinks(path string, p notificationParams, last, first string) string {
	link := func(key, id, rel string) string {
		q := url.Values{}
		for _, t := range p.Types {
			q.Add("types[]", t)
		}
		for _, t := range p.ExcludeTypes {
			q.Add("exclude_types[]", t)
		}
		q.Set("limit", strconv.Itoa(p.Limit))
		q.Set(key, id)
		return "<" + h.cfg.URL(path) + "?" + q.Encode() + `>; rel="` + rel + `"`
	}
	return link("max_id", last, "next") + ", " + link("min_id", first, "prev")
}
