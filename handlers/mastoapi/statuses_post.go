package mastoapi

import (
	"strings"

	"github.com/labstack/echo/v4"

	"github.com/pollen-coop/pollen/handlers/request"
	"github.com/pollen-coop/pollen/internal/apperr"
	"github.com/pollen-coop/pollen/service"
)

// postParams are the parameters of POST /api/v1/statuses that Pollen
// reads; media, polls and scheduling are not built, and a client that
// sends them gets a note without them.
type postParams struct {
	Status      string `json:"status"`
	InReplyToID string `json:"in_reply_to_id"`
	Visibility  string `json:"visibility"`
	SpoilerText string `json:"spoiler_text"`
	Sensitive   bool   `json:"sensitive"`
	Language    string `json:"language"`
}

// poster is the user a token posts as: the user's id, or 0 for an admin
// API token. An app's token without a user gets Mastodon's 422.
func poster(c echo.Context) (int64, error) {
	at, ok := request.Token(c)
	switch {
	case ok && at.User != nil:
		return at.User.ID, nil
	case ok && at.Admin:
		return 0, nil
	default:
		return 0, apperr.Errorf(apperr.Unprocessable, "this method requires an authenticated user")
	}
}

// statusPost answers POST /api/v1/statuses (JSON, form or multipart): the
// organisation posts a note, public or unlisted, maybe in reply to a
// status, and the Status answers. An Idempotency-Key header makes a
// repeat within an hour answer the same status.
func (h *Handler) statusPost(c echo.Context) error {
	user, err := poster(c)
	if err != nil {
		return err
	}
	var p postParams
	if err := bind(c, &p); err != nil {
		return err
	}
	ctx := c.Request().Context()
	it, err := h.statusSource.Post(ctx, user, service.PostInput{
		Status: p.Status, InReplyToID: p.InReplyToID, Visibility: p.Visibility, SpoilerText: p.SpoilerText,
		Sensitive: p.Sensitive, Language: p.Language,
		IdempotencyKey: strings.TrimSpace(c.Request().Header.Get("Idempotency-Key")),
	})
	if err != nil {
		return err
	}
	return h.answerStatus(c, it)
}

// statusDelete answers DELETE /api/v1/statuses/:id: the organisation's
// note is deleted, a Delete sent, and the Status answers as it was, with
// its source text, as Mastodon does. A case study is a 422 (deleted from
// the admin area), anything else not the organisation's note a 404.
func (h *Handler) statusDelete(c echo.Context) error {
	if _, err := poster(c); err != nil {
		return err
	}
	ctx := c.Request().Context()
	it, err := h.statusSource.DeleteStatus(ctx, c.Param("id"))
	if err != nil {
		return err
	}
	return h.answerStatus(c, it)
}
