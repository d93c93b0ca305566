package mastoapi

import (
	"github.com/labstack/echo/v4"

	"github.com/pollen-coop/pollen/service"
)

// placeParams narrow the public and tag timelines: local=true ours only,
// remote=true others' only.
type placeParams struct {
	Local  bool `json:"local"`
	Remote bool `json:"remote"`
}

// timelinePublic answers GET /api/v1/timelines/public: the regional
// feed, every case study and public note this node holds, newest first
// (local=true ours only, remote=true others' only), paged by status id
// with a Link header; no token needed.
func (h timelineRoutes) timelinePublic(c echo.Context) error {
	p, err := readPage(c)
	if err != nil {
		return err
	}
	var place placeParams
	if err := bind(c, &place); err != nil {
		return err
	}
	f := p.filter(service.TimelinePublic)
	f.LocalOnly, f.RemoteOnly = place.Local, place.Remote
	return h.answerPage(c, p, f)
}

// timelineHome answers GET /api/v1/timelines/home (a user token with
// read:statuses): the organisation's home timeline, its own statuses and
// those of the accounts it follows, hub boosts included, newest first and
// paged as the public timeline.
func (h timelineRoutes) timelineHome(c echo.Context) error {
	p, err := readPage(c)
	if err != nil {
		return err
	}
	return h.answerPage(c, p, p.filter(service.TimelineHome))
}

// timelineTag answers GET /api/v1/timelines/tag/:hashtag: the case
// studies (a service area is a hashtag too) and public notes with the
// hashtag, in any case, narrowed by local and remote, paged as the public
// timeline; no token needed. any[], all[] and none[] are ignored.
func (h timelineRoutes) timelineTag(c echo.Context) error {
	p, err := readPage(c)
	if err != nil {
		return err
	}
	var place placeParams
	if err := bind(c, &place); err != nil {
		return err
	}
	f := p.filter(service.TimelineTag)
	f.LocalOnly, f.RemoteOnly, f.Tag = place.Local, place.Remote, c.Param("hashtag")
	return h.answerPage(c, p, f)
}
