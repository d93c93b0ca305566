package mastoapi

import (
	"errors"

	"github.com/labstack/echo/v4"

	"github.com/pollen-coop/pollen/federation"
	"github.com/pollen-coop/pollen/internal/apperr"
	"github.com/pollen-coop/pollen/service"
)

// followRequests answers GET /api/v1/follow_requests: the accounts asking
// to follow the organisation, newest first, paged by follow id with a
// Link header.
func (h followRoutes) followRequests(c echo.Context) error {
	p, err := readFollowPage(c)
	if err != nil {
		return err
	}
	ctx := c.Request().Context()
	org, err := h.profile.LocalActor(ctx)
	if err != nil {
		return err
	}
	entries, err := h.followPage(ctx, service.FollowPage{LocalID: org.ID, State: "pending"}, p)
	if err != nil {
		return err
	}
	return h.answerAccounts(c, p, entries)
}

// authorizeFollower answers POST /api/v1/follow_requests/:id/authorize:
// the organisation accepts the follow of the account id, sending an
// Accept, and answers its Relationship. An account that does not follow
// nor ask to is a JSON 404.
func (h followRoutes) authorizeFollower(c echo.Context) error { return h.answerFollower(c, true) }

// rejectFollower answers POST /api/v1/follow_requests/:id/reject: the
// organisation refuses the account's request (or removes the follower),
// sending a Reject, and answers its Relationship.
func (h followRoutes) rejectFollower(c echo.Context) error { return h.answerFollower(c, false) }

// answerFollower accepts or rejects the follow of the route's account.
func (h followRoutes) answerFollower(c echo.Context, accept bool) error {
	if err := bind(c, &struct{}{}); err != nil {
		return err
	}
	org, target, err := h.accountPair(c)
	if err != nil {
		return err
	}
	ctx := c.Request().Context()
	id, err := h.accounts.FollowID(ctx, target.ID, org.ID)
	if errors.Is(err, federation.ErrNotFound) {
		return apperr.Errorf(apperr.NotFound, "no follow request from account %q", c.Param("id"))
	}
	if err != nil {
		return err
	}
	answer := h.follows.RejectFollower
	if accept {
		answer = h.follows.ApproveFollower
	}
	if _, err := answer(acting(c), id); err != nil {
		return err
	}
	return h.answerRelationship(c, org.ID, target.ID)
}
