package mastoapi

import (
	"context"
	"net/http"
	"strconv"

	"github.com/labstack/echo/v4"

	"github.com/pollen-coop/pollen/internal/apperr"
)

// maxRelationships is how many ids one relationships request may name,
// as Mastodon's clients send them (a page of accounts at most).
const maxRelationships = 40

// relationships answers GET /api/v1/accounts/relationships?id[]=…: the
// organisation's follows to and from each actor named (id[] or id), in
// their order, each once; an ID that names no actor is left out, as
// Mastodon does. More than maxRelationships ids is a 422, before any
// work. Pollen neither blocks, mutes, notifies nor endorses: those are
// false.
func (h *Handler) relationships(c echo.Context) error {
	q := c.QueryParams()
	raw := append(q["id[]"], q["id"]...)
	if len(raw) > maxRelationships {
		return apperr.Errorf(apperr.Unprocessable, "too many ids: %d, at most %d in one request", len(raw), maxRelationships)
	}
	ids := make([]int64, 0, len(raw))
	seen := map[int64]bool{}
	for _, s := range raw {
		id, err := strconv.ParseInt(s, 10, 64)
		if err != nil || id <= 0 || seen[id] {
			continue
		}
		seen[id] = true
		ids = append(ids, id)
	}
	ctx := c.Request().Context()
	org, err := h.profile.LocalActor(ctx)
	if err != nil {
		return err
	}
	out, err := h.relationshipsOf(ctx, org.ID, ids)
	if err != nil {
		return err
	}
	return c.JSON(http.StatusOK, out)
}

// relationshipsOf are the organisation's (org) Relationships to the
// actors ids, in their order, read in one query: following or requested
// by its follow's state, followed_by or requested_by by the actor's. An
// unknown actor is left out.
func (h *Handler) relationshipsOf(ctx context.Context, org int64, ids []int64) ([]Relationship, error) {
	states, err := h.accounts.FollowStatesWith(ctx, org, ids)
	if err != nil {
		return nil, err
	}
	byID := make(map[int64]Relationship, len(states))
	for _, s := range states {
		r := Relationship{ID: strconv.FormatInt(s.ID, 10)}
		r.Following, r.Requested = s.Out == "accepted", s.Out == "pending"
		r.ShowingReblogs = r.Following || r.Requested
		r.FollowedBy, r.RequestedBy = s.In == "accepted", s.In == "pending"
		byID[s.ID] = r
	}
	out := make([]Relationship, 0, len(ids))
	for _, id := range ids {
		if r, ok := byID[id]; ok {
			out = append(out, r)
		}
	}
	return out, nil
}
