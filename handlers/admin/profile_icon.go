package admin

import (
	"errors"
	"net/http"
	"strings"

	"github.com/labstack/echo/v4"

	"github.com/pollen-coop/pollen/federation/profile"
	"github.com/pollen-coop/pollen/internal/apperr"
)

// iconAlt is the text the media store keeps with an icon: the pages show
// the icon beside the organisation's name, so it adds nothing to it.
const iconAlt = "The organisation's icon"

// keptIcon is the icon the form carries in its hidden fields (icon_url,
// icon_media_type: the current one, or one uploaded with a form that had
// mistakes), when it is an image among this node's uploads; else the
// current icon.
func (p *ProfilePage) keptIcon(c echo.Context) (url, mediaType string) {
	url, mediaType = c.FormValue("icon_url"), c.FormValue("icon_media_type")
	if strings.HasPrefix(url, p.h.cfg.URL("/media/")) && strings.HasPrefix(mediaType, "image/") {
		return url, mediaType
	}
	cur := p.editor.Current()
	return cur.IconURL, cur.IconMediaType
}

// uploadIcon keeps the image sent in the form's icon field, if any, as
// in's icon. It returns what is wrong with a refused upload (too large,
// not an image, unreadable), or an error when the form cannot be read.
func (p *ProfilePage) uploadIcon(c echo.Context, in *profile.Profile) (string, error) {
	fh, err := c.FormFile("icon")
	if errors.Is(err, http.ErrMissingFile) || errors.Is(err, http.ErrNotMultipart) {
		return "", nil
	}
	if err != nil {
		return "", apperr.Wrap(apperr.Invalid, err, "the form's file could not be read: try again")
	}
	if p.h.uploads == nil {
		return "", apperr.Errorf(apperr.Unsupported, "this node does not accept uploads")
	}
	file, err := fh.Open()
	if err != nil {
		return "", apperr.Wrap(apperr.Invalid, err, "the form's file could not be read: try again")
	}
	defer func() { _ = file.Close() }()
	m, err := p.h.uploads.Save(c.Request().Context(), file, fh.Filename, iconAlt)
	var e *apperr.Error
	switch {
	case errors.As(err, &e) && e.Fields["file"] != "":
		return "The icon " + e.Fields["file"], nil
	case err != nil:
		return "", err
	case !m.IsImage():
		return "The icon must be an image: PNG, JPEG, GIF or WebP", nil
	}
	in.IconURL, in.IconMediaType = m.URL, m.MediaType
	return "", nil
}
