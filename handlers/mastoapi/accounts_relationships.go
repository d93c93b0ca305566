package mastoapi

import (
	"context"
	"errors"
	"net/http"
	"strconv"

	"github.com/labstack/echo/v4"

	"github.com/pollen-coop/pollen/federation"
)

// relationships answers GET /api/v1/accounts/relationships?id[]=…: the
// organisation's follows to and from each actor named (id[] or id), in
// their order; an ID that names no actor is left out, as Mastodon does.
// Pollen neither blocks, mutes, notifies nor endorses: those are false.
func (h *Handler) relationships(c echo.Context) error {
	ctx := c.Request().Context()
	org, err := h.profile.LocalActor(ctx)
	if err != nil {
		return err
	}
	q := c.QueryParams()
	out := []Relationship{}
	for _, raw := range append(q["id[]"], q["id"]...) {
		id, err := strconv.ParseInt(raw, 10, 64)
		if err != nil || id <= 0 {
			continue
		}
		r, err := h.relationship(ctx, org.ID, id)
		if errors.Is(err, federation.ErrNotFound) {
			continue
		}
		if err != nil {
			return err
		}
		out = append(out, r)
	}
	return c.JSON(http.StatusOK, out)
}

// relationship is the organisation's (org) Relationship to the actor id:
// following or requested by its follow's state, followed_by or
// requested_by by the actor's. It returns federation.ErrNotFound for an
// unknown actor.
func (h *Handler) relationship(ctx context.Context, org, id int64) (Relationship, error) {
	if _, err := h.accounts.ActorByID(ctx, id); err != nil {
		return Relationship{}, err
	}
	r := Relationship{ID: strconv.FormatInt(id, 10)}
	if id == org {
		return r, nil
	}
	out, err := h.accounts.FollowState(ctx, org, id)
	if err != nil {
		return Relationship{}, err
	}
	in, err := h.accounts.FollowState(ctx, id, org)
	if err != nil {
		return Relationship{}, err
	}
	r.Following, r.Requested = out == "accepted", out == "pending"
	r.ShowingReblogs = r.Following || r.Requested
	r.FollowedBy, r.RequestedBy = in == "accepted", in == "pending"
	return r, nil
}
