package mastoapi

import (
	"encoding/json"
	"net/http"
	"strings"

	"github.com/labstack/echo/v4"

	"github.com/pollen-coop/pollen/handlers/request"
	"github.com/pollen-coop/pollen/internal/apperr"
	"github.com/pollen-coop/pollen/service"
)

// adminMarkerUser is the user whose markers an admin API token (which
// has no user) reads and moves.
const adminMarkerUser = 0

// markerUser is the user a marker request is for: the token's user, or
// adminMarkerUser for an admin token; an app's token without a user is a
// 422 (the method needs a signed-in user).
func markerUser(c echo.Context) (int64, error) {
	at, ok := request.Token(c)
	switch {
	case ok && at.User != nil:
		return at.User.ID, nil
	case ok && at.Admin:
		return adminMarkerUser, nil
	}
	return 0, apperr.Errorf(apperr.Unprocessable, "this method requires an authenticated user")
}

// markersGet answers GET /api/v1/markers?timeline[]=home&timeline[]=notifications:
// the user's markers of the timelines named that have one, by timeline.
func (h notificationRoutes) markersGet(c echo.Context) error {
	user, err := markerUser(c)
	if err != nil {
		return err
	}
	var p struct {
		Timeline []string `json:"timeline"`
	}
	if err := bind(c, &p); err != nil {
		return err
	}
	list, err := h.notes.Markers(c.Request().Context(), user, p.Timeline)
	if err != nil {
		return err
	}
	return c.JSON(http.StatusOK, markerMap(list))
}

// markerPosition is a timeline's position as a JSON body sends it; the
// id may be a string or a number.
type markerPosition struct {
	LastReadID json.RawMessage `json:"last_read_id"`
}

// markersSet answers POST /api/v1/markers, with a form
// (home[last_read_id]=…) or JSON ({"home":{"last_read_id":"…"}}): the
// markers moved, by timeline. A body naming no timeline, another
// timeline or an id that is not one is a 422.
func (h notificationRoutes) markersSet(c echo.Context) error {
	user, err := markerUser(c)
	if err != nil {
		return err
	}
	var p struct {
		Home          *markerPosition `json:"home"`
		Notifications *markerPosition `json:"notifications"`
		HomeID        *string         `json:"home[last_read_id]"`
		NotesID       *string         `json:"notifications[last_read_id]"`
	}
	if err := bind(c, &p); err != nil {
		return err
	}
	lastRead := map[string]string{}
	for name, v := range map[string]struct {
		json *markerPosition
		form *string
	}{service.MarkerHome: {p.Home, p.HomeID}, service.MarkerNotifications: {p.Notifications, p.NotesID}} {
		switch {
		case v.form != nil:
			lastRead[name] = *v.form
		case v.json != nil:
			lastRead[name] = strings.Trim(string(v.json.LastReadID), `"`)
		}
	}
	list, err := h.notes.SetMarkers(c.Request().Context(), user, lastRead)
	if err != nil {
		return err
	}
	return c.JSON(http.StatusOK, markerMap(list))
}

// markerMap is markers by timeline, as Mastodon answers them.
func markerMap(list []service.MarkerView) map[string]Marker {
	out := make(map[string]Marker, len(list))
	for _, m := range list {
		out[m.Timeline] = Marker{LastReadID: m.LastReadID, Version: m.Version, UpdatedAt: m.UpdatedAt.UTC().Format(mastodonTime)}
	}
	return out
}
