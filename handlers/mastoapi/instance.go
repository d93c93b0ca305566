package mastoapi

import (
	"net/http"

	"github.com/labstack/echo/v4"

	"github.com/pollen-coop/pollen/federation"
	"github.com/pollen-coop/pollen/handlers/request"
)

// mastodonVersion is the Mastodon version whose API Pollen speaks, as
// clients read it from the instance's version.
const mastodonVersion = "4.3.0"

// version is the instance's version: Mastodon's, then Pollen's, in the
// form clients parse ("4.3.0 (compatible; Pollen 0.1.0)").
func version() string {
	return mastodonVersion + " (compatible; Pollen " + federation.Version + ")"
}

// statusLimits are the limits of a status: its length is the most a
// reply keeps.
func (h *Handler) statusLimits() StatusLimits {
	return StatusLimits{MaxCharacters: h.cfg.MaxReplyChars, MaxMediaAttachments: 4, CharactersReservedPerURL: 23}
}

// mediaLimits are the limits of uploaded media: images no larger than a
// request body may be.
func mediaLimits() MediaLimits {
	return MediaLimits{
		SupportedMIMETypes: []string{"image/jpeg", "image/png", "image/gif", "image/webp"},
		DescriptionLimit:   1500, ImageSizeLimit: request.MaxBody, ImageMatrixLimit: 16777216,
		VideoSizeLimit: request.MaxBody, VideoFrameRateLimit: 60, VideoMatrixLimit: 2304000,
	}
}

// pollLimits are Mastodon's default limits of a poll.
func pollLimits() PollLimits {
	return PollLimits{MaxOptions: 4, MaxCharactersPerOption: 50, MinExpiration: 300, MaxExpiration: 2629746}
}

// instanceV1 answers GET /api/v1/instance.
func (h *Handler) instanceV1(c echo.Context) error {
	ctx := c.Request().Context()
	org, n, err := h.organisation(ctx)
	if err != nil {
		return err
	}
	p := h.profile.NodeProfile()
	return c.JSON(http.StatusOK, InstanceV1{
		URI: h.cfg.Host(), Title: p.Name, ShortDescription: p.Summary, Description: p.Summary,
		Version: version(), Stats: InstanceStats{UserCount: n.users, StatusCount: n.posts},
		Thumbnail: org.Avatar, Languages: []string{"en"},
		Configuration: ConfigurationV1{
			Statuses: h.statusLimits(), MediaAttachments: mediaLimits(), Polls: pollLimits(),
		},
		ContactAccount: org, Rules: []Rule{},
	})
}

// instanceV2 answers GET /api/v2/instance.
func (h *Handler) instanceV2(c echo.Context) error {
	ctx := c.Request().Context()
	org, n, err := h.organisation(ctx)
	if err != nil {
		return err
	}
	p := h.profile.NodeProfile()
	in := Instance{
		Domain: h.cfg.Host(), Title: p.Name, Version: version(),
		SourceURL: "https://github.com/pollen-coop/pollen", Description: p.Summary,
		Thumbnail: Thumbnail{URL: org.Avatar}, Languages: []string{"en"},
		Configuration: Configuration{
			Statuses: h.statusLimits(), MediaAttachments: mediaLimits(), Polls: pollLimits(),
		},
		APIVersions: APIVersions{Mastodon: 2},
		Contact:     Contact{Account: org}, Rules: []Rule{},
	}
	in.Usage.Users.ActiveMonth = n.users
	return c.JSON(http.StatusOK, in)
}
