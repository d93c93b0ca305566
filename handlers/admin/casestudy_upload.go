package admin

import (
	"context"
	"errors"
	"io"
	"net/http"
	"slices"
	"strings"

	"github.com/labstack/echo/v4"

	"github.com/pollen-coop/pollen/internal/apperr"
	"github.com/pollen-coop/pollen/service"
	"github.com/pollen-coop/pollen/service/media"
)

// Uploads keeps the files uploaded with the case study form
// (*media.Store): an Unprocessable error naming "file" or "alt" for a
// file refused (its type, its size, its pixels, an image without alt
// text).
type Uploads interface {
	Save(ctx context.Context, r io.Reader, filename, alt string) (media.Media, error)
}

// WithUploads gives h the store of the files uploaded with the case
// study form (needed before Mount); it returns h.
func (h *Handler) WithUploads(u Uploads) *Handler {
	h.uploads = u
	return h
}

// readAttachments reads the form's attachments: those it carried
// (hidden fields attachment.url, attachment.media_type and
// attachment.name, in order) but those ticked to remove.
func readAttachments(c echo.Context) []service.Attachment {
	form, err := c.FormParams()
	if err != nil {
		return nil
	}
	urls, types, names := form["attachment.url"], form["attachment.media_type"], form["attachment.name"]
	remove := form["remove"]
	var out []service.Attachment
	for i, u := range urls {
		if i >= len(types) || i >= len(names) || slices.Contains(remove, u) {
			continue
		}
		out = append(out, service.Attachment{URL: u, MediaType: types[i], Name: names[i]})
	}
	return out
}

// upload keeps the file sent in the form's file field, if any, and adds
// it to the form's attachments (an image named by its alt text, a PDF by
// the alt text or else its file name), emptying the alt text field. It
// returns the fields of a refused upload (file, alt), or an error when
// the form cannot be read.
func (h *Handler) upload(c echo.Context, f *caseForm) (map[string]string, error) {
	fh, err := c.FormFile("file")
	if errors.Is(err, http.ErrMissingFile) || errors.Is(err, http.ErrNotMultipart) {
		return nil, nil
	}
	if err != nil {
		return nil, apperr.Wrap(apperr.Invalid, err, "the form's file could not be read: try again")
	}
	if h.uploads == nil {
		return nil, apperr.Errorf(apperr.Unsupported, "this node does not accept uploads")
	}
	file, err := fh.Open()
	if err != nil {
		return nil, apperr.Wrap(apperr.Invalid, err, "the form's file could not be read: try again")
	}
	defer func() { _ = file.Close() }()
	m, err := h.uploads.Save(c.Request().Context(), file, fh.Filename, f.Alt)
	var e *apperr.Error
	if errors.As(err, &e) && len(e.Fields) > 0 {
		return e.Fields, nil
	}
	if err != nil {
		return nil, err
	}
	name := strings.TrimSpace(f.Alt)
	if name == "" && !m.IsImage() {
		name = m.Filename
	}
	f.Attachments = append(f.Attachments, service.Attachment{URL: m.URL, MediaType: m.MediaType, Name: name})
	f.Alt = ""
	return nil, nil
}
